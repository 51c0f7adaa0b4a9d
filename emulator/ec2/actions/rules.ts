import { apiError, type Ec2ApiError } from '../errors';
import { describeRule, ruleFamily, ruleIdentity, rulesOfRequest } from '../permissions';
import type { Ec2State } from '../state';
import type { EmuRule } from '../types';
import { el, items } from '../xml';
import { requireGroup, type ActionContext } from './context';
import { renderRule } from './describe-rules';

/**
 * Authorize/Revoke Ingress/Egress. Each call is all-or-nothing: every rule is checked (duplicates,
 * missing rules, referenced groups, the per-family quota) before the group changes.
 */

type Direction = 'ingress' | 'egress';

export function rulesPerFamilyQuotaError(): Ec2ApiError {
  return apiError('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.');
}

/** The quota applies per direction and per address family; group and prefix-list sources count as IPv4. */
export function exceedsRuleQuota(rules: readonly EmuRule[], limit: number): boolean {
  const v6 = rules.filter((r) => ruleFamily(r) === 'ipv6').length;
  return v6 > limit || rules.length - v6 > limit;
}

function requireReferencedGroups(state: Ec2State, rules: readonly EmuRule[]): void {
  for (const rule of rules) {
    if (rule.source.startsWith('sg-') && !state.groups.has(rule.source)) {
      throw apiError('InvalidGroup.NotFound', `The security group '${rule.source}' does not exist`);
    }
  }
}

function authorize(ctx: ActionContext, direction: Direction): string {
  const group = requireGroup(ctx.state, ctx.params.get('GroupId'));
  const rules = rulesOfRequest(ctx.params);
  requireReferencedGroups(ctx.state, rules);
  const present = new Set(group[direction].map(ruleIdentity));
  for (const rule of rules) {
    const key = ruleIdentity(rule);
    if (present.has(key)) throw apiError('InvalidPermission.Duplicate', `the specified rule "${describeRule(rule)}" already exists`);
    present.add(key);
  }
  const after = [...group[direction], ...rules];
  if (exceedsRuleQuota(after, ctx.limits.rulesPerGroup)) throw rulesPerFamilyQuotaError();
  group[direction] = after;
  return (
    el('return', true) +
    items(
      'securityGroupRuleSet',
      rules.map((r) => renderRule(group, r, direction, ctx.region)),
    )
  );
}

function revoke(ctx: ActionContext, direction: Direction): string {
  const group = requireGroup(ctx.state, ctx.params.get('GroupId'));
  const gone = new Set(rulesOfRequest(ctx.params).map(ruleIdentity));
  const present = new Set(group[direction].map(ruleIdentity));
  if ([...gone].some((key) => !present.has(key))) {
    throw apiError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
  }
  group[direction] = group[direction].filter((r) => !gone.has(ruleIdentity(r)));
  return el('return', true);
}

export const authorizeSecurityGroupIngress = (ctx: ActionContext): string => authorize(ctx, 'ingress');
export const authorizeSecurityGroupEgress = (ctx: ActionContext): string => authorize(ctx, 'egress');
export const revokeSecurityGroupIngress = (ctx: ActionContext): string => revoke(ctx, 'ingress');
export const revokeSecurityGroupEgress = (ctx: ActionContext): string => revoke(ctx, 'egress');
