import { createHash } from 'node:crypto';
import { applyFilters, pageOf, parseFilters, readPaging, requireKnown, type FilterSpec } from '../describe-support';
import { ruleFamily, ruleIdentity } from '../permissions';
import { OWNER_ID, type Ec2State, type GroupRecord } from '../state';
import type { EmuRule } from '../types';
import { el, items, node } from '../xml';
import { requireWellFormed, type ActionContext } from './context';

/**
 * DescribeSecurityGroupRules: every rule as its own record with a `sgr-…` id, the import ID of
 * `aws_vpc_security_group_ingress_rule`. The id is derived from the group, direction and rule
 * identity rather than stored, so it is stable for as long as the rule exists (as in EC2) and
 * seeding stays free of id bookkeeping; a revoked and re-added rule gets the same id (EC2 would
 * issue a new one, which nothing here relies on).
 */

export type Direction = 'ingress' | 'egress';

export function ruleIdOf(groupId: string, direction: Direction, rule: EmuRule): string {
  return `sgr-${createHash('sha1')
    .update(`${groupId}|${direction}|${ruleIdentity(rule)}`)
    .digest('hex')
    .slice(0, 17)}`;
}

interface RuleRecord {
  ruleId: string;
  group: GroupRecord;
  direction: Direction;
  rule: EmuRule;
}

function allRules(state: Ec2State): RuleRecord[] {
  const records: RuleRecord[] = [];
  for (const group of state.groups.values()) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of group[direction]) records.push({ ruleId: ruleIdOf(group.groupId, direction, rule), group, direction, rule });
    }
  }
  return records;
}

/** The `securityGroupRule` members shared by this action and Authorize's `securityGroupRuleSet`. */
export function renderRule(group: GroupRecord, rule: EmuRule, direction: Direction, region: string): string {
  const ruleId = ruleIdOf(group.groupId, direction, rule);
  const source = rule.source.startsWith('sg-')
    ? node('referencedGroupInfo', el('groupId', rule.source) + el('userId', OWNER_ID))
    : rule.source.startsWith('pl-')
      ? el('prefixListId', rule.source)
      : el(ruleFamily(rule) === 'ipv6' ? 'cidrIpv6' : 'cidrIpv4', rule.source);
  return (
    el('securityGroupRuleId', ruleId) +
    el('groupId', group.groupId) +
    el('groupOwnerId', OWNER_ID) +
    el('isEgress', direction === 'egress') +
    el('ipProtocol', rule.protocol) +
    el('fromPort', rule.fromPort) +
    el('toPort', rule.toPort) +
    source +
    el('description', rule.description) +
    el('securityGroupRuleArn', `arn:aws:ec2:${region}:${OWNER_ID}:security-group-rule/${ruleId}`)
  );
}

const RULE_FILTERS: FilterSpec<RuleRecord> = {
  'group-id': (r) => [r.group.groupId],
  'security-group-rule-id': (r) => [r.ruleId],
};

export function describeSecurityGroupRules(ctx: ActionContext): string {
  const { state, params } = ctx;
  const paging = readPaging('DescribeSecurityGroupRules', params, params.has('SecurityGroupRuleId') ? 'SecurityGroupRuleId' : undefined, ctx.limits.pageSize);
  const ids = params.list('SecurityGroupRuleId');
  ids.forEach((id) => requireWellFormed(id, 'sgr', 'InvalidSecurityGroupRuleId.Malformed'));
  const every = allRules(state);
  requireKnown(ids, (id) => every.some((r) => r.ruleId === id), 'InvalidSecurityGroupRuleId.NotFound', 'security group rule');
  const filters = parseFilters(params, RULE_FILTERS, false);
  const candidates = every.filter((r) => ids.length === 0 || ids.includes(r.ruleId));
  const matching = applyFilters(candidates, filters, RULE_FILTERS);
  const page = pageOf(matching, paging);
  return (
    items(
      'securityGroupRuleSet',
      page.items.map((r) => renderRule(r.group, r.rule, r.direction, ctx.region)),
    ) + el('nextToken', page.nextToken)
  );
}
