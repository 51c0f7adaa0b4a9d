/** Small fixture builders for planner tests: read as GIVEN clauses, not as large literals. */
import type { ActualState, DesiredState, ManagedGroup, NetworkInterface, Rule } from '../../lambda-src/core/model';
import { MANAGED_GROUP_DESCRIPTION, type PlannerSettings } from '../../lambda-src/core/plan';
import { GUARD_RULE_DESCRIPTION } from '../../lambda-src/core/ownership';

export const PREFIX = 'AUTOUPDATE_CF';
export const VPC = 'vpc-0000000000000000a';
export const INSTANCE = 'i-0000000000000000a';

export function tcp(port: number, source: string): Rule {
  return { protocol: 'tcp', fromPort: port, toPort: port, source };
}

export function v4(n: number): string {
  return `10.${(n >> 8) & 255}.${n & 255}.0/24`;
}

export function v6(n: number): string {
  return `2600:9000:${n.toString(16)}::/48`;
}

/**
 * A group the guard created: its description, and its rules described as the guard writes them
 * (so a withdrawn range is the blast-radius guard's, not a foreign rule).
 */
export function group(id: number, rules: Rule[], extra: Partial<ManagedGroup> = {}): ManagedGroup {
  const ingress = rules.map((r) => (r.description === undefined && !r.source.startsWith('sg-') && !r.source.startsWith('pl-') ? { ...r, description: GUARD_RULE_DESCRIPTION } : r));
  return { groupId: `sg-${String(id).padStart(17, '0')}`, groupName: `${PREFIX}-${id}`, vpcId: VPC, description: MANAGED_GROUP_DESCRIPTION, ingress, egress: [], ...extra };
}

export function eni(id: number, groupIds: string[], instanceId: string | undefined = INSTANCE): NetworkInterface {
  return { eniId: `eni-${String(id).padStart(17, '0')}`, ...(instanceId ? { instanceId } : {}), groupIds };
}

export const OWN_GROUP = 'sg-0wn0000000000000a';

export function actual(groups: ManagedGroup[], enis?: NetworkInterface[]): ActualState {
  return { vpcId: VPC, groups, enis: enis ?? [eni(1, [OWN_GROUP, ...groups.map((g) => g.groupId)])] };
}

export function desired(rules: Rule[], syncToken = '2000000000'): DesiredState {
  return { syncToken, createDate: '2026-01-01-00-00-00', rules };
}

export function settings(overrides: Partial<PlannerSettings> = {}): PlannerSettings {
  return { prefixName: PREFIX, rulesPerGroup: 60, groupsPerInterface: 5, maxRevokeFraction: 0.5, instanceId: INSTANCE, ...overrides };
}

export function range(n: number, map: (i: number) => Rule): Rule[] {
  return Array.from({ length: n }, (_, i) => map(i));
}
