import type { AddressFamily, GroupRef, ManagedGroup, Rule } from './model';
import { holdings, type Holdings } from './compare';
import { ADDRESS_FAMILIES, countByFamily, ruleFamily } from './rules';

/** Where each desired rule lives after the plan, and what leaves each group. */
export interface Placement {
  /** Rules to authorize, per group ref (existing id or `new:<name>`), sorted. */
  readonly additions: ReadonlyMap<GroupRef, Rule[]>;
  /** Rules to revoke, per existing group id: undesired rules and duplicate copies (see holdings). */
  readonly revocations: ReadonlyMap<string, Rule[]>;
  /** Names of the groups to create, in creation order. */
  readonly newGroupNames: readonly string[];
  readonly rulesKept: number;
  /** Additions that found no slot under `maxNewGroups`: they wait for this plan's revocations. */
  readonly deferred: readonly Rule[];
}

export const NEW_GROUP_REF_PREFIX = 'new:';
export const newGroupRef = (name: string): GroupRef => `${NEW_GROUP_REF_PREFIX}${name}`;

/** Groups in a stable order: our numbered names first by number, then the rest by name, then id. */
export function orderGroups(groups: readonly ManagedGroup[], prefix: string): ManagedGroup[] {
  const index = (g: ManagedGroup) => {
    const m = g.groupName.startsWith(`${prefix}-`) ? /^\d+$/.exec(g.groupName.slice(prefix.length + 1)) : null;
    return m ? Number(m[0]) : Number.MAX_SAFE_INTEGER;
  };
  return [...groups].sort((a, b) => index(a) - index(b) || (a.groupName < b.groupName ? -1 : a.groupName > b.groupName ? 1 : 0) || (a.groupId < b.groupId ? -1 : 1));
}

/** The next `count` deterministic names `<prefix>-<n>` not already taken. */
export function nextGroupNames(prefix: string, taken: ReadonlySet<string>, count: number): string[] {
  const names: string[] = [];
  for (let n = 1; names.length < count; n++) {
    const name = `${prefix}-${n}`;
    if (!taken.has(name)) names.push(name);
  }
  return names;
}

/**
 * Keeps every desired rule where it already is, revokes the rest, and fills free capacity before
 * creating groups. Capacity is counted against the rules present *before* revocation, because
 * additions are applied first: a slot is only free once its rule is gone.
 */
export function placeRules(
  groups: readonly ManagedGroup[],
  desired: readonly Rule[],
  prefix: string,
  rulesPerGroup: number,
  maxNewGroups = Infinity,
  /** The comparison of these same groups and rules (core/compare), when the caller has it: saves two passes and a sort. */
  compared?: Holdings,
  /** Names new groups must not take: groups EC2 holds that the guard may not write (refused, see core/ownership). */
  reservedNames: ReadonlySet<string> = new Set(),
): Placement {
  const ordered = orderGroups(groups, prefix);
  const { placed, unwanted: revocations, missing } = compared ?? holdings(ordered, desired);
  const rulesKept = placed.size;

  const additions = new Map<GroupRef, Rule[]>();
  const add = (ref: GroupRef, rule: Rule) => {
    const list = additions.get(ref);
    if (list) list.push(rule);
    else additions.set(ref, [rule]);
  };

  const remaining: Record<AddressFamily, Rule[]> = { ipv4: [], ipv6: [] };
  for (const rule of missing) remaining[ruleFamily(rule)].push(rule);

  // A cursor per family, not splice: taking from the front of a 100k-rule queue once per group would be quadratic.
  const next: Record<AddressFamily, number> = { ipv4: 0, ipv6: 0 };
  const take = (family: AddressFamily, ref: GroupRef, count: number) => {
    const queue = remaining[family];
    const end = Math.min(queue.length, next[family] + count);
    for (let i = next[family]; i < end; i++) add(ref, queue[i]);
    next[family] = end;
  };
  for (const family of ADDRESS_FAMILIES) {
    for (const group of ordered) {
      if (next[family] >= remaining[family].length) break;
      take(family, group.groupId, Math.max(0, rulesPerGroup - countByFamily(group.ingress)[family]));
    }
  }

  const left = (f: AddressFamily) => remaining[f].length - next[f];
  const newGroupCount = Math.min(maxNewGroups, Math.max(...ADDRESS_FAMILIES.map((f) => Math.ceil(left(f) / rulesPerGroup))));
  const newGroupNames = nextGroupNames(prefix, new Set([...groups.map((g) => g.groupName), ...reservedNames]), newGroupCount);
  for (const family of ADDRESS_FAMILIES) {
    for (const name of newGroupNames) take(family, newGroupRef(name), rulesPerGroup);
  }

  const deferred = ADDRESS_FAMILIES.flatMap((f) => remaining[f].slice(next[f]));
  return { additions, revocations, newGroupNames, rulesKept, deferred };
}
