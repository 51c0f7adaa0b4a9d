/**
 * Ownership as a property. For random states mixing the guard's own groups with foreign tagged
 * groups (unattached, holding world-open rules, group references, prefix lists, other ports), the
 * instance's own group tagged by mistake, and foreign rules inside the guard's groups:
 * - after no step does a world-open or foreign rule reach an ENI through a tagged group the plan
 *   attached or left attached (the own group tagged by mistake is not the guard's, so not counted);
 * - no step writes a group that is not the guard's to write (FOREIGN_GROUP_TAGGED, or protected);
 * - the foreign rules are gone from every group the guard writes once the plan is applied, whatever
 *   MAX_REVOKE_FRACTION says.
 */
import fc from 'fast-check';
import type { ActualState, ManagedGroup, NetworkInterface, Rule, Step } from '../../lambda-src/core/model';
import { GUARD_RULE_DESCRIPTION, isForeignRule } from '../../lambda-src/core/ownership';
import { MANAGED_GROUP_DESCRIPTION, planReconcile } from '../../lambda-src/core/plan';
import { ruleKey } from '../../lambda-src/core/rules';
import { INSTANCE, PREFIX, VPC, desired, settings, tcp, v4 } from '../support/builders';
import { simulate } from '../support/simulate';

const PORTS = [{ protocol: 'tcp' as const, fromPort: 80, toPort: 80 }];
const OWN = 'sg-0wn0000000000000a';

