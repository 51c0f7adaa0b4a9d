/**
 * The CLI's EC2 shell: the reconciler's SecurityGroupManager plus the reads only the CLI makes
 * (instances, addresses, rule ids, regions), and those reads' usage errors. Never in the Lambda bundle.
 */
import { DescribeAddressesCommand, DescribeInstancesCommand, DescribeRegionsCommand, DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { guardError } from '../core/errors';
import { ruleKey } from '../core/rules';
import { Ec2SecurityGroupManager, toGroupRecord, toNetworkInterface } from './ec2-security-group-manager';
import { allPages, EC2_PAGE_SIZE } from './pages';
import { isMissing, type Ec2Shell, type InstanceRecord, type Missing, type SecurityGroupRecord } from './security-group-manager';

export class CliEc2Shell extends Ec2SecurityGroupManager implements Ec2Shell {
  async readGroup(groupId: string): Promise<SecurityGroupRecord | Missing> {
    const send = () => this.client.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    const out = await this.call('DescribeSecurityGroups', groupId, send, ['InvalidGroup.NotFound', 'InvalidGroupId.Malformed']);
    if (isMissing(out)) return out;
    const group = out.SecurityGroups?.[0];
    return group ? toGroupRecord(group) : { missing: '' };
  }

  async readInstance(instanceId: string): Promise<InstanceRecord | Missing> {
    const send = () => this.client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const out = await this.call('DescribeInstances', instanceId, send, ['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed']);
    if (isMissing(out)) return out;
    const instance = out.Reservations?.[0]?.Instances?.[0];
    if (!instance) return { missing: '' };
    const enis = [...(instance.NetworkInterfaces ?? [])].sort((a, b) => (a.Attachment?.DeviceIndex ?? 0) - (b.Attachment?.DeviceIndex ?? 0)).map((n) => toNetworkInterface(n, instanceId));
    return { instanceId, vpcId: instance.VpcId ?? '', enis };
  }

  async readInstanceAddress(instanceId: string): Promise<{ allocationId: string; publicIp: string } | undefined> {
    const out = await this.must('DescribeAddresses', instanceId, () => this.client.send(new DescribeAddressesCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] })));
    const address = (out.Addresses ?? []).find((a) => a.AllocationId);
    return address ? { allocationId: address.AllocationId ?? '', publicIp: address.PublicIp ?? '' } : undefined;
  }

  async countAddresses(): Promise<number> {
    const out = await this.must('DescribeAddresses', 'the region', () => this.client.send(new DescribeAddressesCommand({})));
    return (out.Addresses ?? []).length;
  }

  async readIngressRuleIds(groupId: string): Promise<Map<string, string>> {
    const Filters = [{ Name: 'group-id', Values: [groupId] }];
    const rules = await allPages(
      (NextToken) => this.must('DescribeSecurityGroupRules', groupId, () => this.client.send(new DescribeSecurityGroupRulesCommand({ Filters, MaxResults: EC2_PAGE_SIZE, NextToken }))),
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

  async regionOptInStatus(region: string): Promise<string | undefined> {
    const out = await this.must('DescribeRegions', region, () => this.client.send(new DescribeRegionsCommand({ RegionNames: [region], AllRegions: true })));
    return out.Regions?.[0]?.OptInStatus;
  }
}

/** One group by id; a missing group is a usage error naming the flag or key it came from. */
export async function describeGroup(ec2: Ec2Shell, groupId: string, from: string): Promise<SecurityGroupRecord> {
  const group = await ec2.readGroup(groupId);
  if (!isMissing(group)) return group;
  const why = group.missing ? ` (${group.missing})` : '';
  throw guardError('OWN_GROUP_NOT_FOUND', `'${from}' must name an existing security group in this region, got '${groupId}'${why}`, 'usage', { groupId });
}

export async function describeInstance(ec2: Ec2Shell, instanceId: string): Promise<InstanceRecord> {
  const instance = await ec2.readInstance(instanceId);
  if (!isMissing(instance)) return instance;
  const why = instance.missing ? ` (${instance.missing})` : '';
  throw guardError('INSTANCE_NOT_FOUND', `instance '${instanceId}' does not exist in this region${why}; check --instance-id / instanceId and --region`, 'usage', { instanceId });
}
