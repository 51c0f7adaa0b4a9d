/** Reads the actual state: the only EC2 reads the reconciler makes. */
import { DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand, type EC2Client, type Filter, type SecurityGroup } from '@aws-sdk/client-ec2';
import { guardError } from '../core/errors';
import { rulesFromPermissions } from './ec2-permissions';
import type { ActualState, ManagedGroup, NetworkInterface } from '../core/model';
import { MANAGED_TAG_KEY, SYNC_TOKEN_TAG_KEY } from '../core/sync-token';
import { describeAwsError } from './aws-errors';
import { allPages, EC2_PAGE_SIZE } from './pages';

export interface StateQuery {
  readonly prefixName: string;
  readonly vpcId?: string;
  readonly instanceId?: string;
}

/** The region's default VPC, for a configuration that names none (the tutorial's behaviour). */
export async function resolveDefaultVpc(ec2: EC2Client): Promise<string> {
  const out = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] })).catch((e) => {
    throw describeAwsError(e, 'DescribeVpcs');
  });
  const vpcId = out.Vpcs?.[0]?.VpcId;
  if (!vpcId) throw guardError('VPC_NOT_FOUND', 'VPC_ID is empty and the region has no default VPC; set VPC_ID to the VPC of the origin instance', 'usage');
  return vpcId;
}

/** Fails with VPC_NOT_FOUND unless the VPC exists; called only when nothing read so far proves it. */
export async function assertVpcExists(ec2: EC2Client, vpcId: string): Promise<void> {
  const out = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })).catch((e) => {
    if ((e as { name?: string }).name === 'InvalidVpcID.NotFound') return { Vpcs: [] };
    throw describeAwsError(e, 'DescribeVpcs');
  });
  if (!out.Vpcs?.length) throw guardError('VPC_NOT_FOUND', `VPC_ID '${vpcId}' does not exist in this region; set VPC_ID to the VPC of the origin instance. Nothing was changed.`, 'usage', { vpcId });
}

function toManagedGroup(g: SecurityGroup): ManagedGroup {
  const tags = new Map((g.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  return {
    groupId: g.GroupId ?? '',
    groupName: g.GroupName ?? '',
    vpcId: g.VpcId ?? '',
    ...(g.Description !== undefined ? { description: g.Description } : {}),
    ingress: rulesFromPermissions(g.IpPermissions),
    egress: rulesFromPermissions(g.IpPermissionsEgress),
    ...(tags.has(SYNC_TOKEN_TAG_KEY) ? { syncToken: tags.get(SYNC_TOKEN_TAG_KEY) } : {}),
  };
}

export async function readManagedGroups(ec2: EC2Client, prefixName: string, vpcId: string): Promise<ManagedGroup[]> {
  const groups = await securityGroupsWhere(ec2, [
    { Name: `tag:${MANAGED_TAG_KEY}`, Values: [prefixName] },
    { Name: 'vpc-id', Values: [vpcId] },
  ]);
  return groups.map(toManagedGroup);
}

/** Every security group matching `filters`, all pages: the reconciler's read and the CLI's. */
export async function securityGroupsWhere(ec2: EC2Client, filters: Filter[]): Promise<SecurityGroup[]> {
  return allPages(
    (NextToken) =>
      ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters, MaxResults: EC2_PAGE_SIZE, NextToken })).catch((e) => {
        throw describeAwsError(e, 'DescribeSecurityGroups');
      }),
    (page) => page.SecurityGroups,
  );
}

/** What DescribeNetworkInterfaces and DescribeInstances both report of an interface. */
interface Ec2InterfaceShape {
  readonly NetworkInterfaceId?: string;
  readonly Attachment?: { readonly InstanceId?: string; readonly DeviceIndex?: number };
  readonly Groups?: readonly { readonly GroupId?: string }[];
}

/** An EC2 network interface as the planner sees it: id, owning instance, groups in order. */
export function toNetworkInterface(n: Ec2InterfaceShape, instanceId = n.Attachment?.InstanceId): NetworkInterface {
  const groupIds = (n.Groups ?? []).map((g) => g.GroupId ?? '').filter((id) => id.length > 0);
  return { eniId: n.NetworkInterfaceId ?? '', ...(instanceId ? { instanceId } : {}), groupIds };
}

/** Every ENI in the VPC that is the instance's or carries a managed group; one filter, so one call per page. */
export async function readInterfaces(ec2: EC2Client, vpcId: string, managedIds: ReadonlySet<string>, instanceId?: string): Promise<NetworkInterface[]> {
  const all = await allPages(
    (NextToken) =>
      ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], MaxResults: EC2_PAGE_SIZE, NextToken })).catch((e) => {
        throw describeAwsError(e, 'DescribeNetworkInterfaces');
      }),
    (page) => page.NetworkInterfaces,
  );
  return all.map((n) => toNetworkInterface(n)).filter((eni) => (instanceId !== undefined && eni.instanceId === instanceId) || eni.groupIds.some((id) => managedIds.has(id)));
}

/** Two reads when VPC_ID is set: the managed groups, then the ENIs. */
export async function readActualState(ec2: EC2Client, query: StateQuery): Promise<ActualState> {
  const vpcId = query.vpcId ?? (await resolveDefaultVpc(ec2));
  const groups = await readManagedGroups(ec2, query.prefixName, vpcId);
  const enis = await readInterfaces(ec2, vpcId, new Set(groups.map((g) => g.groupId)), query.instanceId);
  return { vpcId, groups, enis };
}
