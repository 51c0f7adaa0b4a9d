/**
 * The one comparison of desired and actual state. The planner, `cfguard drift` and `cfguard status`
 * all derive from it, so they cannot disagree. Pure: no @aws-sdk, no I/O.
 *
 * Defined once, here:
 * - **stale**: the document is older than the newest `CFGUARD_SYNC_TOKEN` on the managed groups
 *   (notifications arrive out of order). Nothing is compared and nothing is planned.
 * - **in sync** (status and drift say "current"): every desired rule sits in exactly one managed
 *   group, the managed groups hold nothing else (no foreign or duplicate rule, no egress), and every
 *   target interface carries every managed group. The syncToken tag plays no part: a newer document
 *   whose selected ranges change no access is in sync, and a run writes nothing for it (the tag is
 *   recorded only together with a change).
 */
import type { ActualState, ManagedGroup, NetworkInterface, Plan, Rule } from './model';
import { compareRules, ruleKey } from './rules';
import { compareSyncTokens, newestMark } from './sync-token';

/** Which desired rules the groups already hold, what each group holds besides, and what none holds. */
export interface Holdings {
  /** Keys of the desired rules held (the first copy, in group order). */
  readonly placed: ReadonlySet<string>;
  /** Per group id, sorted: rules not desired, and second copies of desired ones. */
  readonly unwanted: ReadonlyMap<string, Rule[]>;
  /** Desired rules no managed group holds, sorted. */
  readonly missing: readonly Rule[];
}

/**
 * Keeps each desired rule where it first appears (groups in the given order) and marks the rest.
 * The planner's keep/revoke decision and drift's findings are both this loop.
 */
export function holdings(orderedGroups: readonly ManagedGroup[], desired: readonly Rule[]): Holdings {
  const keys = desired.map(ruleKey);
  const wanted = new Set(keys);
  const placed = new Set<string>();
  const unwanted = new Map<string, Rule[]>();
  for (const group of orderedGroups) {
    const out: Rule[] = [];
    for (const rule of group.ingress) {
      const key = ruleKey(rule);
      if (wanted.has(key) && !placed.has(key)) placed.add(key);
      else out.push(rule);
    }
    if (out.length > 0) unwanted.set(group.groupId, out.sort(compareRules));
  }
  return { placed, unwanted, missing: desired.filter((_, i) => !placed.has(keys[i])).sort(compareRules) };
}

/** The rules of `expected` that `present` lacks (identity by ruleKey): drift's ingest check and open-ingest's plan. */
export function rulesAbsent(expected: readonly Rule[], present: readonly Rule[]): Rule[] {
  const have = new Set(present.map(ruleKey));
  return expected.filter((r) => !have.has(ruleKey(r)));
}

/** ENIs that must carry every managed group: every guarded instance's, and any already carrying one. */
export function targetInterfaces(actual: ActualState, instanceIds: readonly string[]): NetworkInterface[] {
  const managed = new Set(actual.groups.map((g) => g.groupId));
  return actual.enis
    .filter((eni) => (eni.instanceId !== undefined && instanceIds.includes(eni.instanceId)) || eni.groupIds.some((id) => managed.has(id)))
    .sort((a, b) => (a.eniId < b.eniId ? -1 : a.eniId > b.eniId ? 1 : 0));
}

/** The newest token on the groups, and whether the document is older than it (the stale case). */
export function staleness(syncToken: string, groups: readonly ManagedGroup[], nowMs?: number): { readonly lastApplied?: string; readonly stale: boolean } {
  const lastApplied = newestMark(groups, nowMs);
  return { ...(lastApplied !== undefined ? { lastApplied } : {}), stale: lastApplied !== undefined && compareSyncTokens(syncToken, lastApplied) < 0 };
}

export interface DetachedInterface {
  readonly eniId: string;
  readonly instanceId?: string;
  /** Managed groups the interface lacks. */
  readonly missingGroups: readonly string[];
}

export interface Comparison extends Holdings {
  readonly stale: boolean;
  readonly lastApplied?: string;
  /** The managed groups in the planner's stable order (see orderGroups). */
  readonly groups: readonly ManagedGroup[];
  readonly targetEnis: readonly NetworkInterface[];
  readonly detached: readonly DetachedInterface[];
  /** Managed groups still carrying egress rules. */
  readonly withEgress: readonly ManagedGroup[];
  /** Not stale, and nothing that changes access is pending (see the definition above). */
  readonly inSync: boolean;
}

export interface CompareInput {
  readonly actual: ActualState;
  readonly desired: { readonly syncToken: string; readonly rules: readonly Rule[] };
  /** The managed groups, ordered (orderGroups). */
  readonly orderedGroups: readonly ManagedGroup[];
  /** The guarded instances (core/ownership guardedInstanceList). @default - none: only interfaces already carrying a managed group */
  readonly instanceIds?: readonly string[];
  /** The clock (epoch ms): marks more than a day ahead of it do not count. */
  readonly now?: number;
}

export function compareState(input: CompareInput): Comparison {
  const groups = input.orderedGroups;
  const { lastApplied, stale } = staleness(input.desired.syncToken, groups, input.now);
  const targetEnis = targetInterfaces(input.actual, input.instanceIds ?? []);
  const held = holdings(groups, input.desired.rules);
  const ids = groups.map((g) => g.groupId);
  const detached = targetEnis
    .map((eni) => ({ eniId: eni.eniId, ...(eni.instanceId ? { instanceId: eni.instanceId } : {}), missingGroups: ids.filter((id) => !eni.groupIds.includes(id)) }))
    .filter((eni) => eni.missingGroups.length > 0);
  const withEgress = groups.filter((g) => g.egress.length > 0);
  const inSync = !stale && held.missing.length === 0 && held.unwanted.size === 0 && detached.length === 0 && withEgress.length === 0;
  return { ...held, stale, ...(lastApplied !== undefined ? { lastApplied } : {}), groups, targetEnis, detached, withEgress, inSync };
}

/**
 * Whether a plan changes access (what drift reports): any step or held or deferred work, except a
 * compaction, which only moves rules between groups. A plan never carries a lone tagSyncToken step.
 */
export function changesAccess(plan: Plan): boolean {
  return plan.status === 'changes' && plan.compaction === undefined;
}
