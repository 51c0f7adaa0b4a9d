import { Construct } from 'constructs';
import { DataAwsEc2ManagedPrefixList } from '@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list';
import { DataAwsInstance } from '@cdktf/provider-aws/lib/data-aws-instance';
import { NetworkInterfaceSgAttachment } from '@cdktf/provider-aws/lib/network-interface-sg-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { AddressFamily, PortSpec } from '../lambda-src/core/model';
import { formatPort, parsePort } from '../lambda-src/core/rules';
import { assertPrefixListQuotas } from './prefix-list-quota';
import { checkAwsId, checkIntRange, checkPattern, invalidProp, isUnresolved } from './validate';
import { SETTINGS } from '../lambda-src/config/settings';
import { CLOUDFRONT_PREFIX_LISTS } from '../lambda-src/core/exposure';

export interface OriginPrefixListGuardProps {
  /** Ports opened to CloudFront (`80/tcp`, `8000-8010/tcp`); literals, as they name construct ids. @default ['80/tcp'] */
  readonly ports?: readonly (string | PortSpec)[];
  /** Name prefix of the groups (`<prefixName>-pl-<port>-<protocol>`). @default 'AUTOUPDATE_CF' */
  readonly prefixName?: string;
  /** VPC of the groups; must be the instance's. @default - the region's default VPC */
  readonly vpcId?: string;
  /** Also admit CloudFront over IPv6 (the IPv6 list), as the Lambda mode's `IPV6`. @default false */
  readonly ipv6?: boolean;
  /** The interface the groups are attached to. @default - the primary interface of `instanceId`, looked up */
  readonly networkInterfaceId?: string;
  /** A second origin instance's interface that gets the same groups (the secondary origin); quotas count the same on it. @default - none */
  readonly secondaryNetworkInterfaceId?: string;
  /** The origin instance, used to look up its primary interface. @default - none; required without `networkInterfaceId` */
  readonly instanceId?: string;
  /** EC2 quota "Inbound or outbound rules per security group" (per address family). @default 60 */
  readonly rulesPerGroup?: number;
  /** EC2 quota "Security groups per network interface". @default 5 */
  readonly groupsPerInterface?: number;
  /** Groups already on the interface that stay there (the instance's own). @default 1 */
  readonly existingGroupsOnInterface?: number;
  /** Tags on the groups and rules. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

function portKey(port: PortSpec): string {
  return port.fromPort === port.toPort ? `${port.fromPort}-${port.protocol}` : `${port.fromPort}-${port.toPort}-${port.protocol}`;
}

function resolvePorts(ports: readonly (string | PortSpec)[]): PortSpec[] {
  if (ports.length === 0) throw invalidProp('ports', "at least one port like '80/tcp'", ports);
  const byKey = new Map<string, PortSpec>();
  // Objects go through the same parser as strings, so both get the same range checks.
  for (const p of ports) {
    const spec = parsePort(typeof p === 'string' ? p : formatPort(p), 'ports');
    byKey.set(portKey(spec), spec);
  }
  return [...byKey.values()];
}

/**
 * The guard without a Lambda: CloudFront's managed prefix lists, which AWS keeps current, referenced
 * from one group per port. One group per port because each reference weighs 55 rules, so two ports
 * in one group would already exceed the default 60-rule quota. The groups do not carry the Lambda
 * mode's managed tag (`PREFIX_NAME`): a reconciler running beside them must never rewrite them.
 * No egress rules: groups are stateful, replies to CloudFront need none, and the instance's own
 * group keeps its outbound access.
 */
export class OriginPrefixListGuard extends Construct {
  /** The groups, by port key (`80-tcp`). */
  public readonly securityGroups: Readonly<Record<string, SecurityGroup>>;
  /** Ids of the groups, in port order. */
  public readonly securityGroupIds: readonly string[];
  /** The interface the groups are attached to. */
  public readonly networkInterfaceId: string;
  /** The prefix lists' ids (`pl-…`), by address family. */
  public readonly prefixListIds: Readonly<Partial<Record<AddressFamily, string>>>;

