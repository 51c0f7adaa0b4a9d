/** statusReport: pure, so the status document's shape and its verdicts are shown by small GIVENs. */
import { GUARD_RULE_DESCRIPTION } from '../../lambda-src/core/ownership';
import { assessForPlan, planReconcile } from '../../lambda-src/core/plan';
import type { ActualState, DesiredState, PortSpec } from '../../lambda-src/core/model';
import { countByPort, portLabel, statusReport, syncTokenState } from '../../cli/status/report';
import { actual, desired, eni, group, INSTANCE, OWN_GROUP, PREFIX, range, settings, tcp, v4, v6, VPC } from '../support/builders';

const PORTS: PortSpec[] = [{ protocol: 'tcp', fromPort: 80, toPort: 80 }];

/** What `cfguard status` computes for this state, minus the I/O: one assessment, the plan from it. */
function statusOf(state: ActualState, want: DesiredState, plannerSettings = settings()) {
  const input = { desired: want, actual: state, settings: plannerSettings };
  const assessment = assessForPlan(input);
  return statusReport({ actual: state, assessment, plan: planReconcile(input, assessment), ports: PORTS, prefixName: PREFIX, instanceId: INSTANCE });
}

const report = (state: ActualState, want: DesiredState) => statusOf(state, want);

describe('statusReport', () => {
  test('GIVEN every published rule applied and tagged THEN it is in sync (exit 0), field by field', () => {
    const rules = range(3, (i) => tcp(80, v4(i)));
    const g = group(1, rules, { syncToken: '2000000000' });
    const r = report(actual([g]), desired(rules, '2000000000'));
    expect(Object.keys(r)).toEqual(['status', 'exitCode', 'prefixName', 'vpcId', 'instanceId', 'syncToken', 'managedGroups', 'interfaces', 'pending', 'warnings']);
    expect(r).toMatchObject({ status: 'in-sync', exitCode: 0, prefixName: PREFIX, vpcId: VPC, instanceId: INSTANCE, warnings: [] });
    expect(r.syncToken).toEqual({ lastApplied: '2000000000', published: '2000000000', state: 'current' });
    expect(r.managedGroups).toEqual([
      { groupId: g.groupId, groupName: `${PREFIX}-1`, syncToken: '2000000000', rules: [{ port: '80/tcp', v4: 3, v6: 0 }], rulesTotal: 3, egressRules: 0, enis: [eni(1, []).eniId] },
    ]);
    expect(r.interfaces).toEqual([{ eniId: eni(1, []).eniId, instanceId: INSTANCE, groupIds: [OWN_GROUP, g.groupId], managedGroupIds: [g.groupId] }]);
    expect(r.pending).toEqual({
      outcome: 'in-sync',
      steps: 0,
      byKind: {},
      summary: { rulesKept: 3, rulesAdded: 0, rulesRevoked: 0, rulesHeld: 0, groupsCreated: 0, enisChanged: 0 },
      heldBy: null,
      plan: expect.objectContaining({ status: 'in-sync', steps: [] }),
    });
  });

  test('GIVEN a newer document with one more range THEN a plan is pending (exit 2): an authorize and a re-tag', () => {
    const rules = range(3, (i) => tcp(80, v4(i)));
    const r = report(actual([group(1, rules, { syncToken: '2000000000' })]), desired([...rules, tcp(80, v4(9))], '2000000060'));
    expect(r).toMatchObject({ status: 'pending', exitCode: 2 });
    expect(r.syncToken).toEqual({ lastApplied: '2000000000', published: '2000000060', state: 'behind' });
    expect(r.pending).toMatchObject({ outcome: 'planned', steps: 2, byKind: { authorize: 1, tagSyncToken: 1 }, summary: { rulesAdded: 1, rulesKept: 3 }, heldBy: null });
  });

  test('GIVEN no managed group yet THEN the syncToken was never applied and creating the groups is pending', () => {
    const r = report(actual([], [eni(1, [OWN_GROUP])]), desired([tcp(80, v4(1))]));
    expect(r).toMatchObject({ status: 'pending', exitCode: 2, managedGroups: [] });
    expect(r.syncToken).toEqual({ lastApplied: null, published: '2000000000', state: 'never-applied' });
    expect(r.pending.byKind).toEqual({ createGroup: 1, revokeEgress: 1, authorize: 1, attach: 1 });
  });

  test('GIVEN a document older than the one applied THEN it is stale: exit 0, the token is ahead, nothing planned', () => {
    const g = group(1, [tcp(80, v4(1))], { syncToken: '2000000000' });
    const r = report(actual([g]), desired([tcp(80, v4(2))], '1999999999'));
    expect(r).toMatchObject({ status: 'stale', exitCode: 0, pending: { outcome: 'stale', steps: 0 } });
    expect(r.syncToken.state).toBe('ahead');
    expect(r.warnings).toEqual([{ code: 'STALE_DOCUMENT', subject: '1999999999', details: { lastApplied: '2000000000' } }]);
  });

  test('GIVEN a withdrawal beyond MAX_REVOKE_FRACTION THEN the held revocations are pending, with the guard named', () => {
    const kept = tcp(80, v4(0));
    const g = group(1, [kept, ...range(5, (i) => tcp(80, v4(i + 1)))], { syncToken: '2000000000' });
    const r = report(actual([g]), desired([kept], '2000000060'));
    expect(r).toMatchObject({ status: 'pending', exitCode: 2, pending: { heldBy: 'GUARD_REVOKE_FRACTION', summary: { rulesHeld: 5, rulesRevoked: 0 } } });
    // held rules are the group's own, described as the guard writes them (which is what makes them CloudFront's, not foreign)
    expect(r.pending.plan.held).toEqual([{ group: g.groupId, rules: range(5, (i) => ({ ...tcp(80, v4(i + 1)), description: GUARD_RULE_DESCRIPTION })) }]);
  });

  test('GIVEN groups tagged with different syncTokens THEN the newest is the one last applied, the others are named, and no lone re-tag is planned', () => {
    // g1 full, so the two groups are not a compaction either
    const g1 = group(
      1,
      range(60, (i) => tcp(80, v4(i))),
      { syncToken: '2000000000' },
    );
    const g2 = group(2, [tcp(80, v4(60))], { syncToken: '2000000060' });
    const r = report(
      actual([g1, g2]),
      desired(
        range(61, (i) => tcp(80, v4(i))),
        '2000000060',
      ),
    );
    expect(r.syncToken).toEqual({ lastApplied: '2000000060', published: '2000000060', state: 'current' });
    expect(r.managedGroups.map((g) => g.syncToken)).toEqual(['2000000000', '2000000060']);
    expect(r.warnings).toEqual([{ code: 'SYNC_TOKEN_NOT_RECORDED', subject: '2000000060', details: { groups: [g1.groupId] } }]);
    // the tag is recorded only together with a change: the rules match, so nothing is pending
    expect(r).toMatchObject({ status: 'in-sync', exitCode: 0 });
    expect(r.pending.byKind).toEqual({});
  });

  test('GIVEN a newer document whose selected ranges are unchanged THEN it is current from the rules: in sync, exit 0, nothing to write', () => {
    const rules = range(3, (i) => tcp(80, v4(i)));
    const r = report(actual([group(1, rules, { syncToken: '2000000000' })]), desired(rules, '2000000060'));
    expect(r).toMatchObject({ status: 'in-sync', exitCode: 0, pending: { outcome: 'in-sync', steps: 0 } });
    expect(r.syncToken).toEqual({ lastApplied: '2000000000', published: '2000000060', state: 'current' });
  });

  test('GIVEN a migration with revocations held and additions deferred THEN it is never current, and no token is written', () => {
    // R=2, 3 groups per ENI (1 own): both managed groups full of the old ranges; the new ones need the freed slots
    const tight = settings({ rulesPerGroup: 2, groupsPerInterface: 3, maxRevokeFraction: 0.5 });
    const g1 = group(1, [tcp(80, v4(1)), tcp(80, v4(2))], { syncToken: '2000000000' });
    const g2 = group(2, [tcp(80, v4(3)), tcp(80, v4(4))], { syncToken: '2000000000' });
    const want = desired([tcp(80, v4(1)), tcp(80, v4(8)), tcp(80, v4(9))], '2000000060');
    const plan = planReconcile({ desired: want, actual: actual([g1, g2]), settings: tight });
    expect(plan).toMatchObject({ heldBy: 'GUARD_REVOKE_FRACTION', deferred: [tcp(80, v4(8)), tcp(80, v4(9))] });
    const r = statusOf(actual([g1, g2]), want, tight);
    expect(r).toMatchObject({ status: 'pending', exitCode: 2 });
    expect(r.syncToken.state).toBe('behind');
    expect(plan.steps.some((st) => st.kind === 'tagSyncToken' || (st.kind === 'createGroup' && 'CFGUARD_SYNC_TOKEN' in st.tags))).toBe(false);
  });

  test('GIVEN a group on two interfaces and one on none THEN each lists exactly its interfaces', () => {
    const g1 = group(1, [tcp(80, v4(1))]);
    const g2 = group(2, [tcp(80, v4(2))]);
    const enis = [eni(2, ['sg-other', g1.groupId], ''), eni(1, [OWN_GROUP, g1.groupId])];
    const r = report({ vpcId: VPC, groups: [g2, g1], enis }, desired([tcp(80, v4(1)), tcp(80, v4(2))]));
    expect(r.managedGroups.map((g) => [g.groupName, g.enis])).toEqual([
      [`${PREFIX}-1`, [eni(1, []).eniId, eni(2, []).eniId]],
      [`${PREFIX}-2`, []],
    ]);
    expect(r.interfaces.map((e) => [e.eniId, e.managedGroupIds])).toEqual([
      [eni(1, []).eniId, [g1.groupId]],
      [eni(2, []).eniId, [g1.groupId]],
    ]);
    expect(r.interfaces[1]).not.toHaveProperty('instanceId');
  });
});

