/**
 * Issue 21's numbered cases, each as a GIVEN: drift, reconcile's dry run and status read one
 * assessment, so their exit codes and findings agree rule for rule. Every case runs the three views
 * on the same state, with the same clock, protected group and expected ingest rules.
 */
import { compareDrift, type DriftInput } from '../../cli/drift/compare';
import { exposureFix } from '../../cli/render/findings';
import { reconcileExitCode } from '../../cli/run/reconcile';
import { statusReport } from '../../cli/status/report';
import type { InstanceView } from '../../lambda-src/core/assessment';
import type { ActualState, DesiredState, ManagedGroup, Plan, Rule } from '../../lambda-src/core/model';
import { assessForPlan, planReconcile, type PlanInput } from '../../lambda-src/core/plan';
import { EXIT_CHANGES, EXIT_OK } from '../../cli/exit-codes';
import { actual, desired, eni, group, INSTANCE, OWN_GROUP, PREFIX, settings, tcp, v4 } from '../support/builders';

const PORTS = [{ protocol: 'tcp' as const, fromPort: 80, toPort: 80 }];
const NOW = 1_900_000_000_000; // epoch ms; tokens below are epoch seconds around it
const INGEST: Rule[] = [
  { protocol: 'udp', fromPort: 1935, toPort: 1935, source: '0.0.0.0/0' },
  { protocol: 'tcp', fromPort: 1945, toPort: 1945, source: '0.0.0.0/0' },
];
const udp = (port: number, source: string): Rule => ({ protocol: 'udp', fromPort: port, toPort: port, source });

interface World {
  readonly state: ActualState;
  readonly want: DesiredState;
  /** The instance's own group's ingress (never tagged). */
  readonly own?: readonly Rule[];
  readonly protectedGroupIds?: readonly string[];
}

function instanceOf(w: World): InstanceView {
  const groups = [...w.state.groups, { groupId: OWN_GROUP, groupName: 'media-server', ingress: w.own ?? [] }];
  return { enis: w.state.enis.filter((e) => e.instanceId === INSTANCE), groups: groups.map((g) => ({ groupId: g.groupId, groupName: g.groupName, ingress: g.ingress })) };
}

/** The three views of one world, as the CLI and the Lambda compute them (minus the reads). */
function views(w: World) {
  const input: PlanInput = { desired: w.want, actual: w.state, settings: settings({ ports: PORTS }), protectedGroupIds: w.protectedGroupIds, now: NOW };
  const instance = instanceOf(w);
  const assessment = assessForPlan(input, { expectedIngest: INGEST, instance });
  const plan: Plan = planReconcile(input, assessment);
  const outcome = plan.status === 'changes' ? ('planned' as const) : plan.status;
  const driftInput: DriftInput = {
    actual: w.state,
    desired: w.want,
    ports: PORTS,
    prefixName: PREFIX,
    instanceId: INSTANCE,
    protectedGroupIds: w.protectedGroupIds,
    now: NOW,
    expectedIngest: INGEST,
    instance,
  };
  const drift = compareDrift(driftInput);
  const status = statusReport({ actual: w.state, assessment, plan, ports: PORTS, prefixName: PREFIX, instanceId: INSTANCE });
  return {
    plan,
    drift,
    status,
    exits: { drift: drift.status === 'drift' ? EXIT_CHANGES : EXIT_OK, reconcile: reconcileExitCode({ outcome, refusedGroups: plan.refusedGroups ?? [] }), status: status.exitCode },
    exposure: assessment.exposure!,
  };
}

const published = (n: number) => desired([tcp(80, v4(n))], '1899999000');
const managed = (rules: Rule[], extra: Partial<ManagedGroup> = {}) => group(1, rules, { syncToken: '1899990000', ...extra });

