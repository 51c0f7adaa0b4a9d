import { settingError, type SettingSpelling } from './errors';
import type { ManagedGroup, NetworkInterface, Rule } from './model';
import { newGroupRef, placeRules, type Placement } from './placement';
import { ruleKey } from './rules';

/** EC2's hard cap: rules per group x groups per interface may not exceed this. */
export const EC2_RULES_TIMES_GROUPS_LIMIT = 1000;

/** EC2's ceiling for the security-groups-per-interface quota, whatever the account asks for. */
export const EC2_MAX_GROUPS_PER_INTERFACE = 16;

export interface InterfaceQuotaInput {
  readonly groups: readonly ManagedGroup[];
  readonly desired: readonly Rule[];
  readonly targetEnis: readonly NetworkInterface[];
  readonly prefixName: string;
  /** Names new groups must not take (refused groups'). @default - none */
  readonly reservedNames?: ReadonlySet<string>;
  readonly rulesPerGroup: number;
  readonly groupsPerInterface: number;
  readonly newGroupCount: number;
}

function groupsNeeded(input: InterfaceQuotaInput, managedCount: number) {
  const managedIds = new Set(input.groups.map((g) => g.groupId));
  const others = input.targetEnis.map((eni) => ({ eni, own: eni.groupIds.filter((id) => !managedIds.has(id)).length }));
  const worst = others.reduce((a, b) => (b.own > a.own ? b : a), { eni: undefined as NetworkInterface | undefined, own: 0 });
  return { eni: worst.eni, own: worst.own, total: worst.own + managedCount };
}

/**
 * The smallest rules-per-group above `current` under which `fits` holds, searched up to EC2's cap on
 * rules x groups for `groupsAllowed` groups; undefined when even the cap does not fit. `fits` must be
 * monotonic (more rules per group never needs more groups), which placement guarantees.
 */
export function smallestFittingRulesPerGroup(current: number, groupsAllowed: number, fits: (rulesPerGroup: number) => boolean): number | undefined {
  const ceiling = Math.floor(EC2_RULES_TIMES_GROUPS_LIMIT / groupsAllowed);
  if (current >= ceiling || !fits(ceiling)) return undefined;
  let lo = current + 1;
  let hi = ceiling;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Fails before any write when the managed groups (existing plus new) and an ENI's own groups
 * would not fit the groups-per-interface quota. The error says which setting to raise, and to what.
 */
export function assertInterfaceQuota(input: InterfaceQuotaInput): void {
  const managedCount = input.groups.length + input.newGroupCount;
  const need = groupsNeeded(input, managedCount);
  if (need.total <= input.groupsPerInterface) return;

  // The smallest rules-per-group setting under which the same state would fit, if any.
  const groupsAt = (r: number) => input.groups.length + placeRules(input.groups, input.desired, input.prefixName, r).newGroupNames.length;
  const rules = smallestFittingRulesPerGroup(input.rulesPerGroup, input.groupsPerInterface, (r) => need.own + groupsAt(r) <= input.groupsPerInterface);
  const raiseGroups = need.total <= EC2_MAX_GROUPS_PER_INTERFACE && input.rulesPerGroup * need.total <= EC2_RULES_TIMES_GROUPS_LIMIT;
  // Each guarded instance's interfaces are checked: the one that does not fit is named with its instance, so the operator knows which server's groups to thin.
  const of = need.eni?.instanceId ? ` of instance ${need.eni.instanceId}` : '';
  const where = need.eni ? `${need.eni.eniId}${of} (${need.own} of its own + ${managedCount} managed)` : `an interface (${managedCount} managed)`;
  const render = (spell: SettingSpelling) => {
    const fixes = [
      ...(raiseGroups ? [`raise ${spell('groupsPerInterface')} to ${need.total} (with EC2's 'Security groups per network interface' quota)`] : []),
      ...(rules !== undefined ? [`raise ${spell('rulesPerGroup')} to ${rules} (with EC2's 'Inbound or outbound rules per security group' quota)`] : []),
    ];
    if (fixes.length === 0) fixes.push("select fewer services or ports, or turn IPv6 off; no quota setting within EC2's limits fits");
    const above = `${spell('groupsPerInterface')}=${input.groupsPerInterface} at ${spell('rulesPerGroup')}=${input.rulesPerGroup}`;
    return `the ranges need ${need.total} security groups on ${where}, above ${above}; ${fixes.join(', or ')}. Nothing was changed.`;
  };
  throw settingError('QUOTA_GROUPS_PER_INTERFACE', render, 'usage', {
    setting: 'groupsPerInterface',
    quota: 'GROUPS_PER_INTERFACE',
    groupsPerInterface: input.groupsPerInterface,
    rulesPerGroup: input.rulesPerGroup,
    groupsNeeded: need.total,
    eniId: need.eni?.eniId,
    ...(need.eni?.instanceId ? { instanceId: need.eni.instanceId } : {}),
    ...(rules !== undefined ? { rulesPerGroupThatFits: rules } : {}),
  });
}

/**
 * Adding before revoking briefly needs room for both the old and the new rules. When that peak does
 * not fit the interface quota but the state after this plan's revocations would, place what fits
 * now and defer the rest to a second pass: no rule that stays published is ever revoked, so the
 * order's promise holds, and the migration from the tutorial's CLOUDFRONT groups needs no quota
 * increase. Undefined when even the end state does not fit.
 */
export function squeezedPlacement(input: InterfaceQuotaInput): Placement | undefined {
  const allowedNew = input.groupsPerInterface - groupsNeeded(input, 0).own - input.groups.length;
  if (allowedNew < 0) return undefined;
  const first = placeRules(input.groups, input.desired, input.prefixName, input.rulesPerGroup, allowedNew, undefined, input.reservedNames);
  if (first.deferred.length === 0) return first;
  const after: ManagedGroup[] = [
    ...input.groups.map((g) => {
      const gone = new Set((first.revocations.get(g.groupId) ?? []).map(ruleKey));
      return { ...g, ingress: [...g.ingress.filter((r) => !gone.has(ruleKey(r))), ...(first.additions.get(g.groupId) ?? [])] };
    }),
    ...first.newGroupNames.map((name) => ({ groupId: newGroupRef(name), groupName: name, vpcId: '', ingress: first.additions.get(newGroupRef(name)) ?? [], egress: [] })),
  ];
  const second = placeRules(after, input.desired, input.prefixName, input.rulesPerGroup, allowedNew - first.newGroupNames.length, undefined, input.reservedNames);
  return second.deferred.length === 0 ? first : undefined;
}
