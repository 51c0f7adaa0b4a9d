/**
 * Overlapping runs: EC2 has no compare-and-set, so a run re-reads the managed groups' syncToken at
 * the moments where an older document could do harm (before its first write, before it revokes,
 * before it records its token) and stops as SUPERSEDED when a newer document has been applied in
 * the meantime. Before recording its token it also checks that the groups hold what its plan
 * promised: if another run wrote in between, it re-plans instead of stamping a mixed state.
 */
import { RaceError } from './aws-errors';
import { readManagedGroups } from './ec2-state';
import type { SecurityGroupManager } from './security-group-manager';
import type { DesiredState, Plan, Step } from '../core/model';
import { ruleKey } from '../core/rules';
import { compareSyncTokens, isFutureSyncToken, newestSyncToken } from '../core/sync-token';

/** Thrown by a checkpoint: a newer document's token appeared on the groups while this run was writing. */
export class SupersededError extends Error {
  constructor(
    public readonly newerSyncToken: string,
    public readonly ownSyncToken: string,
  ) {
    super(`SUPERSEDED: document ${newerSyncToken} was applied while this run was applying ${ownSyncToken}; this run stopped before its next write`);
    this.name = 'SupersededError';
  }
}

export interface CheckpointContext {
  readonly ec2: SecurityGroupManager;
  readonly prefixName: string;
  readonly vpcId: string;
  readonly desired: DesiredState;
  readonly plan: Plan;
  /** The newest token on the groups when this run read them. */
  readonly tokenAtRead?: string;
  readonly now: number;
}

/** A `beforeStep` hook for applyPlan: one token read at each of the three moments, none for a run without writes. */
export function checkpoints(ctx: CheckpointContext): (step: Step) => Promise<void> {
  let first = true;
  let revoking = false;
  const refused = new Set((ctx.plan.refusedGroups ?? []).map((g) => g.groupId));
  return async (step) => {
    const due = first || (step.kind === 'revoke' && !revoking) || step.kind === 'tagSyncToken';
    first = false;
    if (step.kind === 'revoke') revoking = true;
    if (!due) return;
    const groups = (await readManagedGroups(ctx.ec2, ctx.prefixName, ctx.vpcId)).filter((g) => !refused.has(g.groupId));
    const newest = newestSyncToken(groups.map((g) => (g.syncToken && !isFutureSyncToken(g.syncToken, ctx.now) ? g.syncToken : undefined)));
    if (newest !== undefined && newest !== ctx.tokenAtRead && compareSyncTokens(newest, ctx.desired.syncToken) > 0) {
      throw new SupersededError(newest, ctx.desired.syncToken);
    }
    if (step.kind === 'tagSyncToken')
      assertPlanHeld(
        groups.flatMap((g) => g.ingress),
        ctx,
      );
  };
}

/** The groups hold every desired rule (but the deferred) and nothing else (but what the guard held): else another writer was here. */
function assertPlanHeld(present: readonly { protocol: string; fromPort: number; toPort: number; source: string }[], ctx: CheckpointContext): void {
  const have = new Set(present.map(ruleKey));
  const deferred = new Set((ctx.plan.deferred ?? []).map(ruleKey));
  const allowed = new Set([...ctx.desired.rules.map(ruleKey), ...ctx.plan.held.flatMap((h) => h.rules.map(ruleKey))]);
  const missing = ctx.desired.rules.find((r) => !have.has(ruleKey(r)) && !deferred.has(ruleKey(r)));
  const extra = present.find((r) => !allowed.has(ruleKey(r)));
  if (missing || extra) {
    const what = missing ? `missing ${ruleKey(missing)}` : `unexpected ${ruleKey(extra!)}`;
    throw new RaceError('StateChanged', 'CreateTags', `the managed groups changed under this run (${what}); re-planning before recording syncToken ${ctx.desired.syncToken}`);
  }
}