const foreignRule: fc.Arbitrary<Rule> = fc.oneof(
  fc.constant({ protocol: 'tcp', fromPort: 0, toPort: 65535, source: '0.0.0.0/0' }),
  fc.constant({ protocol: 'tcp', fromPort: 80, toPort: 80, source: '0.0.0.0/0' }),
  fc.constant({ protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' }),
  fc.constant({ protocol: 'tcp', fromPort: 80, toPort: 80, source: 'sg-0123456789abcdef0' }),
  fc.constant({ protocol: 'tcp', fromPort: 80, toPort: 80, source: 'pl-0123456789abcdef0' }),
  fc.integer({ min: 0, max: 50 }).map((i) => ({ protocol: 'tcp', fromPort: 80, toPort: 80, source: `198.51.100.${i}/32` })),
  fc.integer({ min: 0, max: 50 }).map((i) => tcp(22, v4(i))),
);
const cloudFrontRule = fc.integer({ min: 0, max: 40 }).map((i) => ({ ...tcp(80, v4(i)), description: GUARD_RULE_DESCRIPTION }));

interface Shape {
  /** guard: created by the guard (its name and description), maybe with rules someone added; adopted: by cfguard import; foreign-*: tagged only; elsewhere: the guard's, on another instance's ENI. */
  readonly kind: 'guard' | 'adopted' | 'foreign-unattached' | 'foreign-attached' | 'elsewhere';
  readonly cf: Rule[];
  readonly foreign: Rule[];
  readonly attached: boolean;
}

const g_created = (kind: Shape['kind']) => kind === 'guard' || kind === 'elsewhere';

const state: fc.Arbitrary<{ actual: ActualState; ownTagged: boolean; kinds: Map<string, Shape['kind']> }> = fc
  .record({
    groups: fc.array(
      fc.record({
        kind: fc.constantFrom<Shape['kind']>('guard', 'adopted', 'foreign-unattached', 'foreign-attached', 'elsewhere'),
        cf: fc.array(cloudFrontRule, { maxLength: 20 }),
        foreign: fc.array(foreignRule, { maxLength: 8 }),
        attached: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    ownTagged: fc.boolean(),
  })
  .map(({ groups, ownTagged }) => {
    const dedupe = (rules: Rule[]) => [...new Map(rules.map((r) => [ruleKey(r), r])).values()];
    const created = g_created;
    const managed: ManagedGroup[] = groups.map((g, i) => ({
      groupId: `sg-${String(i + 1).padStart(17, '0')}`,
      groupName: created(g.kind) ? `${PREFIX}-${i + 1}` : g.kind === 'adopted' ? `${PREFIX}-K${i}P` : `evil-${i}`,
      vpcId: VPC,
      // a forger may copy the description, never the name and the description together unless they create the group
      description: created(g.kind) ? MANAGED_GROUP_DESCRIPTION : g.kind === 'foreign-attached' ? MANAGED_GROUP_DESCRIPTION : 'mine',
      ...(g.kind === 'adopted' ? { adoptedBy: PREFIX } : {}),
      ingress: dedupe([...g.cf, ...g.foreign]).slice(0, 60),
      egress: g.kind === 'guard' ? [] : [{ protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' }],
    }));
    const own: ManagedGroup = {
      groupId: OWN,
      groupName: 'media-server',
      vpcId: VPC,
      ingress: [tcp(22, '0.0.0.0/0'), tcp(80, '0.0.0.0/0'), { protocol: 'udp', fromPort: 1935, toPort: 1935, source: '0.0.0.0/0' }],
      egress: [{ protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' }],
    };
    const attached = managed.filter((_, i) => groups[i].kind !== 'foreign-unattached' && groups[i].attached).map((g) => g.groupId);
    const elsewhere = managed.filter((_, i) => groups[i].kind === 'elsewhere').map((g) => g.groupId);
    const enis: NetworkInterface[] = [
      { eniId: 'eni-00000000000000001', instanceId: INSTANCE, groupIds: [OWN, ...attached] },
      { eniId: 'eni-0db00000000000001', instanceId: 'i-0db0000000000000a', groupIds: ['sg-0db00000000000000', ...elsewhere] },
    ];
    return { actual: { vpcId: VPC, groups: ownTagged ? [own, ...managed] : managed, enis }, ownTagged, kinds: new Map(managed.map((m, i) => [m.groupId, groups[i].kind])) };
  });

const wantRules = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 30 }).map((ns) => ns.map((n) => tcp(80, v4(n))));

function writtenGroups(step: Step): string[] {
  switch (step.kind) {
    case 'attach':
    case 'detach':
    case 'createGroup':
      return [];
    case 'tagSyncToken':
      return [...step.groups];
    default:
      return [step.group];
  }
}

describe('ownership properties', () => {
  test('no foreign rule reaches the ENI through a group the guard attached or keeps attached, and refused groups are never written', () => {
    let foreignSeen = 0;
    fc.assert(
      fc.property(state, wantRules, fc.constantFrom(0.01, 0.5, 1), ({ actual, ownTagged, kinds }, want, fraction) => {
        const doc = desired(want, '3000');
        const ctx = { publishedRanges: new Set(want.map((r) => r.source)), ports: PORTS };
        let plan;
        try {
          plan = planReconcile({ desired: doc, actual, settings: settings({ maxRevokeFraction: fraction, ports: PORTS }) });
        } catch (e) {
          // a quota refusal happens before any write: nothing to check
          expect((e as { code?: string }).code).toMatch(/^QUOTA_/);
          return;
        }
        const refused = new Set((plan.refusedGroups ?? []).map((g) => g.groupId));
        if (ownTagged) expect(refused.has(OWN)).toBe(true);
        // ownership is proven, never tagged: exactly the guard's own groups (created, or adopted and still clean) are written
        for (const g of actual.groups) {
          const kind = kinds.get(g.groupId);
          if (kind === undefined) continue;
          const cleanAdopted =
            kind === 'adopted' &&
            g.ingress.every(
              (r) =>
                !isForeignRule(r, { publishedRanges: new Set(), ports: PORTS }) ||
                (/^\d/.test(r.source) && r.fromPort === 80 && r.toPort === 80 && r.protocol === 'tcp' && Number(r.source.split('/')[1]) >= 8),
            );
          const expected = kind === 'guard' || cleanAdopted ? undefined : kind === 'elsewhere' ? 'MANAGED_GROUP_ON_OTHER_INTERFACE' : 'FOREIGN_GROUP_TAGGED';
          expect([g.groupId, kind, plan.refusedGroups?.find((r) => r.groupId === g.groupId)?.code]).toEqual([g.groupId, kind, expected]);
        }
        // the other instance's interface is never written
        for (const step of plan.steps) if (step.kind === 'attach' || step.kind === 'detach') expect(step.eniId).toBe('eni-00000000000000001');
        // never written, never attached by the plan
        for (const step of plan.steps) for (const id of writtenGroups(step)) expect(refused.has(id)).toBe(false);
        const guardGroups = new Set(actual.groups.filter((g) => !refused.has(g.groupId)).map((g) => g.groupId));
        foreignSeen += actual.groups.filter((g) => guardGroups.has(g.groupId)).some((g) => g.ingress.some((r) => isForeignRule(r, ctx))) ? 1 : 0;

        const after = simulate(actual, plan, 60, (sim) => {
          for (const eni of sim.enis) {
            for (const id of eni.groupIds) {
              const g = sim.groups.find((x) => x.groupId === id);
              if (!g || !guardGroups.has(id)) continue;
              const wasAttached = actual.enis.some((e) => e.eniId === eni.eniId && e.groupIds.includes(id));
              // a group the plan attached holds nothing foreign at the moment it is on the ENI
              if (!wasAttached) for (const r of g.ingress) expect({ group: id, rule: ruleKey(r), foreign: isForeignRule(r, ctx) }).toEqual({ group: id, rule: ruleKey(r), foreign: false });
            }
          }
        });
        // once applied, the guard's groups hold no foreign rule, whatever MAX_REVOKE_FRACTION says
        for (const g of after.groups) if (guardGroups.has(g.groupId)) for (const r of g.ingress) expect(isForeignRule(r, ctx)).toBe(false);
        // and the refused own group is exactly as it was
        if (ownTagged) expect(after.groups.find((g) => g.groupId === OWN)).toEqual(actual.groups.find((g) => g.groupId === OWN));
      }),
      { numRuns: 300 },
    );
    expect(foreignSeen).toBeGreaterThan(30);
  });
});
