/**
 * The narrow EC2 interface the shell depends on, after the AWS Load Balancer Controller's
 * `SecurityGroupManager` (fetch, authorize, revoke): the run loop, the checkpoints, apply, teardown
 * and the exposure audit see these methods, never the SDK. The one SDK-backed implementation is
 * `ec2-security-group-manager.ts`; it describes every AWS error once (describeAwsError), so what
 * these methods throw is already a GuardError or a RaceError.
 */
import type { NetworkInterface, Rule } from '../core/model';

export interface ApiCalls {
  readonly reads: number;
  readonly writes: number;
  /** Logical calls per action; SDK retries of one call count once. */
  readonly byAction: Readonly<Record<string, number>>;
}

/** A security group as the shell reads it: one shape for the reconciler, the audit and the CLI. */
export interface SecurityGroupRecord {
  readonly groupId: string;
  readonly groupName: string;
  readonly vpcId: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
}

/** Which groups to read; the fields combine (AND), a list field matches any of its values. */
export interface GroupQuery {
  readonly vpcId?: string;
  readonly groupIds?: readonly string[];
  /** Group-name patterns as EC2 filters take them (`AUTOUPDATE*`). */
  readonly groupNames?: readonly string[];
  /** Groups carrying this tag with one of these values. */
  readonly tag?: { readonly key: string; readonly values: readonly string[] };
  /** Groups with an inbound (or, `egress`, outbound) rule naming one of these groups. */
  readonly referencing?: { readonly groupIds: readonly string[]; readonly egress?: boolean };
}

/** Which interfaces to read; the fields combine (AND). */
export interface InterfaceQuery {
  readonly vpcId?: string;
  readonly instanceId?: string;
  /** Interfaces carrying this group. */
  readonly groupId?: string;
  readonly eniIds?: readonly string[];
}

export interface NewGroup {
  readonly groupName: string;
  readonly description: string;
  readonly vpcId: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SecurityGroupManager {
  readGroups(query: GroupQuery): Promise<SecurityGroupRecord[]>;
  readInterfaces(query: InterfaceQuery): Promise<NetworkInterface[]>;
  /** The region's default VPC, if it has one. */
  defaultVpcId(): Promise<string | undefined>;
  vpcExists(vpcId: string): Promise<boolean>;
  /** The ids of CloudFront's origin-facing managed prefix lists in the region (found by name). */
  cloudFrontPrefixListIds(names: readonly string[]): Promise<string[]>;
  /** Returns the id EC2 gave the group. */
  createGroup(group: NewGroup): Promise<string>;
  /** `description`: the guard's own (true), another (a string), or none (false). @default true */
  authorizeIngress(groupId: string, rules: readonly Rule[], description?: boolean | string): Promise<void>;
  revokeIngress(groupId: string, rules: readonly Rule[]): Promise<void>;
  revokeEgress(groupId: string, rules: readonly Rule[]): Promise<void>;
  /** Replaces the interface's whole group list (EC2 has no add or remove of one group). */
  setInterfaceGroups(eniId: string, groupIds: readonly string[]): Promise<void>;
  tag(resourceIds: readonly string[], key: string, value: string): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  /** The calls made through this manager's client so far (SDK retries of one call count once). */
  apiCalls(): ApiCalls;
}

/** What a read returns instead of the resource when EC2 says there is none: EC2's error code. */
export interface Missing {
  readonly missing: string;
}

export function isMissing(x: unknown): x is Missing {
  return typeof x === 'object' && x !== null && typeof (x as Missing).missing === 'string';
}

export interface InstanceRecord {
  readonly instanceId: string;
  readonly vpcId: string;
  /** Every ENI, primary first. */
  readonly enis: readonly NetworkInterface[];
}

/** The CLI's reads beyond the reconciler's (instances, addresses, rule ids, regions); the Lambda never needs them. */
export interface Ec2Shell extends SecurityGroupManager {
  /** `missing` when EC2 says there is no such group, or the id is malformed. */
  readGroup(groupId: string): Promise<SecurityGroupRecord | Missing>;
  readInstance(instanceId: string): Promise<InstanceRecord | Missing>;
  readInstanceAddress(instanceId: string): Promise<{ allocationId: string; publicIp: string } | undefined>;
  /** How many Elastic IPs the region has allocated (preflight's Elastic IP quota check). */
  countAddresses(): Promise<number>;
  /** Ingress rule key (`ruleKey`) -> its `sgr-…` id. */
  readIngressRuleIds(groupId: string): Promise<Map<string, string>>;
  /** EC2's opt-in status of `region` for this account (asked of an enabled region's endpoint). */
  regionOptInStatus(region: string): Promise<string | undefined>;
}
