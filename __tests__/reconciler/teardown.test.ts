import fc from 'fast-check';
import { planTeardown } from '../../lambda-src/core/teardown';
import { INSTANCE, OWN_GROUP, PREFIX, actual, eni, group, tcp, v4 } from '../support/builders';
import { MANAGED_GROUP_DESCRIPTION } from '../../lambda-src/core/plan';
import type { OwnershipPolicy } from '../../lambda-src/core/ownership';

const PORTS = [{ protocol: 'tcp' as const, fromPort: 80, toPort: 80 }];
const GUARDED: OwnershipPolicy = { prefixName: PREFIX, managedDescription: MANAGED_GROUP_DESCRIPTION, guardedInstanceIds: [INSTANCE], ports: PORTS };
/** No INSTANCE_ID: the interfaces carrying an owned group are the guarded ones. */
const UNPINNED: OwnershipPolicy = { ...GUARDED, guardedInstanceIds: [] };
import { simulate } from '../support/simulate';

describe('planTeardown', () => {
  test("detaches every owned group from every guarded ENI, keeping the other groups, then deletes them; a group on another instance's ENI is left there", () => {
    const g1 = group(1, [tcp(80, v4(1))]);
    const g2 = group(2, [tcp(80, v4(2))]);
    const g3 = group(3, [tcp(80, v4(3))]);
    const state = actual(
      [g1, g2, g3],
      [eni(1, [OWN_GROUP, g1.groupId, g2.groupId]), eni(2, ['sg-other00000000000a', g2.groupId], INSTANCE), eni(3, ['sg-other00000000000b', g3.groupId], 'i-0ther000000000000')],
    );
    const plan = planTeardown(state, GUARDED);
    expect(plan.steps).toEqual([
      { kind: 'detach', eniId: eni(1, []).eniId, groupIds: [OWN_GROUP], removed: [g1.groupId, g2.groupId] },
      { kind: 'detach', eniId: eni(2, []).eniId, groupIds: ['sg-other00000000000a'], removed: [g2.groupId] },
      { kind: 'deleteGroup', group: g1.groupId, groupName: g1.groupName },
      { kind: 'deleteGroup', group: g2.groupId, groupName: g2.groupName },
    ]);
    expect(plan.refusedGroups).toEqual([expect.objectContaining({ groupId: g3.groupId, code: 'MANAGED_GROUP_ON_OTHER_INTERFACE', eniIds: [eni(3, []).eniId] })]);
    const after = simulate(state, plan, 60);
    expect(after.groups.map((g) => g.groupId)).toEqual([g3.groupId]);
    expect(planTeardown(after, GUARDED)).toMatchObject({ status: 'in-sync', steps: [] });
  });

  test('a tagged group the guard did not create and import did not adopt is never detached or deleted: FOREIGN_GROUP_TAGGED', () => {
    const db = group(9, [tcp(5432, '10.0.0.0/16')], { groupName: 'database', description: 'database' });
    const adopted = group(8, [tcp(80, v4(8))], { groupName: 'AUTOUPDATE_CF-K2P', description: 'tutorial', adoptedBy: PREFIX });
    const state = actual([db, adopted], [eni(1, [OWN_GROUP, adopted.groupId]), eni(2, [db.groupId], 'i-0db0000000000000a')]);
    const plan = planTeardown(state, GUARDED);
    expect(plan.steps).toEqual([
      { kind: 'detach', eniId: eni(1, []).eniId, groupIds: [OWN_GROUP], removed: [adopted.groupId] },
      { kind: 'deleteGroup', group: adopted.groupId, groupName: adopted.groupName },
    ]);
    expect(plan.refusedGroups).toEqual([expect.objectContaining({ groupId: db.groupId, code: 'FOREIGN_GROUP_TAGGED' })]);
  });

  test('an ENI whose only groups are managed is refused before any step, naming the ENI', () => {
    const g1 = group(1, []);
    const state = actual([g1], [eni(1, [OWN_GROUP, g1.groupId]), eni(7, [g1.groupId], undefined)]);
    expect(() => planTeardown(state, UNPINNED)).toThrow(expect.objectContaining({ code: 'LONE_MANAGED_GROUP', message: expect.stringContaining(eni(7, []).eniId) }));
  });

  test('nothing managed means nothing to do', () => {
    expect(planTeardown(actual([], [eni(1, [OWN_GROUP])]), GUARDED)).toMatchObject({ status: 'in-sync', steps: [] });
  });

  test('property: from any partial teardown the plan finishes it, and planning again is empty', () => {
    const arb = fc.record({ groups: fc.integer({ min: 0, max: 4 }), attached: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }) });
    fc.assert(
      fc.property(arb, ({ groups, attached }) => {
        const gs = Array.from({ length: groups }, (_, i) => group(i + 1, [tcp(80, v4(i))]));
        const enis = [0, 1].map((e) => eni(e + 1, [OWN_GROUP, ...gs.filter((_, i) => attached[e * 4 + i]).map((g) => g.groupId)]));
        const state = actual(gs, enis);
        const after = simulate(state, planTeardown(state, GUARDED), 60);
        expect(after.groups).toEqual([]);
        expect(after.enis.every((e) => e.groupIds.length === 1 && e.groupIds[0] === OWN_GROUP)).toBe(true);
        expect(planTeardown(after, GUARDED).steps).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