describe('countByPort', () => {
  test('the configured ports come first, zeros included, then other ports found, per address family', () => {
    const ports: PortSpec[] = [
      { protocol: 'tcp', fromPort: 80, toPort: 80 },
      { protocol: 'tcp', fromPort: 443, toPort: 443 },
    ];
    const rules = [
      tcp(80, v4(1)),
      tcp(80, v6(1)),
      tcp(80, v4(2)),
      tcp(22, v4(3)),
      { protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' },
      { protocol: 'udp', fromPort: 8000, toPort: 8010, source: v6(2) },
    ];
    expect(countByPort(rules, ports)).toEqual([
      { port: '80/tcp', v4: 2, v6: 1 },
      { port: '443/tcp', v4: 0, v6: 0 },
      { port: '22/tcp', v4: 1, v6: 0 },
      { port: '8000-8010/udp', v4: 0, v6: 1 },
      { port: 'all', v4: 1, v6: 0 },
    ]);
  });

  test.each([
    [{ protocol: 'tcp', fromPort: 80, toPort: 80 }, '80/tcp'],
    [{ protocol: 'udp', fromPort: 1935, toPort: 1940 }, '1935-1940/udp'],
    [{ protocol: '-1', fromPort: -1, toPort: -1 }, 'all'],
  ])('portLabel(%j) is %s', (rule, label) => expect(portLabel(rule)).toBe(label));
});

describe('syncTokenState', () => {
  test.each([
    [{ stale: false, inSync: false, groups: [] }, 'never-applied'],
    [{ stale: false, inSync: true, groups: [group(1, [])] }, 'current'],
    [{ stale: false, inSync: false, groups: [group(1, [])] }, 'behind'],
    [{ stale: true, inSync: false, groups: [group(1, [])] }, 'ahead'],
  ] as const)('from the comparison %j: %s', (cmp, state) => expect(syncTokenState(cmp)).toBe(state));
});
