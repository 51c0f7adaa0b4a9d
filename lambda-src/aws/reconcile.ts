/** One reconcile run: read, plan, check, apply; re-read and re-plan when another writer raced us. */
import type { ApiCalls, SecurityGroupManager } from './security-group-manager';
import { applyPlan, type ApplyOptions } from './apply';
import { RaceError } from './aws-errors';
import { RaceRetry } from './race-retry';
import { assertVpcExists, planWithReferences, readActualState } from './ec2-state';
import { guardError, settingError } from '../core/errors';
import type { ActualState, DesiredState, Plan } from '../core/model';
import { planReconcile } from '../core/plan';
import type { GuardSettings } from '../config/settings';
import { compareSyncTokens, newestMark } from '../core/sync-token';
import { checkpoints, restoreRevoked, type Revoked, SupersededError, verifyAfterToken, writableGroups } from './checkpoint';
import { guardedInstanceList, ownGroupIdsOf, type GuardedInstanceSettings, type RefusedGroup } from '../core/ownership';
import { GUARDED_INSTANCE_IDS_ENV } from '../config/guarded-instances';
import type { Finding } from '../core/findings';
import { recordTokenAfterRace } from '../core/token-record';

export interface ReconcileOptions {
  readonly ec2: SecurityGroupManager;
  /** The settings, and every guarded instance when there is more than INSTANCE_ID (GUARDED_INSTANCE_IDS). */
  readonly settings: GuardSettings & GuardedInstanceSettings;
  readonly desired: DesiredState;
  /** Execute the plan; otherwise only plan (reads only). */
  readonly apply: boolean;
  /** Override the blast-radius guard. @default false */
  readonly force?: boolean;
  readonly onStep?: ApplyOptions['onStep'];
  /** The clock, epoch ms (tests pin it). @default Date.now() */
  readonly now?: number;
}

/**
 * `stale`: the document is older than the groups' token (refused, nothing written).
 * `superseded`: a newer document was applied while this run was writing; it stopped before its next write.
 */
export type Outcome = 'in-sync' | 'applied' | 'planned' | 'held' | 'stale' | 'superseded';

/** The one result object: the Lambda's log line, the CLI's output and the tests' assertions. */
export interface ReconcileResult {
  readonly outcome: Outcome;
  readonly syncToken: string;
  readonly lastAppliedSyncToken?: string;
  readonly vpcId: string;
  readonly applied: boolean;
  readonly plan: Plan;
  readonly rulesAdded: number;
  readonly rulesRevoked: number;
  readonly rulesHeld: number;
  readonly groupsCreated: number;
  readonly enisChanged: number;
  /** Groups a compaction emptied and deleted; present only then. */
  readonly groupsDeleted?: number;
  /** Rules a compaction moved out of the groups it deleted; present only then. */
  readonly rulesMoved?: number;
  readonly heldBy?: string;
  readonly attempts: number;
  /** Present when deferred additions took a second pass. */
  readonly passes?: number;
  readonly apiCalls: ApiCalls;
  readonly durationMs: number;
  /** Structured warnings (core/findings): the plan's, and how the run ended when superseded. */
  readonly warnings: readonly Finding[];
  /** Foreign rules revoked (see core/ownership); never held by the blast-radius guard. */
  readonly foreignRulesRevoked: number;
  /** Tagged groups left untouched (FOREIGN_GROUP_TAGGED); the run counts as refused. */
  readonly refusedGroups: readonly RefusedGroup[];
  /** With outcome `superseded`: the newer token found on the groups. */
  readonly supersededBy?: string;
  /** With outcome `superseded`: rules this run had revoked and put back (see checkpoint restoreRevoked). */
  readonly rulesRestored?: number;
}

/**
 * INSTANCE_NOT_FOUND before any plan: a guarded instance has no interface in the VPC. Every one is
 * checked, so a secondary origin that was terminated or sits in another VPC stops the run before
 * the first write rather than leaving one origin guarded and the other not.
 */
export function assertInstanceFound(actual: ActualState, instanceIds: string | undefined | readonly string[]): void {
  const ids = typeof instanceIds === 'string' ? [instanceIds] : (instanceIds ?? []);
  for (const instanceId of ids) {
    if (actual.enis.some((e) => e.instanceId === instanceId)) continue;
    // Named by setting id: the Lambda says INSTANCE_ID, the CLI --instance-id or the config's key (core/errors respelled).
    throw settingError(
      'INSTANCE_NOT_FOUND',
      (spell) =>
        ids.length > 1
          ? `${GUARDED_INSTANCE_IDS_ENV} instance '${instanceId}' has no network interface in ${actual.vpcId}; check ${GUARDED_INSTANCE_IDS_ENV} (instanceId, secondaryOrigin.instanceId) and ${spell('vpcId')}. Nothing was changed.`
          : `${spell('instanceId')} '${instanceId}' has no network interface in ${actual.vpcId}; check ${spell('instanceId')} and ${spell('vpcId')}. Nothing was changed.`,
      'usage',
      { instanceId, vpcId: actual.vpcId, settings: ['instanceId', 'vpcId'] },
    );
  }
}

