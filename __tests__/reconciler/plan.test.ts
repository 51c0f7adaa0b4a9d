import { planReconcile } from '../../lambda-src/core/plan';
import { isGuardError } from '../../lambda-src/core/errors';
import type { Step } from '../../lambda-src/core/model';
import { INSTANCE, OWN_GROUP, actual, desired, eni, group, range, settings, tcp, v4, v6 } from '../support/builders';
import { simulate } from '../support/simulate';

const kinds = (steps: readonly Step[]) => steps.map((s) => s.kind);

describe('planReconcile', () => {
  test('an empty account gets one group, created tagged, its egress removed, filled, then attached to the instance ENI', () => {
    const plan = planReconcile({ desired: desired(range(45, (i) => tcp(80, v4(i)))), actual: actual([]), settings: settings() });
    expect(kinds(plan.steps)).toEqual(['createGroup', 'revokeEgress', 'authorize', 'attach']);
    const create = plan.steps[0];
    expect(create).toMatchObject({ groupName: 'AUTOUPDATE_CF-1', tags: { PREFIX_NAME: 'AUTOUPDATE_CF', CFGUARD_SYNC_TOKEN: '2000000000' } });
    const attach = plan.steps[3];
    expect(attach).toMatchObject({ kind: 'attach', groupIds: [OWN_GROUP, 'new:AUTOUPDATE_CF-1'], added: ['new:AUTOUPDATE_CF-1'] });
    expect(plan.summary).toMatchObject({ rulesAdded: 45, groupsCreated: 1, enisChanged: 1, rulesRevoked: 0 });
  });

  test('IPv4 and IPv6 are counted separately against the quota, so 60 of each fit one group', () => {
    const rules = [...range(60, (i) => tcp(80, v4(i))), ...range(60, (i) => tcp(80, v6(i)))];
    const plan = planReconcile({ desired: desired(rules), actual: actual([]), settings: settings() });
    expect(plan.summary.groupsCreated).toBe(1);
  });

  test('ranges beyond one group spill into a second, deterministically named group', () => {
    const plan = planReconcile({ desired: desired(range(90, (i) => tcp(80, v4(i)))), actual: actual([]), settings: settings() });
    const names = plan.steps.filter((s) => s.kind === 'createGroup').map((s) => (s as { groupName: string }).groupName);
    expect(names).toEqual(['AUTOUPDATE_CF-1', 'AUTOUPDATE_CF-2']);
    const sizes = plan.steps.filter((s) => s.kind === 'authorize').map((s) => (s as { rules: readonly unknown[] }).rules.length);
    expect(sizes).toEqual([60, 30]);
  });

  test('free slots in existing groups are filled before any group is created, counting rules still to be revoked', () => {
    const g1 = group(
      1,
      range(50, (i) => tcp(80, v4(i))),
    );
    const want = [...range(40, (i) => tcp(80, v4(i))), ...range(15, (i) => tcp(80, v4(100 + i)))];
    const plan = planReconcile({ desired: desired(want), actual: actual([g1]), settings: settings() });
    // 10 free slots now (50 used, 10 of them leaving only after the additions): 10 go to g1, 5 to a new group
    const auth = plan.steps.filter((s) => s.kind === 'authorize') as Extract<Step, { kind: 'authorize' }>[];
    expect(auth.map((a) => [a.group, a.rules.length])).toEqual([
      [g1.groupId, 10],
      ['new:AUTOUPDATE_CF-2', 5],
    ]);
    expect(plan.summary.rulesRevoked).toBe(10);
  });

  test('the order is create, authorize, attach, revoke, and the sync token is recorded last', () => {
    const g1 = group(
      1,
      range(60, (i) => tcp(80, v4(i))),
      { syncToken: '1000000000' },
    );
    const want = [...range(40, (i) => tcp(80, v4(i))), ...range(30, (i) => tcp(80, v4(500 + i)))];
    const plan = planReconcile({ desired: desired(want), actual: actual([g1]), settings: settings() });
    expect(kinds(plan.steps)).toEqual(['createGroup', 'revokeEgress', 'authorize', 'attach', 'revoke', 'tagSyncToken']);
  });

  test('a second run over the result is in sync: no steps at all', () => {
    const g1 = group(
      1,
      range(45, (i) => tcp(80, v4(i))),
      { syncToken: '2000000000' },
    );
    const plan = planReconcile({ desired: desired(range(45, (i) => tcp(80, v4(i)))), actual: actual([g1]), settings: settings() });
    expect(plan).toMatchObject({ status: 'in-sync', steps: [], held: [] });
  });

  test('an older document than the one last applied plans nothing and says stale', () => {
    const g1 = group(1, [tcp(80, v4(1))], { syncToken: '3000000000' });
    const plan = planReconcile({ desired: desired([tcp(80, v4(2))], '2000000000'), actual: actual([g1]), settings: settings() });
    expect(plan.status).toBe('stale');
    expect(plan.steps).toEqual([]);
  });

  test('a forced run on an older document whose rules already match writes only the token, moving it back', () => {
    const g1 = group(1, [tcp(80, v4(1))], { syncToken: '3000000000' });
    const older = desired([tcp(80, v4(1))], '2000000000');
    expect(planReconcile({ desired: older, actual: actual([g1]), settings: settings() }).status).toBe('stale');
    const forced = planReconcile({ desired: older, actual: actual([g1]), settings: settings(), force: true });
    expect(forced.steps).toEqual([{ kind: 'tagSyncToken', groups: [g1.groupId], syncToken: '2000000000' }]);
  });

  test('revocations beyond the blast-radius fraction are held while additions still go ahead', () => {
    const g1 = group(
      1,
      range(10, (i) => tcp(80, v4(i))),
      { syncToken: '1' },
    );
    const plan = planReconcile({ desired: desired([...range(4, (i) => tcp(80, v4(i))), tcp(80, v4(99))]), actual: actual([g1]), settings: settings() });
    expect(plan.heldBy).toBe('GUARD_REVOKE_FRACTION');
    // the token is not recorded while revocations are held: the document is not applied yet
    expect(kinds(plan.steps)).toEqual(['authorize']);
    expect(plan.summary).toMatchObject({ rulesHeld: 6, rulesRevoked: 0, rulesAdded: 1 });
    const forced = planReconcile({ desired: desired([...range(4, (i) => tcp(80, v4(i))), tcp(80, v4(99))]), actual: actual([g1]), settings: settings(), force: true });
    expect(forced.summary).toMatchObject({ rulesHeld: 0, rulesRevoked: 6 });
  });

  test('foreign rules and duplicate copies inside managed groups are revoked; managed groups are wholly ours', () => {
    const g1 = group(1, [tcp(80, v4(1)), tcp(22, '0.0.0.0/0'), { protocol: 'tcp', fromPort: 80, toPort: 80, source: 'sg-0123456789abcdef0' }]);
    const g2 = group(2, [tcp(80, v4(1)), tcp(80, v4(2))]);
    const plan = planReconcile({ desired: desired([tcp(80, v4(1)), tcp(80, v4(2))]), actual: actual([g1, g2]), settings: settings({ maxRevokeFraction: 1 }) });
    const revokes = plan.steps.filter((s) => s.kind === 'revoke') as Extract<Step, { kind: 'revoke' }>[];
    expect(revokes.map((r) => [r.group, r.rules.map((x) => x.source)])).toEqual([
      [g1.groupId, ['0.0.0.0/0', 'sg-0123456789abcdef0']],
      [g2.groupId, [v4(1)]],
    ]);
  });

  test('the ENI keeps every group of its own when managed groups are added to it', () => {
    const plan = planReconcile({ desired: desired([tcp(80, v4(1))]), actual: actual([], [eni(1, ['sg-a0000000000000001', 'sg-b0000000000000002'])]), settings: settings() });
    const attach = plan.steps.find((s) => s.kind === 'attach') as Extract<Step, { kind: 'attach' }>;
    expect(attach.groupIds).toEqual(['sg-a0000000000000001', 'sg-b0000000000000002', 'new:AUTOUPDATE_CF-1']);
  });

  test('ENIs already carrying a managed group get new groups too, even without INSTANCE_ID', () => {
    const g1 = group(
      1,
      range(60, (i) => tcp(80, v4(i))),
    );
    const other = eni(2, [OWN_GROUP, g1.groupId], undefined);
    const plan = planReconcile({ desired: desired(range(61, (i) => tcp(80, v4(i)))), actual: actual([g1], [other]), settings: settings({ instanceId: undefined }) });
    expect(plan.steps.filter((s) => s.kind === 'attach').map((s) => (s as { eniId: string }).eniId)).toEqual([other.eniId]);
  });

  test.each([
    ['GROUPS_PER_INTERFACE', 422, 5, { groupsNeeded: 9, rulesPerGroupThatFits: 106 }],
    ['RULES_PER_GROUP only', 2000, 5, { groupsNeeded: 35 }],
  ])('a plan that does not fit the interface quota fails before any write and names the fix (%s)', (_name, n, gpi, details) => {
    try {
      planReconcile({ desired: desired(range(n, (i) => tcp(80 + (i % 2), v4(i >> 1)))), actual: actual([]), settings: settings({ groupsPerInterface: gpi }) });
      throw new Error('expected a quota error');
    } catch (e) {
      expect(isGuardError(e) && e.code).toBe('QUOTA_GROUPS_PER_INTERFACE');
      expect((e as Error).message).toMatch(/GROUPS_PER_INTERFACE/);
      expect((e as { details: object }).details).toMatchObject(details);
    }
  });

  test('zero desired rules are refused whole', () => {
    expect(() => planReconcile({ desired: desired([]), actual: actual([]), settings: settings() })).toThrow(expect.objectContaining({ code: 'EMPTY_RANGES' }));
  });

  test('an instance ENI that carries no managed groups yet is healed by attaching every managed group', () => {
    const g1 = group(1, [tcp(80, v4(1))], { syncToken: '2000000000' });
    const plan = planReconcile({ desired: desired([tcp(80, v4(1))]), actual: actual([g1], [eni(1, [OWN_GROUP], INSTANCE)]), settings: settings() });
    expect(kinds(plan.steps)).toEqual(['attach']);
  });

  describe('when adding before revoking needs more groups than the interface allows, but the end state fits', () => {
    // R=4, 3 groups per ENI, 1 of them the instance's own: room for 2 managed groups, both full
    const g1 = group(1, [tcp(80, v4(1)), tcp(80, v4(2)), tcp(80, v4(3)), tcp(80, v4(4))], { syncToken: '1' });
    const g2 = group(2, [tcp(80, v4(5)), tcp(80, v4(6)), tcp(80, v4(7)), tcp(80, v4(8))], { syncToken: '1' });
    const tight = settings({ rulesPerGroup: 4, groupsPerInterface: 3, maxRevokeFraction: 1 });
    const want = [tcp(80, v4(1)), tcp(80, v4(90)), tcp(80, v4(91))];

    test('the plan revokes first-pass and defers the additions that need the freed slots, never revoking a kept rule', () => {
      const plan = planReconcile({ desired: desired(want), actual: actual([g1, g2]), settings: tight });
      // no token while additions are deferred: the second pass records it
      expect(kinds(plan.steps)).toEqual(['revoke', 'revoke']);
      expect(plan.deferred?.map((r) => r.source)).toEqual([v4(90), v4(91)]);
      expect(plan.summary).toMatchObject({ rulesDeferred: 2, rulesRevoked: 7, groupsCreated: 0 });
      const revoked = plan.steps.flatMap((st) => (st.kind === 'revoke' ? st.rules.map((r) => r.source) : []));
      expect(revoked).not.toContain(v4(1));
    });

    test('a second pass over the result adds the deferred rules within the quota and reaches the desired set', () => {
      const plan = planReconcile({ desired: desired(want), actual: actual([g1, g2]), settings: tight });
      const between = simulate(actual([g1, g2]), plan, 4);
      const second = planReconcile({ desired: desired(want), actual: between, settings: tight });
      expect(second.deferred).toBeUndefined();
      expect(kinds(second.steps)).toEqual(['authorize', 'tagSyncToken']);
      const end = simulate(between, second, 4);
      expect(end.groups.flatMap((g) => g.ingress.map((r) => r.source)).sort()).toEqual(want.map((r) => r.source).sort());
      expect(end.enis[0].groupIds).toHaveLength(3);
    });

    test('with the blast-radius guard tripped the deferred additions wait with the held revocations', () => {
      const plan = planReconcile({ desired: desired(want), actual: actual([g1, g2]), settings: { ...tight, maxRevokeFraction: 0.5 } });
      expect(plan.heldBy).toBe('GUARD_REVOKE_FRACTION');
      expect(plan.deferred).toHaveLength(2);
      expect(plan.status).toBe('changes');
      expect(kinds(plan.steps)).toEqual([]);
    });

    test('an end state that would not fit either is still the quota error', () => {
      const many = range(9, (i) => tcp(80, v4(100 + i)));
      expect(() => planReconcile({ desired: desired(many), actual: actual([g1, g2]), settings: tight })).toThrow(expect.objectContaining({ code: 'QUOTA_GROUPS_PER_INTERFACE' }));
    });
  });
});
