/** fast-check arbitraries for planner, comparison and drift properties: random actual states and desired sets. */
import { MANAGED_GROUP_DESCRIPTION } from '../../lambda-src/core/plan';
import { GUARD_RULE_DESCRIPTION } from '../../lambda-src/core/ownership';
import fc from 'fast-check';
import type { ActualState, ManagedGroup, NetworkInterface, Rule } from '../../lambda-src/core/model';
import { ruleFamily, ruleKey } from '../../lambda-src/core/rules';
import { INSTANCE, PREFIX, VPC } from './builders';

export const PORTS = [
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
export const RULES_PER_GROUP = 8;

const ruleSet = (max: number) => fc.uniqueArray(fc.constantFrom(...POOL, ...FOREIGN), { maxLength: max, selector: ruleKey });

function withinQuota(rules: Rule[]): Rule[] {
  const out: Rule[] = [];
  const n = { ipv4: 0, ipv6: 0 };
  for (const r of rules) if (n[ruleFamily(r)]++ < RULES_PER_GROUP) out.push(r);
  return out;
}

export const actualState: fc.Arbitrary<ActualState> = fc
  .record({
    groups: fc.array(fc.record({ rules: ruleSet(2 * RULES_PER_GROUP), numbered: fc.boolean(), token: fc.option(fc.constantFrom('1000', '1500', '2000'), { nil: undefined }), egress: fc.boolean() }), {
      maxLength: 4,
    }),
    ownGroups: fc.integer({ min: 1, max: 2 }),
    attachMask: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    strayEni: fc.boolean(),
  })
  .map(({ groups, ownGroups, attachMask, strayEni }) => {
    const managed: ManagedGroup[] = groups.map((g, i) => ({
      groupId: `sg-${String(i + 1).padStart(17, '0')}`,
      groupName: g.numbered ? `${PREFIX}-${i + 1}` : `${PREFIX}-X${i}Z`,
      vpcId: VPC,
      // created by the guard, its rules described as the guard writes them: a withdrawn range is the blast-radius guard's, not foreign
      description: MANAGED_GROUP_DESCRIPTION,
      ingress: withinQuota(g.rules).map((r) => ({ ...r, description: GUARD_RULE_DESCRIPTION })),
      egress: g.egress ? [{ protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' }] : [],
      ...(g.token ? { syncToken: g.token } : {}),
    }));
    const own = Array.from({ length: ownGroups }, (_, i) => `sg-own${String(i).padStart(13, '0')}`);
    const enis: NetworkInterface[] = [
      { eniId: 'eni-00000000000000001', instanceId: INSTANCE, groupIds: [...own, ...managed.filter((_, i) => attachMask[i]).map((g) => g.groupId)] },
      { eniId: 'eni-00000000000000009', instanceId: 'i-0ther000000000000', groupIds: ['sg-unre1ated00000000'] },
    ];
    // a second interface of the guarded instance carrying one managed group (another instance's is core/ownership's business)
    if (strayEni && managed.length > 0) enis.push({ eniId: 'eni-00000000000000002', instanceId: INSTANCE, groupIds: ['sg-5tray000000000000', managed[0].groupId] });
    return { vpcId: VPC, groups: managed, enis };
  });

export const desiredRules = fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: POOL.length, selector: ruleKey });