/**
 * A plan with deferred additions (see squeezedPlacement) is followed by one more pass, and a plan
 * that leaves the groups sparse (Plan.compactAfter) by a compaction pass: at most three in all.
 */
export const MAX_PASSES = 3;

export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  const started = Date.now();
  const before = options.ec2.apiCalls();
  const { settings } = options;
  const races = new RaceRetry();
  let first: { plan: Plan; lastApplied?: string } | undefined;
  const applied = { rulesAdded: 0, rulesRevoked: 0, groupsCreated: 0, enisChanged: 0, groupsDeleted: 0, rulesMoved: 0, foreignRulesRevoked: 0, passes: 0 };
  const now = options.now ?? Date.now();
  /** What this run revoked, for restoreRevoked should a newer document overtake it. */
  const revoked: Revoked = [];
  /** Interfaces this run attached to or detached from, once each: a compaction pass detaching what the first pass attached is one interface changed, not two. */
  const enisTouched = new Set<string>();

  for (;;) {
    const instanceIds = guardedInstanceList(settings);
    const read = await readActualState(options.ec2, { prefixName: settings.prefixName, vpcId: settings.vpcId, instanceIds });
    assertInstanceFound(read, instanceIds);
    const planFor = (state: ActualState) =>
      planReconcile({
        desired: options.desired,
        actual: state,
        settings,
        force: options.force,
        protectedGroupIds: ownGroupIdsOf(settings),
        now,
      });
    const planned = await planWithReferences(options.ec2, read, planFor);
    const actual = planned.actual;
    let plan = planned.plan;
    // After a raced write, rules found in place may be this run's own: its token must still be recorded.
    if (options.apply && races.lastRace) plan = recordTokenAfterRace(plan, actual.groups, now);
    const tokenAtRead = newestMark(writableGroups(actual.groups, plan), now);
    const mustWrite = options.apply && plan.steps.length > 0;
    if (mustWrite && actual.groups.length === 0 && actual.enis.length === 0) await assertVpcExists(options.ec2, actual.vpcId);
    const checks = { ec2: options.ec2, prefixName: settings.prefixName, vpcId: actual.vpcId, desired: options.desired, plan, tokenAtRead, now };
    try {
      // A re-plan after a raced write that finds a newer document's mark: this run was overtaken after it wrote.
      if (plan.status === 'stale' && revoked.length > 0 && !options.force) throw new SupersededError(tokenAtRead ?? options.desired.syncToken, options.desired.syncToken);
      if (mustWrite) {
        await applyPlan(options.ec2, plan, {
          vpcId: actual.vpcId,
          beforeStep: checkpoints(checks),
          onStep: (step, i, ids) => {
            if (step.kind === 'revoke') revoked.push({ groupId: ids[step.group] ?? step.group, rules: step.rules });
            if (step.kind === 'attach' || step.kind === 'detach') enisTouched.add(step.eniId);
            options.onStep?.(step, i, ids);
          },
        });
        if (plan.steps.some((s) => s.kind === 'tagSyncToken')) await verifyAfterToken(checks);
      }
    } catch (e) {
      if (e instanceof SupersededError) {
        const restored = revoked.length > 0 ? await restoreRevoked(checks, revoked, e.newerSyncToken) : 0;
        return {
          outcome: 'superseded',
          syncToken: options.desired.syncToken,
          ...(tokenAtRead ? { lastAppliedSyncToken: tokenAtRead } : {}),
          vpcId: actual.vpcId,
          applied: false,
          plan,
          ...applied,
          rulesHeld: 0,
          attempts: races.attempts,
          apiCalls: diffCalls(before, options.ec2.apiCalls()),
          durationMs: Date.now() - started,
          warnings: [...plan.warnings, { code: 'SUPERSEDED', subject: e.newerSyncToken, details: { syncToken: e.ownSyncToken, restored } }],
          refusedGroups: plan.refusedGroups ?? [],
          supersededBy: e.newerSyncToken,
          ...(restored > 0 ? { rulesRestored: restored } : {}),
        };
      }
      if (e instanceof RaceError && e.awsCode === 'InvalidGroup.Duplicate' && races.lastRace?.awsCode === 'InvalidGroup.Duplicate') {
        throw guardError(
          'GROUP_NAME_TAKEN',
          `a security group named ${e.detail} already exists in ${actual.vpcId} without the tag PREFIX_NAME=${settings.prefixName}; rename or delete it, or tag it PREFIX_NAME=${settings.prefixName} (cfguard import --apply) so the guard manages it`,
          'usage',
          { groupName: e.detail },
        );
      }
      if (races.retryAfter(e)) continue;
      break;
    }
    first ??= { plan, lastApplied: tokenAtRead };
    if (mustWrite) {
      applied.passes++;
      for (const count of SUMMED_OVER_PASSES) applied[count] += plan.summary[count] ?? 0;
      applied.enisChanged = enisTouched.size;
    }
    if (mustWrite && (plan.deferred || plan.compactAfter) && !plan.heldBy && applied.passes < MAX_PASSES) continue;

    const done = applied.passes > 0;
    // Held revocations are reported as held whenever an apply was asked for, even when nothing else was left to write.
    const held = plan.held.length > 0 && options.apply;
    const shown = first.plan;
    return {
      outcome: held ? 'held' : done ? 'applied' : plan.status === 'changes' ? 'planned' : plan.status,
      syncToken: options.desired.syncToken,
      ...(first.lastApplied ? { lastAppliedSyncToken: first.lastApplied } : {}),
      vpcId: actual.vpcId,
      applied: done,
      plan: shown,
      rulesAdded: applied.rulesAdded,
      rulesRevoked: applied.rulesRevoked,
      rulesHeld: plan.summary.rulesHeld,
      groupsCreated: applied.groupsCreated,
      enisChanged: applied.enisChanged,
      ...(applied.groupsDeleted > 0 ? { groupsDeleted: applied.groupsDeleted } : {}),
      ...(applied.rulesMoved > 0 ? { rulesMoved: applied.rulesMoved } : {}),
      ...(plan.heldBy ? { heldBy: plan.heldBy } : {}),
      attempts: races.attempts,
      ...(applied.passes > 1 ? { passes: applied.passes } : {}),
      apiCalls: diffCalls(before, options.ec2.apiCalls()),
      durationMs: Date.now() - started,
      // Once applied, the first plan's forecasts of later passes (deferred additions, a compaction to follow) happened: only the last plan's stand.
      warnings: uniqueFindings([...(done ? shown.warnings.filter((f) => !FORECASTS.has(f.code)) : shown.warnings), ...plan.warnings]),
      foreignRulesRevoked: applied.foreignRulesRevoked,
      refusedGroups: plan.refusedGroups ?? [],
    };
  }
  throw races.gaveUp('the managed groups', 'Run again; the state is safe, nothing published was blocked');
}

