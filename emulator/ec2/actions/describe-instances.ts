import { applyFilters, pageOf, parseFilters, readPaging, requireKnown, type FilterSpec } from '../describe-support';
import { apiError } from '../errors';
import { OWNER_ID, type AddressRecord, type Ec2State, type EniRecord, type InstanceRecord } from '../state';
import { el, items, node, tagSet } from '../xml';
import { requireWellFormed, type ActionContext } from './context';
import { addressOfEni, publicDnsName, renderAssociation, renderEniCore, renderGroupSet } from './describe-network';

/** DescribeInstances (one reservation per instance) and DescribeAddresses (Elastic IPs, VPC domain). */

const LAUNCH_TIME = '2024-01-01T00:00:00.000Z';

function enisOf(state: Ec2State, instance: InstanceRecord): EniRecord[] {
  return instance.eniIds.map((id) => state.enis.get(id)).filter((e): e is EniRecord => e !== undefined);
}

function primaryEni(state: Ec2State, instance: InstanceRecord): EniRecord | undefined {
  return enisOf(state, instance).find((e) => e.deviceIndex === 0);
}

function renderInstanceEni(state: Ec2State, eni: EniRecord, region: string): string {
  const attachment = node(
    'attachment',
    el('attachmentId', eni.attachmentId) + el('deviceIndex', eni.deviceIndex) + el('status', 'attached') + el('attachTime', LAUNCH_TIME) + el('deleteOnTermination', eni.deviceIndex === 0),
  );
  return renderEniCore(state, eni) + attachment + renderAssociation(addressOfEni(state, eni.eniId), region, false);
}

function renderInstance(state: Ec2State, instance: InstanceRecord, region: string): string {
  const primary = primaryEni(state, instance);
  const address = primary ? addressOfEni(state, primary.eniId) : undefined;
  const privateIp = primary?.privateIp;
  return (
    el('instanceId', instance.instanceId) +
    el('imageId', 'ami-0123456789abcdef0') +
    node('instanceState', el('code', 16) + el('name', 'running')) +
    el('privateDnsName', privateIp ? `ip-${privateIp.replace(/\./g, '-')}.${region}.compute.internal` : '') +
    el('dnsName', address ? publicDnsName(address.publicIp, region) : '') +
    el('reason', '') +
    el('amiLaunchIndex', 0) +
    el('instanceType', 't3.micro') +
    el('launchTime', LAUNCH_TIME) +
    node('placement', el('availabilityZone', `${region}a`) + el('tenancy', 'default')) +
    node('monitoring', el('state', 'disabled')) +
    el('subnetId', `subnet-${instance.vpcId.slice(4)}`) +
    el('vpcId', instance.vpcId) +
    el('privateIpAddress', privateIp) +
    el('ipAddress', address?.publicIp) +
    renderGroupSet(state, primary?.groupIds ?? []) +
    el('architecture', 'x86_64') +
    el('rootDeviceType', 'ebs') +
    el('rootDeviceName', '/dev/xvda') +
    items(
      'networkInterfaceSet',
      enisOf(state, instance).map((e) => renderInstanceEni(state, e, region)),
    ) +
    tagSet(instance.tags)
  );
}

export function describeInstances(ctx: ActionContext): string {
  const { state, params } = ctx;
  const paging = readPaging('DescribeInstances', params, 'InstanceId', ctx.limits.pageSize);
  const ids = params.list('InstanceId');
  ids.forEach((id) => requireWellFormed(id, 'i', 'InvalidInstanceID.Malformed'));
  requireKnown(ids, (id) => state.instances.has(id), 'InvalidInstanceID.NotFound', 'instance ID');
  const enis = (i: InstanceRecord): EniRecord[] => enisOf(state, i);
  const spec: FilterSpec<InstanceRecord> = {
    'instance-id': (i) => [i.instanceId],
    'vpc-id': (i) => [i.vpcId],
    'instance-state-name': () => ['running'],
    'instance-state-code': () => ['16'],
    'instance.group-id': (i) => primaryEni(state, i)?.groupIds ?? [],
    'instance.group-name': (i) => (primaryEni(state, i)?.groupIds ?? []).map((id) => state.groups.get(id)?.groupName ?? ''),
    'network-interface.network-interface-id': (i) => i.eniIds,
    'network-interface.group-id': (i) => enis(i).flatMap((e) => e.groupIds),
    'private-ip-address': (i) => enis(i).map((e) => e.privateIp),
    'ip-address': (i) => enis(i).flatMap((e) => addressOfEni(state, e.eniId)?.publicIp ?? []),
    'owner-id': () => [OWNER_ID],
  };
  const filters = parseFilters(params, spec, true);
  const candidates = [...state.instances.values()].filter((i) => ids.length === 0 || ids.includes(i.instanceId));
  const matching = applyFilters(candidates, filters, spec, (i) => i.tags);
  const page = pageOf(matching, paging);
  const reservations = page.items.map((i) => el('reservationId', i.reservationId) + el('ownerId', OWNER_ID) + items('groupSet', []) + items('instancesSet', [renderInstance(state, i, ctx.region)]));
  return items('reservationSet', reservations) + el('nextToken', page.nextToken);
}

const ADDRESS_FILTERS: FilterSpec<AddressRecord> = {
  'allocation-id': (a) => [a.allocationId],
  'association-id': (a) => (a.associationId ? [a.associationId] : []),
  'instance-id': (a) => (a.instanceId ? [a.instanceId] : []),
  'network-interface-id': (a) => (a.eniId ? [a.eniId] : []),
  'public-ip': (a) => [a.publicIp],
  domain: () => ['vpc'],
};

export function describeAddresses(ctx: ActionContext): string {
  const { state, params } = ctx;
  const allocationIds = params.list('AllocationId');
  const publicIps = params.list('PublicIp');
  allocationIds.forEach((id) => requireWellFormed(id, 'eipalloc', 'InvalidAllocationID.Malformed'));
  requireKnown(allocationIds, (id) => state.addresses.has(id), 'InvalidAllocationID.NotFound', 'allocation ID');
  const all = [...state.addresses.values()];
  const unknownIp = publicIps.find((ip) => !all.some((a) => a.publicIp === ip));
  if (unknownIp !== undefined) throw apiError('InvalidAddress.NotFound', `Address '${unknownIp}' not found.`);
  const spec: FilterSpec<AddressRecord> = { ...ADDRESS_FILTERS, 'private-ip-address': (a) => (a.eniId ? [state.enis.get(a.eniId)?.privateIp ?? ''] : []) };
  const filters = parseFilters(params, spec, true);
  const candidates = all.filter((a) => (allocationIds.length === 0 || allocationIds.includes(a.allocationId)) && (publicIps.length === 0 || publicIps.includes(a.publicIp)));
  const matching = applyFilters(candidates, filters, spec, (a) => a.tags);
  const rendered = matching.map(
    (a) =>
      el('publicIp', a.publicIp) +
      el('allocationId', a.allocationId) +
      el('domain', 'vpc') +
      el('instanceId', a.instanceId) +
      el('associationId', a.associationId) +
      el('networkInterfaceId', a.eniId) +
      el('networkInterfaceOwnerId', a.eniId ? OWNER_ID : undefined) +
      el('privateIpAddress', a.eniId ? state.enis.get(a.eniId)?.privateIp : undefined) +
      el('publicIpv4Pool', 'amazon') +
      el('networkBorderGroup', ctx.region) +
      tagSet(a.tags),
  );
  return items('addressesSet', rendered);
}
