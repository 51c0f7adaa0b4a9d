/**
 * Compaction properties over random in-sync states (the desired rules spread over sparse groups):
 * it frees groups exactly when the rules fit in fewer, changes no access at any step, touches
 * nothing unmanaged, and re-planning its result is empty; when no group can be freed, nothing churns.
 */
import fc from 'fast-check';
import { changesAccess } from '../../lambda-src/core/compare';
import type { ActualState, ManagedGroup, Rule } from '../../lambda-src/core/model';
import { MANAGED_GROUP_DESCRIPTION, planReconcile } from '../../lambda-src/core/plan';
import { ruleFamily, ruleKey } from '../../lambda-src/core/rules';
import { INSTANCE, PREFIX, VPC, desired, settings } from '../support/builders';
import { reachable, simulate } from '../support/simulate';

const R = 6;
const SOURCES = [...Array.from({ length: 20 }, (_, i) => `10.1.${i}.0/24`), ...Array.from({ length: 8 }, (_, i) => `2600:9000:${i}::/48`)];
const POOL: Rule[] = [80, 443].flatMap((port) => SOURCES.map((source) => ({ protocol: 'tcp', fromPort: port, toPort: port, source })));
const OWN = 'sg-own0000000000001';
const ENI = 'eni-00000000000000001';
const plannerSettings = settings({ rulesPerGroup: R, groupsPerInterface: 16, maxRevokeFraction: 0.5 });

/** Desired rules dealt into groups by a random choice per rule, skipping full groups: in sync by construction. */
const inSyncState = fc
  .record({
    want: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 40, selector: ruleKey }),
    picks: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
    spare: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ want, picks, spare }) => {
    const needed = Math.max(1, ...(['ipv4', 'ipv6'] as const).map((f) => Math.ceil(want.filter((r) => ruleFamily(r) === f).length / R)));
    const count = needed + spare;
    const ingress: Rule[][] = Array.from({ length: count }, () => []);
    want.forEach((rule, i) => {
      for (let k = 0; k < count; k++) {
        const g = ingress[(picks[i] + k) % count];
        if (g.filter((r) => ruleFamily(r) === ruleFamily(rule)).length < R) return void g.push(rule);
      }
      throw new Error('no room: the generator is wrong');
    });
    const groups: ManagedGroup[] = ingress.map((rules, i) => ({
      groupId: `sg-${String(i + 1).padStart(17, '0')}`,
      groupName: `${PREFIX}-${i + 1}`,
      vpcId: VPC,
      description: MANAGED_GROUP_DESCRIPTION,
      ingress: rules,
      egress: [],
      syncToken: '1000',
    }));
    const actual: ActualState = { vpcId: VPC, groups, enis: [{ eniId: ENI, instanceId: INSTANCE, groupIds: [OWN, ...groups.map((g) => g.groupId)] }] };
    return { actual, want, needed };
  });

describe('compaction properties', () => {
  test('a compaction frees exactly the groups the rules do not need, keeps every rule reachable at every step, and re-planning its result is empty', () => {
    const seen = { compacted: 0, stable: 0 };
    fc.assert(
      fc.property(inSyncState, ({ actual, want, needed }) => {
        const plan = planReconcile({ desired: desired(want, '2000'), actual, settings: plannerSettings });
        expect(changesAccess(plan)).toBe(false);
        if (actual.groups.length === needed) {
          // nothing can be freed: no churn
          seen.stable++;
          expect(plan).toMatchObject({ status: 'in-sync', steps: [] });
          return;
        }
        seen.compacted++;
        expect(plan.compaction?.groupsDeleted).toHaveLength(actual.groups.length - needed);
        expect(plan.steps.some((s) => s.kind === 'tagSyncToken' || s.kind === 'revoke' || s.kind === 'createGroup')).toBe(false);
        const wanted = want.map(ruleKey);
        const after = simulate(actual, plan, R, (sim) => {
          const now = reachable(sim, ENI);
          for (const k of wanted) expect(now.has(k)).toBe(true);
          expect(sim.enis[0].groupIds[0]).toBe(OWN);
        });
        expect(after.groups).toHaveLength(needed);
        expect(
          after.groups
            .flatMap((g) => g.ingress)
            .map(ruleKey)
            .sort(),
        ).toEqual([...wanted].sort());
        const again = planReconcile({ desired: desired(want, '2000'), actual: after, settings: plannerSettings });
        expect(again).toMatchObject({ status: 'in-sync', steps: [] });
      }),
      { numRuns: 300 },
    );
    expect(seen.compacted).toBeGreaterThan(50);
    expect(seen.stable).toBeGreaterThan(20);
  });

  test('a newer document with the same rules over sparse groups compacts without recording the token', () => {
    fc.assert(
      fc.property(inSyncState, ({ actual, want }) => {
        const plan = planReconcile({ desired: desired(want, '3000'), actual, settings: plannerSettings });
        expect(plan.steps.filter((s) => s.kind === 'tagSyncToken')).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