  constructor(scope: Construct, id: string, props: OriginPrefixListGuardProps) {
    super(scope, id);
    const ports = resolvePorts(props.ports ?? SETTINGS.ports.default);
    const prefixName = props.prefixName ?? SETTINGS.prefixName.default;
    checkPattern('prefixName', prefixName, /^[A-Za-z0-9_.-]{1,200}$/, '1-200 letters, digits, _ . or -');
    checkAwsId('vpcId', props.vpcId, 'vpc');
    checkAwsId('networkInterfaceId', props.networkInterfaceId, 'networkInterface');
    checkAwsId('secondaryNetworkInterfaceId', props.secondaryNetworkInterfaceId, 'networkInterface');
    checkAwsId('instanceId', props.instanceId, 'instance');
    checkIntRange('rulesPerGroup', props.rulesPerGroup, 1, 1000);
    checkIntRange('groupsPerInterface', props.groupsPerInterface, 1, 16);
    checkIntRange('existingGroupsOnInterface', props.existingGroupsOnInterface, 0, 15);
    const quotas = {
      portCount: ports.length,
      rulesPerGroup: props.rulesPerGroup ?? SETTINGS.rulesPerGroup.default,
      groupsPerInterface: props.groupsPerInterface ?? SETTINGS.groupsPerInterface.default,
      existingGroupsOnInterface: props.existingGroupsOnInterface ?? 1,
    };
    if (!Object.values(quotas).some(isUnresolved)) assertPrefixListQuotas(quotas);

    this.networkInterfaceId = this.resolveInterface(props);
    const families: AddressFamily[] = (props.ipv6 ?? false) ? ['ipv4', 'ipv6'] : ['ipv4'];
    const prefixListIds = Object.fromEntries(families.map((family) => [family, new DataAwsEc2ManagedPrefixList(this, `cloudfront-${family}`, { name: CLOUDFRONT_PREFIX_LISTS[family] }).id]));
    this.prefixListIds = prefixListIds;

    const tags = props.tags && Object.keys(props.tags).length > 0 ? { ...props.tags } : undefined;
    const groups: Record<string, SecurityGroup> = {};
    for (const port of ports) {
      const key = portKey(port);
      const name = `${prefixName}-pl-${key}`;
      const group = new SecurityGroup(this, `group-${key}`, {
        name,
        description: `CloudFront origin-facing prefix list on ${formatPort(port)} (cfguard prefix-list mode)`,
        vpcId: props.vpcId,
        egress: [],
        tags: { ...tags, Name: name },
      });
      for (const family of families) {
        new VpcSecurityGroupIngressRule(this, `ingress-${key}-${family}`, {
          securityGroupId: group.id,
          ipProtocol: port.protocol,
          fromPort: port.fromPort,
          toPort: port.toPort,
          prefixListId: prefixListIds[family],
          description: `CloudFront origin-facing (${family}) on ${formatPort(port)}`,
          tags,
        });
      }
      new NetworkInterfaceSgAttachment(this, `attachment-${key}`, { securityGroupId: group.id, networkInterfaceId: this.networkInterfaceId });
      // Groups are VPC-wide: the secondary (same VPC) is locked by the very same groups.
      if (props.secondaryNetworkInterfaceId !== undefined) {
        new NetworkInterfaceSgAttachment(this, `secondary-attachment-${key}`, { securityGroupId: group.id, networkInterfaceId: props.secondaryNetworkInterfaceId });
      }
      groups[key] = group;
    }
    this.securityGroups = groups;
    this.securityGroupIds = Object.values(groups).map((g) => g.id);
  }

  private resolveInterface(props: OriginPrefixListGuardProps): string {
    if (props.networkInterfaceId !== undefined) return props.networkInterfaceId;
    if (props.instanceId === undefined) {
      throw invalidProp('networkInterfaceId', "set (or set 'instanceId' to look up the instance's primary interface)", undefined);
    }
    // The data source's `network_interface_id` is the primary (device index 0) interface.
    return new DataAwsInstance(this, 'instance', { instanceId: props.instanceId }).networkInterfaceId;
  }
}