/**
 * Reconcile, and when a newer document overtook the run (`superseded`), once more with what the
 * source serves now, if that is at least as new as the document found on the groups: the handler and
 * the CLI alike, so an overtaken run never leaves its document's view behind. When the source still
 * serves the older document, the newer run owns the groups (and this run put back what it revoked).
 */
export async function reconcileToNewest(options: ReconcileOptions, refetch: () => Promise<DesiredState>): Promise<{ result: ReconcileResult; desired: DesiredState }> {
  const result = await reconcile(options);
  if (result.outcome !== 'superseded' || !options.apply) return { result, desired: options.desired };
  const current = await refetch();
  if (compareSyncTokens(current.syncToken, result.supersededBy ?? '0') < 0) return { result, desired: options.desired };
  return { result: await reconcile({ ...options, desired: current, force: false }), desired: current };
}

/** The plan's counts a run adds up over its passes (interfaces are counted once each instead: enisTouched). */
const SUMMED_OVER_PASSES = ['rulesAdded', 'rulesRevoked', 'groupsCreated', 'foreignRulesRevoked', 'groupsDeleted', 'rulesMoved'] as const;

/** A plan's warnings about work a later pass of the same run does. */
const FORECASTS: ReadonlySet<string> = new Set(['ADDITIONS_DEFERRED', 'COMPACTION_FOLLOWS']);

/** The first and the last pass often say the same thing: each finding once. */
function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(JSON.stringify(f)) && seen.add(JSON.stringify(f)) !== undefined);
}

export function diffCalls(before: ApiCalls, after: ApiCalls): ApiCalls {
  const byAction: Record<string, number> = {};
  for (const [action, n] of Object.entries(after.byAction)) {
    const d = n - (before.byAction[action] ?? 0);
    if (d > 0) byAction[action] = d;
  }
  return { reads: after.reads - before.reads, writes: after.writes - before.writes, byAction };
}
