/**
 * recordTokenAfterRace judges "newer than the groups" by the same mark staleness reads: the tag and
 * the tokens in the guard's rule descriptions, a future token ignored. A raced run must not tag its
 * token over groups whose rules already carry a newer document's mark (that run is the newer one's
 * to finish), and a forged far-future mark must not stop it recording its own.
 */
import type { ManagedGroup, Plan } from '../../lambda-src/core/model';
import { guardRuleDescription } from '../../lambda-src/core/ownership';
import { recordTokenAfterRace } from '../../lambda-src/core/token-record';

const NOW = 1_800_000_000_000;
const OLD = '1799990000';
const MINE = '1799995000';
const NEWER = '1799998000';
const FUTURE = '1899999999';

const group = (syncToken: string | undefined, ruleToken?: string): ManagedGroup => ({
  groupId: 'sg-0aaa',
  groupName: 'AUTOUPDATE_CF-1',
  vpcId: 'vpc-1',
  ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, source: '130.176.0.0/18', description: ruleToken ? guardRuleDescription(ruleToken) : undefined }],
  egress: [],
  syncToken,
});

const inSync: Plan = {
  syncToken: MINE,
  status: 'in-sync',
  steps: [],
  held: [],
  summary: { rulesKept: 1, rulesAdded: 0, rulesRevoked: 0, rulesHeld: 0, groupsCreated: 0, enisChanged: 0 },
  warnings: [],
};

describe('recordTokenAfterRace reads the newest mark, tag or rule', () => {
  test('tag and rules older than the document: the token is recorded', () => {
    const plan = recordTokenAfterRace(inSync, [group(OLD, OLD)], NOW);
    expect(plan.steps).toEqual([{ kind: 'tagSyncToken', groups: ['sg-0aaa'], syncToken: MINE }]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['TOKEN_RECORDED_AFTER_RACE']);
  });

  test("rules bearing this run's own token (its raced authorize wrote them), tag older: the token is recorded", () => {
    const plan = recordTokenAfterRace(inSync, [group(OLD, MINE)], NOW);
    expect(plan.steps).toEqual([{ kind: 'tagSyncToken', groups: ['sg-0aaa'], syncToken: MINE }]);
  });

  test('a rule already marked by a newer document (its tag not yet written): nothing is recorded', () => {
    expect(recordTokenAfterRace(inSync, [group(OLD, NEWER)], NOW)).toBe(inSync);
  });

  test('a far-future mark, tag or rule, is ignored as it is everywhere else: the token is recorded', () => {
    for (const g of [group(FUTURE, OLD), group(OLD, FUTURE)]) {
      const plan = recordTokenAfterRace(inSync, [g], NOW);
      expect(plan.steps).toEqual([{ kind: 'tagSyncToken', groups: ['sg-0aaa'], syncToken: MINE }]);
    }
  });
});
