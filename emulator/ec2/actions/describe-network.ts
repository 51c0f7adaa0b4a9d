import { applyFilters, pageOf, parseFilters, readPaging, requireKnown, type FilterSpec } from '../describe-support';
import { OWNER_ID, type AddressRecord, type Ec2State, type EniRecord, type VpcRecord } from '../state';
import { el, items, node, tagSet } from '../xml';
import { requireWellFormed, type ActionContext } from './context';

/** DescribeVpcs and DescribeNetworkInterfaces, plus the ENI pieces DescribeInstances reuses. */

const VPC_FILTERS: FilterSpec<VpcRecord> = {
  'vpc-id': (v) => [v.vpcId],
  // EC2 documents `is-default` but has always accepted `isDefault` too, and both are in use.
  'is-default': (v) => [String(v.isDefault)],
  isDefault: (v) => [String(v.isDefault)],
  state: () => ['available'],
  cidr: (v) => [v.cidrBlock],
  'cidr-block-association.cidr-block': (v) => [v.cidrBlock],
  'owner-id': () => [OWNER_ID],
};

function renderVpc(v: VpcRecord): string {
  return (
    el('vpcId', v.vpcId) +
    el('ownerId', OWNER_ID) +
    el('state', 'available') +
    el('cidrBlock', v.cidrBlock) +
    items('cidrBlockAssociationSet', [el('cidrBlock', v.cidrBlock) + node('cidrBlockState', el('state', 'associated'))]) +
    el('dhcpOptionsId', 'default') +
    el('instanceTenancy', 'default') +
    el('isDefault', v.isDefault) +
    tagSet(v.tags)
  );
}

export function describeVpcs(ctx: ActionContext): string {
  const { state, params } = ctx;
  const paging = readPaging('DescribeVpcs', params, 'VpcId', ctx.limits.pageSize);
  const ids = params.list('VpcId');
  ids.forEach((id) => requireWellFormed(id, 'vpc', 'InvalidVpcID.Malformed'));
  requireKnown(ids, (id) => state.vpcs.has(id), 'InvalidVpcID.NotFound', 'vpc ID');
  const filters = parseFilters(params, VPC_FILTERS, true);
  const candidates = [...state.vpcs.values()].filter((v) => ids.length === 0 || ids.includes(v.vpcId));
  const matching = applyFilters(candidates, filters, VPC_FILTERS, (v) => v.tags);
  const page = pageOf(matching, paging);
  return items('vpcSet', page.items.map(renderVpc)) + el('nextToken', page.nextToken);
}

export function addressOfEni(state: Ec2State, eniId: string): AddressRecord | undefined {
  return [...state.addresses.values()].find((a) => a.eniId === eniId);
}

export function publicDnsName(publicIp: string, region: string): string {
  return `ec2-${publicIp.replace(/\./g, '-')}.${region}.compute.amazonaws.com`;
}

export function renderGroupSet(state: Ec2State, groupIds: readonly string[]): string {
  return items(
    'groupSet',
    groupIds.map((id) => el('groupId', id) + el('groupName', state.groups.get(id)?.groupName)),
  );
}

export function renderAssociation(address: AddressRecord | undefined, region: string, withIds: boolean): string {
  if (!address) return '';
  const ids = withIds ? el('allocationId', address.allocationId) + el('associationId', address.associationId) : '';
  return node('association', el('publicIp', address.publicIp) + el('publicDnsName', publicDnsName(address.publicIp, region)) + el('ipOwnerId', 'amazon') + ids);
}

/** The emulator's one subnet per VPC. */
export function subnetOf(eni: Pick<EniRecord, 'vpcId'>): string {
  return `subnet-${eni.vpcId.slice(4)}`;
}

/** The members EC2 reports on every ENI, in DescribeNetworkInterfaces and inside instances. */
export function renderEniCore(state: Ec2State, eni: EniRecord): string {
  return (
    el('networkInterfaceId', eni.eniId) +
    el('subnetId', subnetOf(eni)) +
    el('vpcId', eni.vpcId) +
    el('description', '') +
    el('ownerId', OWNER_ID) +
    el('status', eni.instanceId ? 'in-use' : 'available') +
    el('macAddress', eni.macAddress) +
    el('privateIpAddress', eni.privateIp) +
    el('sourceDestCheck', true) +
    renderGroupSet(state, eni.groupIds) +
    el('interfaceType', 'interface')
  );
}

function renderEni(state: Ec2State, eni: EniRecord, region: string): string {
  const attachment = eni.instanceId
    ? node(
        'attachment',
        el('attachmentId', eni.attachmentId) +
          el('instanceId', eni.instanceId) +
          el('instanceOwnerId', OWNER_ID) +
          el('deviceIndex', eni.deviceIndex) +
          el('status', 'attached') +
          el('deleteOnTermination', eni.deviceIndex === 0),
      )
    : '';
  const address = addressOfEni(state, eni.eniId);
  return (
    renderEniCore(state, eni) +
    el('availabilityZone', `${region}a`) +
    el('requesterManaged', false) +
    attachment +
    renderAssociation(address, region, true) +
    items('privateIpAddressesSet', [el('privateIpAddress', eni.privateIp) + el('primary', true) + renderAssociation(address, region, true)]) +
    items('ipv6AddressesSet', []) +
    tagSet(eni.tags)
  );
}

const ENI_FILTERS: FilterSpec<EniRecord> = {
  'network-interface-id': (e) => [e.eniId],
  'vpc-id': (e) => [e.vpcId],
  'group-id': (e) => e.groupIds,
  'attachment.instance-id': (e) => (e.instanceId ? [e.instanceId] : []),
  'attachment.attachment-id': (e) => (e.attachmentId ? [e.attachmentId] : []),
  'attachment.device-index': (e) => (e.deviceIndex === undefined ? [] : [String(e.deviceIndex)]),
  status: (e) => [e.instanceId ? 'in-use' : 'available'],
  'private-ip-address': (e) => [e.privateIp],
  'owner-id': () => [OWNER_ID],
};

export function describeNetworkInterfaces(ctx: ActionContext): string {
  const { state, params } = ctx;
  const paging = readPaging('DescribeNetworkInterfaces', params, 'NetworkInterfaceId', ctx.limits.pageSize);
  const ids = params.list('NetworkInterfaceId');
  ids.forEach((id) => requireWellFormed(id, 'eni', 'InvalidNetworkInterfaceId.Malformed'));
  requireKnown(ids, (id) => state.enis.has(id), 'InvalidNetworkInterfaceID.NotFound', 'networkInterface ID');
  const spec: FilterSpec<EniRecord> = { ...ENI_FILTERS, 'group-name': (e) => e.groupIds.map((id) => state.groups.get(id)?.groupName ?? '') };
  const filters = parseFilters(params, spec, true);
  const candidates = [...state.enis.values()].filter((e) => ids.length === 0 || ids.includes(e.eniId));
  const matching = applyFilters(candidates, filters, spec, (e) => e.tags);
  const page = pageOf(matching, paging);
  return (
    items(
      'networkInterfaceSet',
      page.items.map((e) => renderEni(state, e, ctx.region)),
    ) + el('nextToken', page.nextToken)
  );
}
