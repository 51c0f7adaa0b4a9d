import {
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type Filter,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { describeAwsError } from './aws-errors';
import { securityGroupsWhere, toNetworkInterface } from './ec2-state';
import { allPages, EC2_PAGE_SIZE } from './pages';
import { rulesFromPermissions } from './ec2-permissions';
import { guardError } from '../core/errors';
import type { NetworkInterface, Rule } from '../core/model';
import { ruleKey } from '../core/rules';

/** The EC2 reads the CLI makes beyond the reconciler's own: instances, any group, addresses, rule ids. */

export interface GroupInfo {
  readonly groupId: string;
  readonly groupName: string;
  readonly vpcId: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
}

export interface InstanceInfo {
  readonly instanceId: string;
  readonly vpcId: string;
  /** Every ENI, primary first. */
  readonly enis: readonly NetworkInterface[];
}

function toGroupInfo(g: SecurityGroup): GroupInfo {
  return {
    groupId: g.GroupId ?? '',
    groupName: g.GroupName ?? '',
    vpcId: g.VpcId ?? '',
    tags: Object.fromEntries((g.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    ingress: rulesFromPermissions(g.IpPermissions),
    egress: rulesFromPermissions(g.IpPermissionsEgress),
  };
}

export async function describeGroups(ec2: EC2Client, filters: Filter[]): Promise<GroupInfo[]> {
  return (await securityGroupsWhere(ec2, filters)).map(toGroupInfo);
}

/** One group by id; a missing group is a usage error naming the flag or key it came from. */
export async function describeGroup(ec2: EC2Client, groupId: string, from: string): Promise<GroupInfo> {
  const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })).catch((e) => {
    const code = (e as { name?: string }).name ?? '';
    if (code === 'InvalidGroup.NotFound' || code === 'InvalidGroupId.Malformed') {
      throw guardError('OWN_GROUP_NOT_FOUND', `'${from}' must name an existing security group in this region, got '${groupId}' (${code})`, 'usage', { groupId });
    }
    throw describeAwsError(e, 'DescribeSecurityGroups', groupId);
  });
  const group = out.SecurityGroups?.[0];
  if (!group) throw guardError('OWN_GROUP_NOT_FOUND', `'${from}' must name an existing security group in this region, got '${groupId}'`, 'usage', { groupId });
  return toGroupInfo(group);
}

export async function describeInstance(ec2: EC2Client, instanceId: string): Promise<InstanceInfo> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })).catch((e) => {
    const code = (e as { name?: string }).name ?? '';
    if (code === 'InvalidInstanceID.NotFound' || code === 'InvalidInstanceID.Malformed') {
      throw guardError('INSTANCE_NOT_FOUND', `instance '${instanceId}' does not exist in this region (${code}); check --instance-id / instanceId and --region`, 'usage', { instanceId });
    }
    throw describeAwsError(e, 'DescribeInstances', instanceId);
  });
  const instance = out.Reservations?.[0]?.Instances?.[0];
  if (!instance) throw guardError('INSTANCE_NOT_FOUND', `instance '${instanceId}' does not exist in this region; check --instance-id / instanceId and --region`, 'usage', { instanceId });
  const enis = [...(instance.NetworkInterfaces ?? [])].sort((a, b) => (a.Attachment?.DeviceIndex ?? 0) - (b.Attachment?.DeviceIndex ?? 0)).map((n) => toNetworkInterface(n, instanceId));
  return { instanceId, vpcId: instance.VpcId ?? '', enis };
}

/** ENIs carrying a group (for open-ingest --group-id without an instance). */
export async function enisWithGroup(ec2: EC2Client, groupId: string): Promise<NetworkInterface[]> {
  const enis = await allPages(
    (NextToken) =>
      ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }], MaxResults: EC2_PAGE_SIZE, NextToken })).catch((e) => {
        throw describeAwsError(e, 'DescribeNetworkInterfaces');
      }),
    (page) => page.NetworkInterfaces,
  );
  return enis.map((n) => toNetworkInterface(n));
}

export async function describeInstanceAddress(ec2: EC2Client, instanceId: string): Promise<{ allocationId: string; publicIp: string } | undefined> {
  const out = await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] })).catch((e) => {
    throw describeAwsError(e, 'DescribeAddresses', instanceId);
  });
  const address = (out.Addresses ?? []).find((a) => a.AllocationId);
  return address ? { allocationId: address.AllocationId ?? '', publicIp: address.PublicIp ?? '' } : undefined;
}

/** Ingress rule key (`ruleKey`) -> its `sgr-…` id: the import IDs of aws_vpc_security_group_ingress_rule. */
export async function ingressRuleIds(ec2: EC2Client, groupId: string): Promise<Map<string, string>> {
  const rules = await allPages(
    (NextToken) =>
      ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }], MaxResults: EC2_PAGE_SIZE, NextToken })).catch((e) => {
        throw describeAwsError(e, 'DescribeSecurityGroupRules', groupId);
      }),
    (page) => page.SecurityGroupRules,
  );
  const ids = new Map<string, string>();
  for (const r of rules) {
    const source = r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId;
    if (r.IsEgress || !source || !r.SecurityGroupRuleId) continue;
    ids.set(ruleKey({ protocol: (r.IpProtocol ?? '-1').toLowerCase(), fromPort: r.FromPort ?? -1, toPort: r.ToPort ?? -1, source }), r.SecurityGroupRuleId);
  }
  return ids;
}
