/** One teardown run: read, plan the teardown, apply; re-read when another writer raced us. */
import type { ApiCalls, SecurityGroupManager } from './security-group-manager';
import { applyPlan, type ApplyOptions } from './apply';
import { planWithReferences, readActualState } from './ec2-state';
import type { Plan, Step } from '../core/model';
import { diffCalls } from './reconcile';
import { RaceRetry } from './race-retry';
import type { GuardSettings } from '../config/settings';
import { planTeardown } from '../core/teardown';
import { ownershipPolicy } from '../core/plan';
import { guardedInstanceList, ownGroupIdsOf, type GuardedInstanceSettings, type RefusedGroup } from '../core/ownership';

export interface TeardownOptions {
  readonly ec2: SecurityGroupManager;
  readonly settings: Pick<GuardSettings, 'prefixName' | 'vpcId' | 'instanceId' | 'ports' | 'instanceSecurityGroupId'> & GuardedInstanceSettings;
  readonly apply: boolean;
  readonly onStep?: ApplyOptions['onStep'];
}

export interface TeardownResult {
  readonly outcome: 'torn-down' | 'planned' | 'in-sync';
  readonly vpcId: string;
  readonly applied: boolean;
  readonly plan: Plan;
  readonly groupsDeleted: number;
  readonly enisChanged: number;
  readonly attempts: number;
  readonly apiCalls: ApiCalls;
  readonly durationMs: number;
  /** Tagged groups left exactly where they are (not the guard's, or on another instance's interface). */
  readonly refusedGroups: readonly RefusedGroup[];
}

export async function teardown(options: TeardownOptions): Promise<TeardownResult> {
  const started = Date.now();
  const before = options.ec2.apiCalls();
  const races = new RaceRetry();
  for (;;) {
    // Every ENI carrying a tagged group is read, so one on another instance is seen (and left alone).
    const { settings } = options;
    const actual = await readActualState(options.ec2, { prefixName: settings.prefixName, vpcId: settings.vpcId, instanceIds: guardedInstanceList(settings) });
    const policy = ownershipPolicy(settings, settings.ports, ownGroupIdsOf(settings));
    const { plan } = await planWithReferences(options.ec2, actual, (state) => planTeardown(state, policy));
    const mustWrite = options.apply && plan.steps.length > 0;
    try {
      if (mustWrite) await applyPlan(options.ec2, plan, { vpcId: actual.vpcId, onStep: options.onStep });
    } catch (e) {
      if (races.retryAfter(e)) continue;
      throw races.gaveUp('the managed groups during teardown', 'Run again');
    }
    const count = (kind: Step['kind']) => (mustWrite ? plan.steps.filter((s) => s.kind === kind).length : 0);
    return {
      outcome: plan.status === 'in-sync' ? 'in-sync' : mustWrite ? 'torn-down' : 'planned',
      vpcId: actual.vpcId,
      applied: mustWrite,
      plan,
      groupsDeleted: count('deleteGroup'),
      enisChanged: count('detach'),
      attempts: races.attempts,
      apiCalls: diffCalls(before, options.ec2.apiCalls()),
      durationMs: Date.now() - started,
      refusedGroups: plan.refusedGroups ?? [],
    };
  }
}
