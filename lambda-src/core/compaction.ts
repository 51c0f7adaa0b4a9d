/**
 * Compaction: after revocations (a forced migration, withdrawn ranges) the managed groups can end
 * sparse, each still taking an interface slot. When the rules fit in fewer groups, move the rules of
 * the emptiest groups into the fullest, then detach the emptied groups and delete them.
 *
 * Bounded so it never churns: planned only on a state that is otherwise in sync (nothing that
 * changes access is pending) and only when at least one group is freed; the result holds the fewest
 * groups the rules need, so planning again finds nothing. Safe at every write: the moved rules are
 * authorized in groups already attached to every target interface before any group is detached.
 */
import type { Comparison } from './compare';
import type { AddressFamily, ManagedGroup, Rule, Step } from './model';
import { ADDRESS_FAMILIES, compareRules, countByFamily, ruleFamily } from './rules';

/** The fewest groups that hold `counts` rules per family at `rulesPerGroup` each (at least one). */
export function groupsNeeded(counts: Record<AddressFamily, number>, rulesPerGroup: number): number {
  return Math.max(1, ...ADDRESS_FAMILIES.map((f) => Math.ceil(counts[f] / rulesPerGroup)));
}

/** Whether `groupCount` groups holding `rules` could be fewer: the condition for a compaction pass. */
export function canCompact(groupCount: number, rules: readonly Rule[], rulesPerGroup: number): boolean {
  return groupCount > groupsNeeded(countByFamily(rules), rulesPerGroup);
}

export interface Compaction {
  readonly steps: Step[];
  readonly deleted: readonly ManagedGroup[];
  readonly rulesMoved: number;
  /** Groups that would have been freed but stay: other groups' rules name them (group id -> those groups). */
  readonly kept: Readonly<Record<string, readonly string[]>>;
}

/**
 * Compaction steps for an in-sync comparison (authorize, detach, delete), or undefined when no group
 * can be freed. A group another group's rules name is never chosen: EC2 would refuse its deletion
 * (DependencyViolation) after the detach, and every later run would re-attach and detach it again.
 */
export function planCompaction(cmp: Comparison, rulesPerGroup: number, referencedBy: Readonly<Record<string, readonly string[]>> = {}): Compaction | undefined {
  if (!cmp.inSync) return undefined;
  const groups = cmp.groups;
  const needed = groupsNeeded(countByFamily(groups.flatMap((g) => g.ingress)), rulesPerGroup);
  if (groups.length <= needed) return undefined;

  // Keep the referenced groups, then the fullest, so the fewest rules move; ties keep the planner's group order.
  const pinned = (g: ManagedGroup) => (referencedBy[g.groupId]?.length ?? 0) > 0;
  const indexed = groups.map((group, index) => ({ group, index }));
  const fullestFirst = (a: (typeof indexed)[number], b: (typeof indexed)[number]) => b.group.ingress.length - a.group.ingress.length || a.index - b.index;
  const ranked = [...indexed].sort((a, b) => Number(pinned(b.group)) - Number(pinned(a.group)) || fullestFirst(a, b));
  const keepIds = new Set(ranked.slice(0, Math.max(needed, groups.filter(pinned).length)).map((r) => r.group.groupId));
  const keep = groups.filter((g) => keepIds.has(g.groupId));
  const deleted = groups.filter((g) => !keepIds.has(g.groupId));
  // the referenced groups that a compaction without references would have freed: said in the run line
  const wouldFree = new Set(
    [...indexed]
      .sort(fullestFirst)
      .slice(needed)
      .map((r) => r.group.groupId),
  );
  const kept = Object.fromEntries(groups.filter((g) => pinned(g) && wouldFree.has(g.groupId)).map((g) => [g.groupId, referencedBy[g.groupId]]));
  if (deleted.length === 0) return { steps: [], deleted: [], rulesMoved: 0, kept };

  const moving = deleted.flatMap((g) => g.ingress).sort(compareRules);
  const additions = new Map<string, Rule[]>(keep.map((g) => [g.groupId, []]));
  for (const family of ADDRESS_FAMILIES) {
    const queue = moving.filter((r) => ruleFamily(r) === family);
    let next = 0;
    for (const group of keep) {
      const room = rulesPerGroup - countByFamily(group.ingress)[family];
      const end = Math.min(queue.length, next + Math.max(0, room));
      additions.get(group.groupId)!.push(...queue.slice(next, end));
      next = end;
    }
  }

  const steps: Step[] = [];
  for (const group of keep) {
    const rules = additions.get(group.groupId)!;
    if (rules.length > 0) steps.push({ kind: 'authorize', group: group.groupId, rules: rules.sort(compareRules) });
  }
  const gone = new Set(deleted.map((g) => g.groupId));
  for (const eni of cmp.targetEnis) {
    const removed = eni.groupIds.filter((id) => gone.has(id));
    if (removed.length > 0) steps.push({ kind: 'detach', eniId: eni.eniId, groupIds: eni.groupIds.filter((id) => !gone.has(id)), removed });
  }
  for (const group of deleted) steps.push({ kind: 'deleteGroup', group: group.groupId, groupName: group.groupName });
  return { steps, deleted, rulesMoved: moving.length, kept };
}
