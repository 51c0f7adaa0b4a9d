/**
 * The SDK-backed SecurityGroupManager: every EC2 call the reconciler, teardown and the audit make,
 * each sent through `call`, which describes an AWS error once (describeAwsError) for every caller.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type Filter,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { guardError } from '../core/errors';
import type { NetworkInterface, Rule } from '../core/model';
import { describeAwsError } from './aws-errors';
import { countCalls } from './call-counter';
import { ec2ClientFor } from './ec2-client';
import { permissionsFromRules, rulesFromPermissions } from './ec2-permissions';
import { allPages, EC2_PAGE_SIZE } from './pages';
import { isMissing, type ApiCalls, type GroupQuery, type InterfaceQuery, type Missing, type NewGroup, type SecurityGroupManager, type SecurityGroupRecord } from './security-group-manager';

/** What DescribeNetworkInterfaces and DescribeInstances both report of an interface. */
export interface Ec2InterfaceShape {
  readonly NetworkInterfaceId?: string;
  readonly Attachment?: { readonly InstanceId?: string; readonly DeviceIndex?: number };
  readonly Groups?: readonly { readonly GroupId?: string }[];
}

/** An EC2 network interface as the planner sees it: id, owning instance, groups in order. */
export function toNetworkInterface(n: Ec2InterfaceShape, instanceId = n.Attachment?.InstanceId): NetworkInterface {
  const groupIds = (n.Groups ?? []).map((g) => g.GroupId ?? '').filter((id) => id.length > 0);
  return { eniId: n.NetworkInterfaceId ?? '', ...(instanceId ? { instanceId } : {}), groupIds };
}

