import fc from 'fast-check';
import { planTeardown } from '../../lambda-src/core/teardown';
import { OWN_GROUP, PREFIX, actual, eni, group, tcp, v4 } from '../support/builders';
import { simulate } from '../support/simulate';

describe('planTeardown', () => {
  test('detaches every managed group from every ENI, keeping the other groups, then deletes the managed groups', () => {
    const g1 = group(1, [tcp(80, v4(1))]);
    const g2 = group(2, [tcp(80, v4(2))]);
    const state = actual([g1, g2], [eni(1, [OWN_GROUP, g1.groupId, g2.groupId]), eni(2, ['sg-other00000000000a', g2.groupId], undefined)]);
    const plan = planTeardown(state, PREFIX);
    expect(plan.steps).toEqual([
      { kind: 'detach', eniId: eni(1, []).eniId, groupIds: [OWN_GROUP], removed: [g1.groupId, g2.groupId] },
      { kind: 'detach', eniId: eni(2, []).eniId, groupIds: ['sg-other00000000000a'], removed: [g2.groupId] },
      { kind: 'deleteGroup', group: g1.groupId, groupName: g1.groupName },
      { kind: 'deleteGroup', group: g2.groupId, groupName: g2.groupName },
    ]);
    const after = simulate(state, plan, 60);
    expect(after.groups).toEqual([]);
    expect(planTeardown(after, PREFIX)).toMatchObject({ status: 'in-sync', steps: [] });
  });

  test('an ENI whose only groups are managed is refused before any step, naming the ENI', () => {
    const g1 = group(1, []);
    const state = actual([g1], [eni(1, [OWN_GROUP, g1.groupId]), eni(7, [g1.groupId], undefined)]);
    expect(() => planTeardown(state, PREFIX)).toThrow(expect.objectContaining({ code: 'LONE_MANAGED_GROUP', message: expect.stringContaining(eni(7, []).eniId) }));
  });

  test('nothing managed means nothing to do', () => {
    expect(planTeardown(actual([], [eni(1, [OWN_GROUP])]), PREFIX)).toMatchObject({ status: 'in-sync', steps: [] });
  });

  test('property: from any partial teardown the plan finishes it, and planning again is empty', () => {
    const arb = fc.record({ groups: fc.integer({ min: 0, max: 4 }), attached: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }) });
    fc.assert(
      fc.property(arb, ({ groups, attached }) => {
        const gs = Array.from({ length: groups }, (_, i) => group(i + 1, [tcp(80, v4(i))]));
        const enis = [0, 1].map((e) => eni(e + 1, [OWN_GROUP, ...gs.filter((_, i) => attached[e * 4 + i]).map((g) => g.groupId)]));
        const state = actual(gs, enis);
        const after = simulate(state, planTeardown(state, PREFIX), 60);
        expect(after.groups).toEqual([]);
        expect(after.enis.every((e) => e.groupIds.length === 1 && e.groupIds[0] === OWN_GROUP)).toBe(true);
        expect(planTeardown(after, PREFIX).steps).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
