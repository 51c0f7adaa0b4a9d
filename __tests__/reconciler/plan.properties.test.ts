/**
 * Planner properties over random actual states and desired sets: the plan reaches exactly the
 * desired rules, never exceeds a quota, never touches what is not ours, never opens a gap, and
 * re-planning its result is empty.
 */
import fc from 'fast-check';
import { isGuardError } from '../../lambda-src/core/errors';
import type { ActualState, ManagedGroup, NetworkInterface, Rule } from '../../lambda-src/core/model';
import { changesAccess } from '../../lambda-src/core/compare';
import { planReconcile, targetInterfaces } from '../../lambda-src/core/plan';
import { ruleFamily, ruleKey } from '../../lambda-src/core/rules';
import { INSTANCE, PREFIX, VPC, desired, settings } from '../support/builders';
import { reachable, simulate } from '../support/simulate';

const PORTS = [
  { protocol: 'tcp', fromPort: 80, toPort: 80 },
  { protocol: 'tcp', fromPort: 443, toPort: 443 },
  { protocol: 'udp', fromPort: 1935, toPort: 1935 },
];
const SOURCES = [...Array.from({ length: 14 }, (_, i) => `10.0.${i}.0/24`), ...Array.from({ length: 6 }, (_, i) => `2600:9000:${i}::/48`)];
const POOL: Rule[] = PORTS.flatMap((p) => SOURCES.map((source) => ({ ...p, source })));
const FOREIGN: Rule[] = [
  { protocol: 'tcp', fromPort: 22, toPort: 22, source: '0.0.0.0/0' },
  { protocol: 'tcp', fromPort: 80, toPort: 80, source: 'sg-0f0f0f0f0f0f0f0f0' },
];
const RULES_PER_GROUP = 8;

const ruleSet = (max: number) => fc.uniqueArray(fc.constantFrom(...POOL, ...FOREIGN), { maxLength: max, selector: ruleKey });

function withinQuota(rules: Rule[]): Rule[] {
  const out: Rule[] = [];
  const n = { ipv4: 0, ipv6: 0 };
  for (const r of rules) if (n[ruleFamily(r)]++ < RULES_PER_GROUP) out.push(r);
  return out;
}

const actualState: fc.Arbitrary<ActualState> = fc
  .record({
    groups: fc.array(fc.record({ rules: ruleSet(2 * RULES_PER_GROUP), numbered: fc.boolean(), token: fc.option(fc.constantFrom('1000', '1500', '2000'), { nil: undefined }), egress: fc.boolean() }), { maxLength: 4 }),
    ownGroups: fc.integer({ min: 1, max: 2 }),
    attachMask: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    strayEni: fc.boolean(),
  })
  .map(({ groups, ownGroups, attachMask, strayEni }) => {
    const managed: ManagedGroup[] = groups.map((g, i) => ({
      groupId: `sg-${String(i + 1).padStart(17, '0')}`,
      groupName: g.numbered ? `${PREFIX}-${i + 1}` : `${PREFIX}-X${i}Z`,
      vpcId: VPC,
      ingress: withinQuota(g.rules),
      egress: g.egress ? [{ protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' }] : [],
      ...(g.token ? { syncToken: g.token } : {}),
    }));
    const own = Array.from({ length: ownGroups }, (_, i) => `sg-own${String(i).padStart(13, '0')}`);
    const enis: NetworkInterface[] = [
      { eniId: 'eni-00000000000000001', instanceId: INSTANCE, groupIds: [...own, ...managed.filter((_, i) => attachMask[i]).map((g) => g.groupId)] },
      { eniId: 'eni-00000000000000009', instanceId: 'i-0ther000000000000', groupIds: ['sg-unre1ated00000000'] },
    ];
    if (strayEni && managed.length > 0) enis.push({ eniId: 'eni-00000000000000002', groupIds: ['sg-5tray000000000000', managed[0].groupId] });
    return { vpcId: VPC, groups: managed, enis };
  });

const desiredRules = fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: POOL.length, selector: ruleKey });
const plannerSettings = settings({ rulesPerGroup: RULES_PER_GROUP, groupsPerInterface: 16, maxRevokeFraction: 1 });

const keys = (rules: readonly Rule[]) => rules.map(ruleKey).sort();

