/** Reads the actual state: the only EC2 reads the reconciler makes. */
import { DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand, type EC2Client, type SecurityGroup } from '@aws-sdk/client-ec2';
import { guardError } from './errors';
import { rulesFromPermissions } from './ec2-permissions';
import type { ActualState, ManagedGroup, NetworkInterface } from './model';
import { MANAGED_TAG_KEY, SYNC_TOKEN_TAG_KEY } from './sync-token';
import { describeAwsError } from './aws-errors';

export interface StateQuery {
  readonly prefixName: string;
  readonly vpcId?: string;
  readonly instanceId?: string;
}

const PAGE_SIZE = 1000;

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
    ingress: rulesFromPermissions(g.IpPermissions),
    egress: rulesFromPermissions(g.IpPermissionsEgress),
    ...(tags.has(SYNC_TOKEN_TAG_KEY) ? { syncToken: tags.get(SYNC_TOKEN_TAG_KEY) } : {}),
  };
}

export async function readManagedGroups(ec2: EC2Client, prefixName: string, vpcId: string): Promise<ManagedGroup[]> {
  const groups: ManagedGroup[] = [];
  let NextToken: string | undefined;
  do {
    const out = await ec2
      .send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: `tag:${MANAGED_TAG_KEY}`, Values: [prefixName] }, { Name: 'vpc-id', Values: [vpcId] }], MaxResults: PAGE_SIZE, NextToken }))
      .catch((e) => {
        throw describeAwsError(e, 'DescribeSecurityGroups');
      });
    for (const g of out.SecurityGroups ?? []) groups.push(toManagedGroup(g));
    NextToken = out.NextToken;
  } while (NextToken);
  return groups;
}

/** Every ENI in the VPC that is the instance's or carries a managed group; one filter, so one call per page. */
export async function readInterfaces(ec2: EC2Client, vpcId: string, managedIds: ReadonlySet<string>, instanceId?: string): Promise<NetworkInterface[]> {
  const enis: NetworkInterface[] = [];
  let NextToken: string | undefined;
  do {
    const out = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], MaxResults: PAGE_SIZE, NextToken })).catch((e) => {
      throw describeAwsError(e, 'DescribeNetworkInterfaces');
    });
    for (const n of out.NetworkInterfaces ?? []) {
      const groupIds = (n.Groups ?? []).map((g) => g.GroupId ?? '').filter((id) => id.length > 0);
      const owner = n.Attachment?.InstanceId;
      if ((instanceId !== undefined && owner === instanceId) || groupIds.some((id) => managedIds.has(id))) {
        enis.push({ eniId: n.NetworkInterfaceId ?? '', ...(owner ? { instanceId: owner } : {}), groupIds });
      }
    }
    NextToken = out.NextToken;
  } while (NextToken);
  return enis;
}

/** Two reads when VPC_ID is set: the managed groups, then the ENIs. */
export async function readActualState(ec2: EC2Client, query: StateQuery): Promise<ActualState> {
  const vpcId = query.vpcId ?? (await resolveDefaultVpc(ec2));
  const groups = await readManagedGroups(ec2, query.prefixName, vpcId);
  const enis = await readInterfaces(ec2, vpcId, new Set(groups.map((g) => g.groupId)), query.instanceId);
  return { vpcId, groups, enis };
}
