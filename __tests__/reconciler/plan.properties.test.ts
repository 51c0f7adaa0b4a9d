/**
 * Planner properties over random actual states and desired sets: the plan reaches exactly the
 * desired rules, never exceeds a quota, never touches what is not ours, never opens a gap, and
 * re-planning its result is empty.
 */
import fc from 'fast-check';
import { isGuardError } from '../../lambda-src/core/errors';
import type { Rule } from '../../lambda-src/core/model';
import { changesAccess } from '../../lambda-src/core/compare';
import { planReconcile, targetInterfaces } from '../../lambda-src/core/plan';
import { ruleKey } from '../../lambda-src/core/rules';
import { INSTANCE, VPC, desired, settings } from '../support/builders';
import { RULES_PER_GROUP, actualState, desiredRules } from '../support/arbitraries';
import { reachable, simulate } from '../support/simulate';

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
        const untouched = actual.enis.filter((e) => !targetInterfaces(actual, [INSTANCE]).some((t) => t.eniId === e.eniId));
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
        const enis = targetInterfaces(actual, [INSTANCE]).map((e) => e.eniId);
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
          const enis = targetInterfaces(actual, [INSTANCE]).map((e) => e.eniId);
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
