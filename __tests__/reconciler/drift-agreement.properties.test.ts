/**
 * Drift and reconcile read one assessment (core/assessment.ts), so for any state and document:
 * drift is in sync (or stale) exactly when the reconciler's plan has nothing that changes access
 * and no tagged group is refused, stale in both or in neither, and the rules drift calls foreign
 * are exactly the ones the plan revokes as foreign (never held). Tokens vary, so the stale and the
 * token-only cases are drawn; the hard states add future tokens, foreign descriptions, hand-added
 * CIDRs, a CloudFront subset, the ingest rules and the instance's own group tagged by mistake.
 */
import fc from 'fast-check';
import { compareDrift } from '../../cli/drift/compare';
import { changesAccess } from '../../lambda-src/core/compare';
import type { ActualState, DesiredState, PortSpec, Rule } from '../../lambda-src/core/model';
import { planReconcile } from '../../lambda-src/core/plan';
import { ruleKey } from '../../lambda-src/core/rules';
import { NOW_MS, OWN_TAGGED, RULES_PER_GROUP, PORTS, actualState, desiredRules, hardActualState } from '../support/arbitraries';
import { INSTANCE, PREFIX, desired, settings } from '../support/builders';

const plannerSettings = settings({ rulesPerGroup: RULES_PER_GROUP, groupsPerInterface: 16, maxRevokeFraction: 0.5, ports: PORTS as PortSpec[] });
const POOL_KEYS = new Set(PORTS.flatMap((p) => [p.protocol, p.fromPort]).map(String));
const GRANTED_REASONS = new Set(['withdrawn', 'unselected', 'wrong-family', 'duplicate', 'egress']);

const isPoolRule = (r: Rule) => POOL_KEYS.has(r.protocol) && POOL_KEYS.has(String(r.fromPort)) && !r.source.startsWith('sg-');

/** The state with its drift healed by hand: foreign rules, second copies and egress gone, every group attached. */
function healed(actual: ActualState): ActualState {
  const seen = new Set<string>();
  const groups = actual.groups.map((g) => ({ ...g, egress: [], ingress: g.ingress.filter((r) => isPoolRule(r) && !seen.has(ruleKey(r)) && seen.add(ruleKey(r)) !== undefined) }));
  const ids = groups.map((g) => g.groupId);
  const enis = actual.enis.map((e) => (e.instanceId === INSTANCE || e.groupIds.some((id) => ids.includes(id)) ? { ...e, groupIds: [...e.groupIds.filter((id) => !ids.includes(id)), ...ids] } : e));
  return { ...actual, groups, enis };
}

/** Half the time the document publishes exactly what healed groups hold: the token-only case (in sync, whatever the token). */
const scenarioOf = (states: fc.Arbitrary<ActualState>) =>
  fc
    .record({ actual: states, random: desiredRules, sameAsHeld: fc.boolean(), token: fc.constantFrom('1200', '1500', '2000', '3000') })
    .map(({ actual, random, sameAsHeld, token }): { actual: ActualState; want: DesiredState } => {
      const clean = healed(actual);
      const held = clean.groups.flatMap((g) => g.ingress);
      return sameAsHeld && held.length > 0 ? { actual: clean, want: desired(held, token) } : { actual, want: desired(random, token) };
    });

function agree({ actual, want }: { actual: ActualState; want: DesiredState }, seen: Record<string, number>) {
  // The instance's own groups as the deployment names them (INSTANCE_SECURITY_GROUP_ID, GUARDED_OWN_GROUP_IDS): an
  // interface holding any other group the guard may not name is refused (FOREIGN_GROUP_ON_INTERFACE), as IAM would.
  const protectedGroupIds = [...new Set([OWN_TAGGED, ...actual.enis.flatMap((e) => e.groupIds.filter((id) => id.startsWith('sg-own')))])];
  const plan = planReconcile({ desired: want, actual, settings: plannerSettings, protectedGroupIds, now: NOW_MS });
  const drift = compareDrift({ actual, desired: want, ports: PORTS as PortSpec[], prefixName: PREFIX, instanceId: INSTANCE, protectedGroupIds, now: NOW_MS });
  const refused = (plan.refusedGroups ?? []).length > 0;
  expect(drift.status === 'stale').toBe(plan.status === 'stale' && !refused);
  expect(drift.status === 'drift').toBe(changesAccess(plan) || refused);
  // one name per rule: what drift calls foreign is what the plan revokes as foreign
  if (changesAccess(plan)) expect(drift.extra.filter((e) => !GRANTED_REASONS.has(e.reason)).length).toBe(plan.summary.foreignRulesRevoked ?? 0);
  // every refusal the plan makes, drift reports under the same code and subject
  const refusalCodes = new Set<string>((plan.refusedGroups ?? []).map((g) => g.code));
  refusalCodes.add('FOREIGN_GROUP_TAGGED');
  expect(drift.warnings.filter((w) => refusalCodes.has(w.code)).map((w) => [w.code, w.subject])).toEqual((plan.refusedGroups ?? []).map((g) => [g.code, g.groupId]));
  // no plan writes the token alone
  if (plan.steps.some((s) => s.kind === 'tagSyncToken')) expect(plan.steps.some((s) => s.kind !== 'tagSyncToken')).toBe(true);
  seen[drift.status === 'in-sync' ? 'inSync' : drift.status]++;
  if (plan.compaction) seen.compaction++;
  if (refused) seen.refused++;
  if (drift.warnings.some((w) => w.code === 'SYNC_TOKEN_IN_FUTURE')) seen.future++;
  if (drift.extra.some((e) => e.reason === 'foreign-cidr')) seen.foreignCidr++;
  if (drift.extra.some((e) => e.reason === 'cloudfront-subset')) seen.subset++;
}

describe('drift and reconcile agree', () => {
  test('drift is in sync exactly when the plan changes no access, and stale exactly when the plan is stale', () => {
    const seen = { inSync: 0, drift: 0, stale: 0, compaction: 0, refused: 0, future: 0, foreignCidr: 0, subset: 0 };
    fc.assert(
      fc.property(scenarioOf(actualState), (s) => agree(s, seen)),
      { numRuns: 600 },
    );
    // every branch really drawn
    expect(seen.inSync).toBeGreaterThan(50);
    expect(seen.drift).toBeGreaterThan(50);
    expect(seen.stale).toBeGreaterThan(20);
    expect(seen.compaction).toBeGreaterThan(5);
  });

  test('GIVEN the hard states THEN they agree too: future tokens, foreign descriptions, hand-added CIDRs, subsets, ingest rules, the own group tagged', () => {
    const seen = { inSync: 0, drift: 0, stale: 0, compaction: 0, refused: 0, future: 0, foreignCidr: 0, subset: 0 };
    fc.assert(
      fc.property(scenarioOf(hardActualState), (s) => agree(s, seen)),
      { numRuns: 600 },
    );
    expect(seen.drift).toBeGreaterThan(50);
    expect(seen.inSync).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(50);
    expect(seen.future).toBeGreaterThan(50);
    expect(seen.foreignCidr).toBeGreaterThan(50);
    expect(seen.subset).toBeGreaterThan(5);
  });
});
