/**
 * Drift and reconcile derive from one comparison (core/compare.ts), so for any state and document:
 * drift is in sync (or stale) exactly when the reconciler's plan has nothing that changes access,
 * and stale in both or in neither. Tokens vary, so the stale and the token-only cases are drawn.
 */
import fc from 'fast-check';
import { compareDrift } from '../../cli/drift/compare';
import { changesAccess } from '../../lambda-src/core/compare';
import type { ActualState, PortSpec, Rule } from '../../lambda-src/core/model';
import { planReconcile } from '../../lambda-src/core/plan';
import { ruleKey } from '../../lambda-src/core/rules';
import { RULES_PER_GROUP, PORTS, actualState, desiredRules } from '../support/arbitraries';
import { INSTANCE, PREFIX, desired, settings } from '../support/builders';

const plannerSettings = settings({ rulesPerGroup: RULES_PER_GROUP, groupsPerInterface: 16, maxRevokeFraction: 0.5 });
const POOL_KEYS = new Set(PORTS.flatMap((p) => [p.protocol, p.fromPort]).map(String));

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
const scenario = fc
  .record({ actual: actualState, random: desiredRules, sameAsHeld: fc.boolean(), token: fc.constantFrom('1200', '1500', '2000', '3000') })
  .map(({ actual, random, sameAsHeld, token }) => {
    const clean = healed(actual);
    const held = clean.groups.flatMap((g) => g.ingress);
    return sameAsHeld && held.length > 0 ? { actual: clean, want: desired(held, token) } : { actual, want: desired(random, token) };
  });

describe('drift and reconcile agree', () => {
  test('drift is in sync exactly when the plan changes no access, and stale exactly when the plan is stale', () => {
    const seen = { inSync: 0, drift: 0, stale: 0, compaction: 0 };
    fc.assert(
      fc.property(scenario, ({ actual, want }) => {
        const plan = planReconcile({ desired: want, actual, settings: plannerSettings });
        const drift = compareDrift({ actual, desired: want, ports: PORTS as PortSpec[], prefixName: PREFIX, instanceId: INSTANCE });
        expect(drift.status === 'stale').toBe(plan.status === 'stale');
        expect(drift.status === 'drift').toBe(changesAccess(plan));
        // no plan writes the token alone
        if (plan.steps.some((s) => s.kind === 'tagSyncToken')) expect(plan.steps.some((s) => s.kind !== 'tagSyncToken')).toBe(true);
        seen[drift.status === 'in-sync' ? 'inSync' : drift.status]++;
        if (plan.compaction) seen.compaction++;
      }),
      { numRuns: 600 },
    );
    // every branch really drawn
    expect(seen.inSync).toBeGreaterThan(50);
    expect(seen.drift).toBeGreaterThan(50);
    expect(seen.stale).toBeGreaterThan(20);
    expect(seen.compaction).toBeGreaterThan(5);
  });
});
