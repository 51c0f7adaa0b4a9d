/**
 * A race retry never drops the token. When a run's write raced (for instance EC2 applied its
 * authorize, the connection reset, the SDK retried and EC2 answered InvalidPermission.Duplicate),
 * its re-plan can find every rule already in place and come out `in-sync`. In-sync is decided by
 * the rules alone (a no-op newer document writes nothing), but this run's own writes made those
 * rules: if its document is newer than every token on the groups, it must still record it, or a
 * delayed older document would later look newer than the groups and revoke the new ranges.
 * "Newer" is judged by the same mark staleness reads (tag and rule tokens, future ones ignored).
 */
import type { ManagedGroup, Plan } from './model';
import { compareSyncTokens, newestMark } from './sync-token';

/** The in-sync re-plan of a run that already wrote, turned into one tagSyncToken step when its document is the newest; else unchanged. */
export function recordTokenAfterRace(plan: Plan, groups: readonly ManagedGroup[], nowMs: number): Plan {
  if (plan.status !== 'in-sync') return plan;
  const refused = new Set((plan.refusedGroups ?? []).map((g) => g.groupId));
  const owned = groups.filter((g) => !refused.has(g.groupId));
  const newest = newestMark(owned, nowMs);
  // Strictly newer: the rules this run authorized before its raced write carry its own token.
  if (newest !== undefined && compareSyncTokens(newest, plan.syncToken) > 0) return plan;
  const untagged = owned.filter((g) => g.syncToken !== plan.syncToken).map((g) => g.groupId);
  if (untagged.length === 0) return plan;
  return {
    ...plan,
    status: 'changes',
    steps: [{ kind: 'tagSyncToken', groups: untagged, syncToken: plan.syncToken }],
    warnings: [...plan.warnings, { code: 'TOKEN_RECORDED_AFTER_RACE', subject: plan.syncToken, details: { groups: untagged } }],
  };
}