describe('planner properties', () => {
  test('applying the plan yields exactly the desired rules, each once, with no egress left', () => {
    let withWork = 0;
    fc.assert(
      fc.property(actualState, desiredRules, (actual, want) => {
        const plan = planReconcile({ desired: desired(want, '3000'), actual, settings: plannerSettings });
        const after = simulate(actual, plan, RULES_PER_GROUP);
        expect(keys(after.groups.flatMap((g) => g.ingress))).toEqual(keys(want));
        expect(after.groups.every((g) => g.egress.length === 0)).toBe(true);
        if (plan.steps.some((st) => st.kind === 'revoke') && plan.steps.some((st) => st.kind === 'authorize')) withWork++;
      }),
      { numRuns: 300 },
    );
    expect(withWork).toBeGreaterThan(50);
  });

  test('no group exceeds the per-family quota at any step', () => {
    fc.assert(
      fc.property(actualState, desiredRules, (actual, want) => {
        const plan = planReconcile({ desired: desired(want, '3000'), actual, settings: plannerSettings });
        // simulate() throws RulesPerSecurityGroupLimitExceeded on any step over quota
        simulate(actual, plan, RULES_PER_GROUP);
      }),
      { numRuns: 300 },
    );
  });

  test('unmanaged groups are never written and every ENI keeps all of its other groups', () => {
    fc.assert(
      fc.property(actualState, desiredRules, (actual, want) => {
        const plan = planReconcile({ desired: desired(want, '3000'), actual, settings: plannerSettings });
        const managed = new Set(actual.groups.map((g) => g.groupId));
        for (const step of plan.steps) {
          if ('group' in step) expect(managed.has(step.group) || step.group.startsWith('new:')).toBe(true);
          if (step.kind === 'tagSyncToken') expect(step.groups.every((g) => managed.has(g))).toBe(true);
          if (step.kind === 'attach') {
            const before = actual.enis.find((e) => e.eniId === step.eniId)!;
            expect(step.groupIds.slice(0, before.groupIds.length)).toEqual(before.groupIds);
            expect(step.added.every((g) => managed.has(g) || g.startsWith('new:'))).toBe(true);
          }
        }
        const untouched = actual.enis.filter((e) => !targetInterfaces(actual, INSTANCE).some((t) => t.eniId === e.eniId));
        for (const e of untouched) expect(plan.steps.some((s) => s.kind === 'attach' && s.eniId === e.eniId)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  test('planning again after applying is empty (after the compaction pass the run follows a plan with compactAfter)', () => {
    let compacted = 0;
    fc.assert(
      fc.property(actualState, desiredRules, (actual, want) => {
        const plan = planReconcile({ desired: desired(want, '3000'), actual, settings: plannerSettings });
        let after = simulate(actual, plan, RULES_PER_GROUP);
        const next = planReconcile({ desired: desired(want, '3000'), actual: after, settings: plannerSettings });
        // what follows a plan never changes access: at most a compaction, exactly when the plan announced one
        expect(changesAccess(next)).toBe(false);
        expect(next.compaction !== undefined).toBe(plan.compactAfter === true);
        if (next.compaction) {
          compacted++;
          after = simulate(after, next, RULES_PER_GROUP);
        }
        const again = planReconcile({ desired: desired(want, '3000'), actual: after, settings: plannerSettings });
        expect(again.steps).toEqual([]);
        expect(again.status).toBe('in-sync');
      }),
      { numRuns: 300 },
    );
    expect(compacted).toBeGreaterThan(10);
  });

  test('at no step is a still-desired rule that reached an ENI absent from it', () => {
    fc.assert(
      fc.property(actualState, desiredRules, (actual, want) => {
        const plan = planReconcile({ desired: desired(want, '3000'), actual, settings: plannerSettings });
        const wanted = new Set(want.map(ruleKey));
        const enis = targetInterfaces(actual, INSTANCE).map((e) => e.eniId);
        let initial: Map<string, Set<string>> | undefined;
        simulate(actual, plan, RULES_PER_GROUP, (sim) => {
          const now = new Map(enis.map((id) => [id, reachable(sim, id)]));
          if (!initial) initial = now;
          for (const id of enis) for (const k of initial.get(id)!) if (wanted.has(k)) expect(now.get(id)!.has(k)).toBe(true);
        });
        // and at the end every target ENI reaches every desired rule
        const after = simulate(actual, plan, RULES_PER_GROUP);
        const sim = { vpcId: VPC, groups: after.groups.map((g) => ({ ...g, ingress: [...g.ingress], egress: [...g.egress] })), enis: after.enis.map((e) => ({ ...e, groupIds: [...e.groupIds] })) };
        for (const id of enis) expect([...wanted].every((k) => reachable(sim, id).has(k))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('with a tight interface quota the planner either fits or refuses with the quota named, never half-plans', () => {
    const seen = { fits: 0, refused: 0, deferred: 0 };
    fc.assert(
      fc.property(actualState, desiredRules, fc.integer({ min: 2, max: 5 }), (actual, want, gpi) => {
        try {
          const tight = settings({ rulesPerGroup: RULES_PER_GROUP, groupsPerInterface: gpi, maxRevokeFraction: 1 });
          const enis = targetInterfaces(actual, INSTANCE).map((e) => e.eniId);
          const wanted = new Set(want.map(ruleKey));
          // each pass: within the quota at every step, and no still-desired rule that reached an ENI ever leaves it
          const pass = (state: typeof actual, plan: ReturnType<typeof planReconcile>) => {
            let initial: Map<string, Set<string>> | undefined;
            return simulate(state, plan, RULES_PER_GROUP, (sim) => {
              for (const id of enis) expect(sim.enis.find((e) => e.eniId === id)!.groupIds.length).toBeLessThanOrEqual(Math.max(gpi, state.enis.find((e) => e.eniId === id)!.groupIds.length));
              const now = new Map(enis.map((id) => [id, reachable(sim, id)]));
              initial ??= now;
              for (const id of enis) for (const k of initial.get(id)!) if (wanted.has(k)) expect(now.get(id)!.has(k)).toBe(true);
            });
          };
          const plan = planReconcile({ desired: desired(want, '3000'), actual, settings: tight });
          let after = pass(actual, plan);
          if (plan.deferred) {
            seen.deferred++;
            const second = planReconcile({ desired: desired(want, '3000'), actual: after, settings: tight });
            expect(second.deferred).toBeUndefined();
            after = pass(after, second);
          }
          expect(keys(after.groups.flatMap((g) => g.ingress))).toEqual(keys(want));
          seen.fits++;
        } catch (e) {
          expect(isGuardError(e) && e.code).toBe('QUOTA_GROUPS_PER_INTERFACE');
          seen.refused++;
        }
      }),
      { numRuns: 600 },
    );
    // both branches must really have been exercised
    expect(seen.fits).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(20);
    expect(seen.deferred).toBeGreaterThan(0);
  });
});