describe('issue 21: drift, reconcile and status agree on each case', () => {
  test('2. GIVEN a group token more than a day ahead and a newer document that changes a range THEN all three see drift (exit 2) and name the token', () => {
    const w: World = {
      state: actual([managed([tcp(80, v4(1)), tcp(80, v4(2)), tcp(80, v4(3))], { syncToken: '1999999999' })]),
      want: desired([tcp(80, v4(2)), tcp(80, v4(3)), tcp(80, v4(4))], '1899999000'),
    };
    const v = views(w);
    expect(v.exits).toEqual({ drift: 2, reconcile: 2, status: 2 });
    expect(v.drift.status).toBe('drift');
    expect(v.drift.extra.map((e) => [e.source, e.reason])).toEqual([[v4(1), 'withdrawn']]);
    expect(v.drift.missing.map((m) => m.source)).toEqual([v4(4)]);
    const future = { code: 'SYNC_TOKEN_IN_FUTURE', subject: w.state.groups[0].groupId, details: expect.objectContaining({ syncToken: '1999999999' }) };
    expect(v.drift.warnings).toEqual([future]);
    expect(v.plan.warnings).toEqual(expect.arrayContaining([future]));
    // the future token does not wedge the guard: the document is applied and its token replaces the future one
    expect(v.plan.steps.find((s) => s.kind === 'tagSyncToken')).toEqual({ kind: 'tagSyncToken', groups: [w.state.groups[0].groupId], syncToken: '1899999000' });
  });

  test('3. GIVEN the ingest rules open-ingest writes on the own group THEN no view reports them, and a world-open 22 is the one warning', () => {
    const w: World = { state: actual([managed([tcp(80, v4(1))])]), want: published(1), own: [...INGEST, tcp(22, '0.0.0.0/0')] };
    const v = views(w);
    expect(v.exits).toEqual({ drift: 0, reconcile: 0, status: 0 });
    expect(v.exposure.exposed).toEqual([]);
    expect(v.exposure.warnings.map((x) => x.rule)).toEqual(['22/tcp from 0.0.0.0/0']);
    expect(v.drift.exposure).toEqual(v.exposure);
  });

  test('4a. GIVEN a hand-added 198.51.100.0/24 in a managed group THEN drift calls it foreign-cidr, the plan revokes it as foreign, never held, and it is exposure', () => {
    const hand = { ...tcp(80, '198.51.100.0/24'), description: 'office' };
    const v = views({ state: actual([managed([tcp(80, v4(1)), hand])]), want: published(1) });
    expect(v.exits).toEqual({ drift: 2, reconcile: 2, status: 2 });
    expect(v.drift.extra.map((e) => [e.source, e.reason])).toEqual([['198.51.100.0/24', 'foreign-cidr']]);
    expect(v.plan.summary).toMatchObject({ rulesRevoked: 1, foreignRulesRevoked: 1, rulesHeld: 0 });
    expect(v.exposure.exposed).toEqual([expect.objectContaining({ rule: '80/tcp from 198.51.100.0/24', kind: 'foreign-cidr', managed: true })]);
  });

  test('4b. GIVEN a forged guard description on 10.0.0.0/8 port 80 THEN it is foreign, revoked unheld even past the blast-radius fraction, and reported as exposure', () => {
    const v = views({ state: actual([managed([tcp(80, v4(1)), tcp(80, '10.0.0.0/8')])]), want: published(1) });
    expect(v.drift.extra.map((e) => [e.source, e.reason])).toEqual([['10.0.0.0/8', 'foreign-cidr']]);
    expect(v.plan).toMatchObject({ held: [], summary: { foreignRulesRevoked: 1, rulesHeld: 0 } });
    expect(v.exposure.exposed.map((x) => x.rule)).toEqual(['80/tcp from 10.0.0.0/8']);
  });

  test('4c. GIVEN a /26 inside a published range on the own group THEN it is CloudFront: no exposure, no alarm, exit 0 everywhere', () => {
    const v = views({ state: actual([managed([tcp(80, v4(1))])]), want: published(1), own: [tcp(80, '10.0.1.64/26')] });
    expect(v.exits).toEqual({ drift: 0, reconcile: 0, status: 0 });
    expect(v.exposure.exposed).toEqual([]);
  });

  test('5a. GIVEN world-open 80 in a managed group THEN the exposure is the guard’s to fix: reconcile --apply, not open-ingest', () => {
    const v = views({ state: actual([managed([tcp(80, v4(1)), tcp(80, '0.0.0.0/0')])]), want: published(1) });
    const [e] = v.exposure.exposed;
    expect(e).toMatchObject({ kind: 'world-open', managed: true });
    expect(exposureFix(e)).toMatch(/cfguard reconcile --apply/);
    expect(exposureFix(e)).not.toMatch(/open-ingest/);
    expect(v.drift.extra.map((x) => x.reason)).toEqual(['world-open']);
  });

  test('5b. GIVEN world-open 80 on the own group THEN the fix names that group and open-ingest --close-public', () => {
    const v = views({ state: actual([managed([tcp(80, v4(1))])]), want: published(1), own: [tcp(80, '0.0.0.0/0')] });
    const [e] = v.exposure.exposed;
    expect(e).toMatchObject({ groupId: OWN_GROUP, managed: false });
    expect(exposureFix(e)).toMatch(new RegExp(`${OWN_GROUP}.*open-ingest --close-public 80 --apply`));
    // exposure needs attention: drift and status exit 2 (one verdict: cli/status/verdict); reconcile has nothing of its own to write
    expect(v.exits).toEqual({ drift: 2, reconcile: 0, status: 2 });
    expect(v.status.status).toBe('attention');
  });

  test('GIVEN the own group tagged by mistake THEN all three exit 2 on FOREIGN_GROUP_TAGGED and none writes or judges its rules', () => {
    const own = { ...group(7, [tcp(22, '0.0.0.0/0'), udp(1935, '0.0.0.0/0')]), groupId: OWN_GROUP, groupName: 'media-server' };
    const state = actual([managed([tcp(80, v4(1))]), own], [eni(1, [OWN_GROUP, group(1, []).groupId])]);
    const v = views({ state, want: published(1), protectedGroupIds: [OWN_GROUP] });
    expect(v.exits).toEqual({ drift: 2, reconcile: 2, status: 2 });
    expect(v.drift.warnings).toEqual([expect.objectContaining({ code: 'FOREIGN_GROUP_TAGGED', subject: OWN_GROUP })]);
    expect(v.drift.extra).toEqual([]);
    expect(v.drift.managedGroups.map((g) => g.groupId)).toEqual([group(1, []).groupId]);
    expect(v.plan.steps).toEqual([]);
  });
});
