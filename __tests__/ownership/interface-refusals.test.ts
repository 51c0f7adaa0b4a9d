/**
 * The code's side of the function's IAM policy on interface writes (issue 20): a guarded ENI may be
 * rewritten only while every group in its list is one the policy lets the function name (created,
 * adopted, the instance's own group; without a configured own group, any untagged group). Pure:
 * partitionGroups, the planner and the teardown on hand-built states.
 */
import { partitionGroups, type OwnershipPolicy } from '../../lambda-src/core/ownership';
import { MANAGED_GROUP_DESCRIPTION, planReconcile } from '../../lambda-src/core/plan';
import { planTeardown } from '../../lambda-src/core/teardown';
import { INSTANCE, OWN_GROUP, PREFIX, actual, desired, eni, group, range, settings, tcp, v4 } from '../support/builders';

const PORTS = [{ protocol: 'tcp' as const, fromPort: 80, toPort: 80 }];
const UNNAMED: OwnershipPolicy = { prefixName: PREFIX, managedDescription: MANAGED_GROUP_DESCRIPTION, guardedInstanceIds: [INSTANCE], ports: PORTS };
const NAMED: OwnershipPolicy = { ...UNNAMED, protectedGroupIds: [OWN_GROUP] };
const MONITORING = 'sg-0m0n000000000000a';

const mine = group(1, [tcp(80, v4(1))]);
const taggedDb = group(9, [tcp(5432, '10.0.0.0/16')], { groupName: 'database', description: 'database' });
const adoptedWithForeignRule = group(8, [tcp(80, v4(8)), tcp(22, '0.0.0.0/0')], { groupName: 'AUTOUPDATE_CF-K2P', description: 'tutorial', adoptedBy: PREFIX });

describe('interfaceRefusals, through partitionGroups', () => {
  test.each([
    ['the own group and a created group, own group named', [mine], [OWN_GROUP, mine.groupId], NAMED, []],
    ['the own group and a created group, no own group named (untagged stands in)', [mine], [OWN_GROUP, mine.groupId], UNNAMED, []],
    ["another team's untagged group, own group named", [mine], [OWN_GROUP, MONITORING, mine.groupId], NAMED, [MONITORING]],
    ["another team's untagged group, no own group named: the policy's stand-in lets it pass, so does the code", [mine], [OWN_GROUP, MONITORING, mine.groupId], UNNAMED, []],
    ['a tagged group the guard cannot prove its own', [mine, taggedDb], [OWN_GROUP, taggedDb.groupId, mine.groupId], NAMED, [taggedDb.groupId]],
    ['the own group tagged by mistake, named: by ARN', [mine, { ...group(2, []), groupId: OWN_GROUP, groupName: 'media', description: 'media' }], [OWN_GROUP, mine.groupId], NAMED, []],
    [
      'the own group tagged by mistake, not named: it is a tagged group like any other',
      [mine, { ...group(2, []), groupId: OWN_GROUP, groupName: 'media', description: 'media' }],
      [OWN_GROUP, mine.groupId],
      UNNAMED,
      [OWN_GROUP],
    ],
    [
      'an adopted group refused for a foreign rule still carries CFGUARD_ADOPTED: nameable, though never written',
      [mine, adoptedWithForeignRule],
      [OWN_GROUP, adoptedWithForeignRule.groupId],
      NAMED,
      [],
    ],
  ])('%s', (_name, groups, onEni, policy, blocking) => {
    const state = actual(groups, [eni(1, onEni), eni(2, [mine.groupId])]);
    const p = partitionGroups(state.groups, state.enis, policy);
    expect(p.refusedInterfaces.map((r) => r.groupId)).toEqual(blocking);
    for (const r of p.refusedInterfaces)
      expect(r).toMatchObject({ code: 'FOREIGN_GROUP_ON_INTERFACE', eniIds: [eni(1, []).eniId], reason: expect.stringContaining(`${eni(1, []).eniId} holds ${r.groupId}`) });
    expect(p.writableEnis.map((e) => e.eniId)).toEqual(blocking.length > 0 ? [eni(2, []).eniId] : [eni(1, []).eniId, eni(2, []).eniId]);
  });
});

describe('a blocked interface in the planner and the teardown', () => {
  test('the reconcile plans nothing on it, carries on with the other interface, and names the group', () => {
    const rules = range(3, (i) => tcp(80, v4(i + 1)));
    const state = actual([], [eni(1, [OWN_GROUP, MONITORING]), eni(2, [OWN_GROUP])]);
    const plan = planReconcile({ desired: desired(rules), actual: state, settings: settings(), protectedGroupIds: [OWN_GROUP] });
    const attached = plan.steps.filter((s) => s.kind === 'attach').map((s) => (s as { eniId: string }).eniId);
    expect(attached).toEqual([eni(2, []).eniId]);
    expect(plan.refusedGroups).toEqual([expect.objectContaining({ groupId: MONITORING, code: 'FOREIGN_GROUP_ON_INTERFACE' })]);
    expect(plan.warnings.map((w) => w.code)).toContain('FOREIGN_GROUP_ON_INTERFACE');
    expect(plan.warnings.map((w) => w.code)).not.toContain('GROUPS_UNATTACHED');
  });

  test('no compaction deletes a group still on a blocked interface (EC2 would refuse: it is in use)', () => {
    // two sparse groups that would compact into one, both on the blocked ENI
    const g1 = group(1, [tcp(80, v4(1))], { syncToken: '2000000000' });
    const g2 = group(2, [tcp(80, v4(2))], { syncToken: '2000000000' });
    const rules = [tcp(80, v4(1)), tcp(80, v4(2))];
    const blocked = actual([g1, g2], [eni(1, [OWN_GROUP, MONITORING, g1.groupId, g2.groupId])]);
    const plan = planReconcile({ desired: desired(rules), actual: blocked, settings: settings(), protectedGroupIds: [OWN_GROUP] });
    expect(plan.steps).toEqual([]);
    expect(plan.refusedGroups?.map((g) => g.code)).toEqual(['FOREIGN_GROUP_ON_INTERFACE']);
    // the same state without the foreign group compacts: the block is what stops it
    const free = actual([g1, g2], [eni(1, [OWN_GROUP, g1.groupId, g2.groupId])]);
    const compacted = planReconcile({ desired: desired(rules), actual: free, settings: settings(), protectedGroupIds: [OWN_GROUP] });
    expect(compacted.steps.map((s) => s.kind)).toContain('deleteGroup');
  });

  test('the teardown neither detaches nor deletes a group on a blocked interface, and still cleans the others', () => {
    const onBlocked = group(1, [tcp(80, v4(1))]);
    const elsewhere = group(2, [tcp(80, v4(2))]);
    const state = actual([onBlocked, elsewhere], [eni(1, [OWN_GROUP, MONITORING, onBlocked.groupId]), eni(2, [OWN_GROUP, elsewhere.groupId])]);
    const plan = planTeardown(state, NAMED);
    expect(plan.steps).toEqual([
      { kind: 'detach', eniId: eni(2, []).eniId, groupIds: [OWN_GROUP], removed: [elsewhere.groupId] },
      { kind: 'deleteGroup', group: elsewhere.groupId, groupName: elsewhere.groupName },
    ]);
    expect(plan.refusedGroups).toEqual([expect.objectContaining({ groupId: MONITORING, code: 'FOREIGN_GROUP_ON_INTERFACE', eniIds: [eni(1, []).eniId] })]);
  });
});
