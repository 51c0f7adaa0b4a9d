/**
 * Overlapping runs: EC2 has no compare-and-set, so a run re-reads the managed groups at the moments
 * where an older document could do harm (before its first write, before it revokes, before it
 * records its token, and once after) and stops as SUPERSEDED when it finds the mark of a newer
 * document (a newer CFGUARD_SYNC_TOKEN tag, or a rule a newer run wrote: core/sync-token
 * newestMark). Before recording its token it also checks that the groups hold what its plan
 * promised, and again after: if another run wrote in between, it re-plans instead of stamping, or
 * leaving, a mixed state. A run stopped after it revoked puts back what it revoked (restoreRevoked).
 */
import { RaceError } from './aws-errors';
import { readManagedGroups } from './ec2-state';
import type { SecurityGroupManager } from './security-group-manager';
import type { DesiredState, ManagedGroup, Plan, Rule, Step } from '../core/model';
import { ruleKey } from '../core/rules';
import { compareSyncTokens, newestMark, SYNC_TOKEN_TAG_KEY } from '../core/sync-token';

/** Thrown by a checkpoint: a newer document's mark appeared on the groups while this run was writing. */
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
  /** The newest mark on the groups when this run read them. */
  readonly tokenAtRead?: string;
  readonly now: number;
}

/** The groups the plan may write (refused groups left out: their marks prove nothing). */
export function writableGroups(groups: readonly ManagedGroup[], plan: Plan): ManagedGroup[] {
  const refused = new Set((plan.refusedGroups ?? []).map((g) => g.groupId));
  return groups.filter((g) => !refused.has(g.groupId));
}

/** The groups the plan may write, as they are now. */
async function readOwned(ctx: CheckpointContext): Promise<ManagedGroup[]> {
  return writableGroups(await readManagedGroups(ctx.ec2, ctx.prefixName, ctx.vpcId), ctx.plan);
}

/** Throws SupersededError when a document newer than this run's has left its mark since the run read the groups. */
function assertNotOvertaken(groups: readonly ManagedGroup[], ctx: CheckpointContext): void {
  const newest = newestMark(groups, ctx.now);
  if (newest !== undefined && newest !== ctx.tokenAtRead && compareSyncTokens(newest, ctx.desired.syncToken) > 0) {
    throw new SupersededError(newest, ctx.desired.syncToken);
  }
}

/** A `beforeStep` hook for applyPlan: one read at each of the three moments, none for a run without writes. */
export function checkpoints(ctx: CheckpointContext): (step: Step) => Promise<void> {
  let first = true;
  let revoking = false;
  return async (step) => {
    const due = first || (step.kind === 'revoke' && !revoking) || step.kind === 'tagSyncToken';
    first = false;
    if (step.kind === 'revoke') revoking = true;
    if (!due) return;
    if (step.kind === 'tagSyncToken') return verifyAfterToken(ctx);
    assertNotOvertaken(await readOwned(ctx), ctx);
  };
}

/**
 * The token's checkpoint, before it is written and once more after: an older run that checked before
 * this run's writes may still have revoked after them (a blind write EC2 cannot refuse). The newest run finds the
 * range missing here and re-plans, so it adds it back; an older run finds the newer mark and stops.
 */
export async function verifyAfterToken(ctx: CheckpointContext): Promise<void> {
  const groups = await readOwned(ctx);
  assertNotOvertaken(groups, ctx);
  assertPlanHeld(groups, ctx);
}

/** The groups hold every desired rule (but the deferred) and nothing else (but what the guard held): else another writer was here. */
function assertPlanHeld(groups: readonly ManagedGroup[], ctx: CheckpointContext): void {
  const have = new Set(groups.flatMap((g) => g.ingress).map(ruleKey));
  const deferred = new Set((ctx.plan.deferred ?? []).map(ruleKey));
  const allowed = new Set([...ctx.desired.rules.map(ruleKey), ...ctx.plan.held.flatMap((h) => h.rules.map(ruleKey))]);
  const missing = ctx.desired.rules.find((r) => !have.has(ruleKey(r)) && !deferred.has(ruleKey(r)));
  const extra = groups.flatMap((g) => g.ingress).find((r) => !allowed.has(ruleKey(r)));
  if (missing || extra) {
    const what = missing ? `missing ${ruleKey(missing)}` : `unexpected ${ruleKey(extra!)}`;
    throw new RaceError('StateChanged', 'CreateTags', `the managed groups changed under this run (${what}); re-planning before recording syncToken ${ctx.desired.syncToken}`);
  }
}

/** Rules this run revoked, by the group they were in, with the descriptions they had. */
export type Revoked = Array<{ readonly groupId: string; readonly rules: readonly Rule[] }>;

/**
 * A run overtaken by a newer document after it revoked puts back what it revoked and no managed
 * group holds now, into the group it came from, with its own description (so it still reads as
 * the guard's, written under the older token). Its revocations were decided against a document
 * that is no longer the newest: a range the newer document still publishes must not stay blocked,
 * and one it withdrew is withdrawn again by the newer document's next run. When this run's late
 * tag overwrote a newer one, the newest mark is written back. Returns the number of rules restored.
 */
export async function restoreRevoked(ctx: CheckpointContext, revoked: Readonly<Revoked>, newerSyncToken: string): Promise<number> {
  const groups = await readOwned(ctx);
  const present = new Set(groups.flatMap((g) => g.ingress).map(ruleKey));
  const alive = new Set(groups.map((g) => g.groupId));
  let restored = 0;
  for (const { groupId, rules } of revoked) {
    const missing = rules.filter((r) => !present.has(ruleKey(r)));
    if (!alive.has(groupId) || missing.length === 0) continue;
    for (const [description, same] of byDescription(missing)) {
      try {
        await ctx.ec2.authorizeIngress(groupId, same, description ?? true);
        restored += same.length;
      } catch (e) {
        // Another run put it back first: what matters is that it is there.
        if (!(e instanceof RaceError)) throw e;
      }
      same.forEach((r) => present.add(ruleKey(r)));
    }
  }
  const overwritten = groups.filter((g) => g.syncToken === ctx.desired.syncToken).map((g) => g.groupId);
  if (overwritten.length > 0 && compareSyncTokens(newerSyncToken, ctx.desired.syncToken) > 0) await ctx.ec2.tag(overwritten, SYNC_TOKEN_TAG_KEY, newerSyncToken);
  return restored;
}

function byDescription(rules: readonly Rule[]): Map<string | undefined, Rule[]> {
  const out = new Map<string | undefined, Rule[]>();
  for (const { description, ...rule } of rules) {
    out.set(description, [...(out.get(description) ?? []), rule]);
  }
  return out;
}
