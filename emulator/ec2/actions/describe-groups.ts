import { applyFilters, pageOf, parseFilters, readPaging, requireKnown, type FilterSpec } from '../describe-support';
import { apiError } from '../errors';
import { hasPorts, permissionsOf, ruleFamily, type Permission } from '../permissions';
import { defaultVpc, groupByName, OWNER_ID, type GroupRecord } from '../state';
import type { EmuRule } from '../types';
import { el, items, tagSet } from '../xml';
import { requireWellFormed, type ActionContext } from './context';

const cidrsOf = (rules: readonly EmuRule[], family: 'ipv4' | 'ipv6'): string[] => rules.filter((r) => /^[0-9a-fA-F.:]+\/\d+$/.test(r.source) && ruleFamily(r) === family).map((r) => r.source);

const GROUP_FILTERS: FilterSpec<GroupRecord> = {
  'vpc-id': (g) => [g.vpcId],
  'group-id': (g) => [g.groupId],
  'group-name': (g) => [g.groupName],
  description: (g) => [g.description],
  'owner-id': () => [OWNER_ID],
  'ip-permission.cidr': (g) => cidrsOf(g.ingress, 'ipv4'),
  'ip-permission.ipv6-cidr': (g) => cidrsOf(g.ingress, 'ipv6'),
  'ip-permission.group-id': (g) => g.ingress.filter((r) => r.source.startsWith('sg-')).map((r) => r.source),
  'ip-permission.prefix-list-id': (g) => g.ingress.filter((r) => r.source.startsWith('pl-')).map((r) => r.source),
  'ip-permission.protocol': (g) => g.ingress.map((r) => r.protocol),
  'ip-permission.from-port': (g) => g.ingress.map((r) => String(r.fromPort)),
  'ip-permission.to-port': (g) => g.ingress.map((r) => String(r.toPort)),
  'egress.ip-permission.cidr': (g) => cidrsOf(g.egress, 'ipv4'),
  'egress.ip-permission.ipv6-cidr': (g) => cidrsOf(g.egress, 'ipv6'),
  // "egress.ip-permission.group-id - The ID of a security group that has been referenced in an outbound
  // security group rule" (EC2 API Reference, DescribeSecurityGroups, Filters).
  'egress.ip-permission.group-id': (g) => g.egress.filter((r) => r.source.startsWith('sg-')).map((r) => r.source),
};

function renderPermission(p: Permission): string {
  const described = (r: EmuRule): string => el('description', r.description);
  const of = (test: (r: EmuRule) => boolean): EmuRule[] => p.rules.filter(test);
  const isGroup = (r: EmuRule): boolean => r.source.startsWith('sg-');
  const isPrefixList = (r: EmuRule): boolean => r.source.startsWith('pl-');
  const isCidr = (r: EmuRule): boolean => !isGroup(r) && !isPrefixList(r);
  return (
    el('ipProtocol', p.protocol) +
    (hasPorts(p.protocol) ? el('fromPort', p.fromPort) + el('toPort', p.toPort) : '') +
    items(
      'groups',
      of(isGroup).map((r) => el('userId', OWNER_ID) + el('groupId', r.source) + described(r)),
    ) +
    items(
      'ipRanges',
      of((r) => isCidr(r) && ruleFamily(r) === 'ipv4').map((r) => el('cidrIp', r.source) + described(r)),
    ) +
    items(
      'ipv6Ranges',
      of((r) => isCidr(r) && ruleFamily(r) === 'ipv6').map((r) => el('cidrIpv6', r.source) + described(r)),
    ) +
    items(
      'prefixListIds',
      of(isPrefixList).map((r) => el('prefixListId', r.source) + described(r)),
    )
  );
}

export function renderGroup(g: GroupRecord, region: string): string {
  return (
    el('ownerId', OWNER_ID) +
    el('groupId', g.groupId) +
    el('groupName', g.groupName) +
    el('groupDescription', g.description) +
    el('vpcId', g.vpcId) +
    el('securityGroupArn', `arn:aws:ec2:${region}:${OWNER_ID}:security-group/${g.groupId}`) +
    items('ipPermissions', permissionsOf(g.ingress).map(renderPermission)) +
    items('ipPermissionsEgress', permissionsOf(g.egress).map(renderPermission)) +
    tagSet(g.tags)
  );
}

/** GroupNames only reach the default VPC, as in EC2; other VPCs need GroupIds or a filter. */
function groupsNamed(ctx: ActionContext, names: readonly string[]): GroupRecord[] {
  const vpc = defaultVpc(ctx.state);
  return names.map((name) => {
    const group = vpc ? groupByName(ctx.state, vpc.vpcId, name) : undefined;
    if (!group) throw apiError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpc?.vpcId ?? 'none'}'`);
    return group;
  });
}

export function describeSecurityGroups(ctx: ActionContext): string {
  const { state, params } = ctx;
  const paging = readPaging('DescribeSecurityGroups', params, params.has('GroupId') ? 'GroupId' : params.has('GroupName') ? 'GroupName' : undefined, ctx.limits.pageSize);
  const ids = params.list('GroupId');
  const names = params.list('GroupName');
  ids.forEach((id) => requireWellFormed(id, 'sg', 'InvalidGroupId.Malformed'));
  requireKnown(ids, (id) => state.groups.has(id), 'InvalidGroup.NotFound', 'security group');
  const filters = parseFilters(params, GROUP_FILTERS, true);
  let candidates = [...state.groups.values()];
  if (ids.length > 0 || names.length > 0) {
    const wanted = new Set([...ids, ...groupsNamed(ctx, names).map((g) => g.groupId)]);
    candidates = candidates.filter((g) => wanted.has(g.groupId));
  }
  const matching = applyFilters(candidates, filters, GROUP_FILTERS, (g) => g.tags);
  const page = pageOf(matching, paging);
  return (
    items(
      'securityGroupInfo',
      page.items.map((g) => renderGroup(g, ctx.region)),
    ) + el('nextToken', page.nextToken)
  );
}