export function toGroupRecord(g: SecurityGroup): SecurityGroupRecord {
  return {
    groupId: g.GroupId ?? '',
    groupName: g.GroupName ?? '',
    vpcId: g.VpcId ?? '',
    ...(g.Description !== undefined ? { description: g.Description } : {}),
    tags: Object.fromEntries((g.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    ingress: rulesFromPermissions(g.IpPermissions),
    egress: rulesFromPermissions(g.IpPermissionsEgress),
  };
}

function groupFilters(q: GroupQuery): Filter[] {
  return [
    ...(q.tag ? [{ Name: `tag:${q.tag.key}`, Values: [...q.tag.values] }] : []),
    ...(q.vpcId ? [{ Name: 'vpc-id', Values: [q.vpcId] }] : []),
    ...(q.groupIds ? [{ Name: 'group-id', Values: [...q.groupIds] }] : []),
    ...(q.groupNames ? [{ Name: 'group-name', Values: [...q.groupNames] }] : []),
    // DescribeSecurityGroups filters ip-permission.group-id / egress.ip-permission.group-id: groups whose rules reference a group
    ...(q.referencing ? [{ Name: q.referencing.egress ? 'egress.ip-permission.group-id' : 'ip-permission.group-id', Values: [...q.referencing.groupIds] }] : []),
  ];
}

function interfaceFilters(q: InterfaceQuery): Filter[] {
  return [
    ...(q.vpcId ? [{ Name: 'vpc-id', Values: [q.vpcId] }] : []),
    ...(q.instanceId ? [{ Name: 'attachment.instance-id', Values: [q.instanceId] }] : []),
    ...(q.groupId ? [{ Name: 'group-id', Values: [q.groupId] }] : []),
  ];
}

export class Ec2SecurityGroupManager implements SecurityGroupManager {
  private readonly callsSoFar: () => ApiCalls;

  constructor(protected readonly client: EC2Client) {
    this.callsSoFar = countCalls(client);
  }

  /**
   * Sends one command; an AWS error is described here, once. `absent` lists the error codes that
   * mean "no such thing" to this caller: they resolve to `{ missing: <code> }` instead.
   */
  protected async call<Out>(action: string, detail: string, send: () => Promise<Out>, absent: readonly string[]): Promise<Out | Missing> {
    try {
      return await send();
    } catch (e) {
      const code = (e as { name?: string }).name ?? '';
      if (absent.includes(code)) return { missing: code };
      throw describeAwsError(e, action, detail);
    }
  }

  /** Sends one command whose every error fails the call, described once. */
  protected async must<Out>(action: string, detail: string, send: () => Promise<Out>): Promise<Out> {
    return (await this.call(action, detail, send, [])) as Out;
  }

  async readGroups(query: GroupQuery): Promise<SecurityGroupRecord[]> {
    const Filters = groupFilters(query);
    const groups = await allPages(
      (NextToken) => this.must('DescribeSecurityGroups', '', () => this.client.send(new DescribeSecurityGroupsCommand({ Filters, MaxResults: EC2_PAGE_SIZE, NextToken }))),
      (page) => page.SecurityGroups,
    );
    return groups.map(toGroupRecord);
  }

  async readInterfaces(query: InterfaceQuery): Promise<NetworkInterface[]> {
    // EC2 refuses MaxResults beside NetworkInterfaceIds, and a list of ids is one page anyway.
    const byIds = query.eniIds ? { NetworkInterfaceIds: [...query.eniIds] } : { MaxResults: EC2_PAGE_SIZE };
    const Filters = interfaceFilters(query);
    const enis = await allPages(
      (NextToken) =>
        this.must('DescribeNetworkInterfaces', query.eniIds?.join(',') ?? '', () =>
          this.client.send(new DescribeNetworkInterfacesCommand({ ...(Filters.length > 0 ? { Filters } : {}), ...byIds, NextToken })),
        ),
      (page) => page.NetworkInterfaces,
    );
    return enis.map((n) => toNetworkInterface(n));
  }

  async defaultVpcId(): Promise<string | undefined> {
    const out = await this.must('DescribeVpcs', '', () => this.client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] })));
    return out.Vpcs?.[0]?.VpcId;
  }

  async vpcExists(vpcId: string): Promise<boolean> {
    const out = await this.call('DescribeVpcs', '', () => this.client.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })), ['InvalidVpcID.NotFound']);
    return !isMissing(out) && (out.Vpcs?.length ?? 0) > 0;
  }

  async cloudFrontPrefixListIds(names: readonly string[]): Promise<string[]> {
    const lists = await allPages(
      (NextToken) =>
        this.must('DescribeManagedPrefixLists', '', () => this.client.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: [...names] }], NextToken }))),
      (page) => page.PrefixLists,
    );
    // Customer lists cannot be named com.amazonaws.*; the owner check keeps it so should that ever change.
    return lists.filter((l) => l.OwnerId === 'AWS' && l.PrefixListId).map((l) => l.PrefixListId!);
  }

  async createGroup(group: NewGroup): Promise<string> {
    const TagSpecifications = [{ ResourceType: 'security-group' as const, Tags: Object.entries(group.tags).map(([Key, Value]) => ({ Key, Value })) }];
    const out = await this.must('CreateSecurityGroup', group.groupName, () =>
      this.client.send(new CreateSecurityGroupCommand({ GroupName: group.groupName, Description: group.description, VpcId: group.vpcId, TagSpecifications })),
    );
    if (!out.GroupId) throw guardError('AWS_ERROR', `CreateSecurityGroup for ${group.groupName} returned no GroupId`, 'external');
    return out.GroupId;
  }

  async authorizeIngress(groupId: string, rules: readonly Rule[], description: boolean | string = true): Promise<void> {
    const IpPermissions = permissionsFromRules(rules, description);
    await this.must('AuthorizeSecurityGroupIngress', groupId, () => this.client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions })));
  }

  async revokeIngress(groupId: string, rules: readonly Rule[]): Promise<void> {
    const IpPermissions = permissionsFromRules(rules, false);
    await this.must('RevokeSecurityGroupIngress', groupId, () => this.client.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions })));
  }

  async revokeEgress(groupId: string, rules: readonly Rule[]): Promise<void> {
    const IpPermissions = permissionsFromRules(rules, false);
    await this.must('RevokeSecurityGroupEgress', groupId, () => this.client.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions })));
  }

  async setInterfaceGroups(eniId: string, groupIds: readonly string[]): Promise<void> {
    await this.must('ModifyNetworkInterfaceAttribute', eniId, () => this.client.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: [...groupIds] })));
  }

  async tag(resourceIds: readonly string[], key: string, value: string): Promise<void> {
    await this.must('CreateTags', resourceIds.join(','), () => this.client.send(new CreateTagsCommand({ Resources: [...resourceIds], Tags: [{ Key: key, Value: value }] })));
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.must('DeleteSecurityGroup', groupId, () => this.client.send(new DeleteSecurityGroupCommand({ GroupId: groupId })));
  }

  apiCalls(): ApiCalls {
    return this.callsSoFar();
  }
}

/** The Lambda's manager: one per region and endpoint, over the cached client (ec2ClientFor). */
export function securityGroupManagerFor(region: string, endpoint?: string): SecurityGroupManager {
  return new Ec2SecurityGroupManager(ec2ClientFor(region, endpoint));
}
