import type { EC2Client } from '@aws-sdk/client-ec2';

/** The emulator's public contract; the product's AWS-facing tests code against exactly this. */

export interface EmulatorOptions {
  /** EC2 quota: rules per group, per direction and per address family. @default 60 */
  rulesPerGroup?: number;
  /** EC2 quota: security groups per network interface. @default 5 */
  groupsPerInterface?: number;
  /** Items per Describe page when the caller gives no MaxResults (and no ids). @default 1000 */
  pageSize?: number;
  /** Opt-in regions the account has enabled, for DescribeRegions. @default - none */
  enabledOptInRegions?: readonly string[];
}

export interface SeedRule {
  /** `tcp`, `udp`, `icmp`, `-1`, or a protocol number. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  /** An IPv4 or IPv6 CIDR; exactly one of cidr, groupId, prefixListId. */
  cidr?: string;
  groupId?: string;
  prefixListId?: string;
  description?: string;
}

export interface EmuRule {
  protocol: string;
  /** -1 when the protocol has no ports (`-1`, or a protocol other than tcp/udp/icmp). */
  fromPort: number;
  toPort: number;
  /** A CIDR as given, an `sg-…` or a `pl-…` id. */
  source: string;
  description?: string;
}

export interface EmuGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  tags: Record<string, string>;
  ingress: EmuRule[];
  egress: EmuRule[];
}

export interface EmuEni {
  eniId: string;
  vpcId: string;
  instanceId?: string;
  groupIds: string[];
}

export interface EmuCall {
  action: string;
  /** Every action not starting with `Describe`. */
  write: boolean;
  ok: boolean;
  errorCode?: string;
  /** The SDK app id of the client that called (emu.client(actor) sets `actor-<actor>`): which run made the call. */
  appId?: string;
  /**
   * After a successful write: what each instance-attached ENI lets in, by ENI id, as sorted
   * `proto|from|to|source` keys (the union of every group on it). The attack tests assert it after every write.
   */
  ingressAfter?: Record<string, string[]>;
  /** After a successful write: the whole world, every group and every ENI (see EmuWorld). */
  worldAfter?: EmuWorld;
}

/**
 * Every security group and every ENI, as plain sorted data: what the ownership tests compare after
 * every write, so a write to a group or an interface that is not the guard's cannot go unseen.
 */
export interface EmuWorld {
  /** By group id: name, VPC, tags, and rules as sorted `proto|from|to|source` keys. */
  groups: Record<string, { groupName: string; vpcId: string; tags: Record<string, string>; ingress: string[]; egress: string[] }>;
  /** By ENI id: its instance (if attached) and its groups in EC2's order. */
  enis: Record<string, { instanceId?: string; groupIds: string[] }>;
}

/** A held request: `reached` resolves when it arrives; `release()` lets it through. */
export interface PauseHandle {
  readonly reached: Promise<void>;
  release(): void;
}

export interface Ec2Emulator {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Any region is accepted on the wire; this is the one `client()` uses. */
  readonly region: string;
  close(): Promise<void>;
  /** A real EC2Client pointed at the emulator: dummy credentials, maxAttempts 3, retryMode standard. */
  /** A client for the code under test; `actor` names someone else (an attacker, a setup edit), whose calls the IAM proof leaves out. */
  client(actor?: string): EC2Client;

  /** Seeding bypasses the API and records no calls. Every VPC gets its `default` group, as in EC2. */
  addVpc(opts?: { isDefault?: boolean; vpcId?: string }): string;
  /** ENIs get `groupIds`, or the VPC's `default` group when none are given. */
  addInstance(opts: { vpcId: string; groupIds?: string[]; eniCount?: number }): { instanceId: string; eniIds: string[] };
  addEni(opts: { vpcId: string; groupIds?: string[]; instanceId?: string }): string;
  /** `egress` defaults to EC2's allow-all rule (`-1` to 0.0.0.0/0). */
  addSecurityGroup(opts: { vpcId: string; name: string; description?: string; tags?: Record<string, string>; ingress?: SeedRule[]; egress?: SeedRule[] }): string;
  addAddress(opts: { instanceId?: string; publicIp?: string }): { allocationId: string; publicIp: string };

  /** Deep copies; mutating them changes nothing. */
  group(groupId: string): EmuGroup | undefined;
  groups(): EmuGroup[];
  eni(eniId: string): EmuEni | undefined;
  /** Canonical JSON of the whole state: equal strings mean equal states. */
  snapshot(): string;
  /** Every group and every ENI now, as EmuWorld (each successful write records it too: EmuCall.worldAfter). */
  world(): EmuWorld;
  readonly calls: ReadonlyArray<EmuCall>;
  resetCalls(): void;

  /** The k-th write request received from now on (1-based) fails before any state change. */
  failWrite(k: number, code?: string): void;
  /** The k-th write from now (1 = next) is applied, then the connection resets before EC2's answer arrives. */
  resetAfterWrite(k: number): void;
  /** The next n requests fail with RequestLimitExceeded (HTTP 503). */
  throttle(n: number): void;
  /** The next n requests fail with InternalError (HTTP 500). */
  serverError(n: number): void;
  clearFaults(): void;
  /**
   * Holds the n-th request from now (1 = the next), before it is processed, until released: puts
   * one run to sleep between its reads and its writes, so two runs interleave deterministically.
   */
  pauseAt(n: number): PauseHandle;
  /**
   * Holds the n-th request from now of one client (emu.client(actor): `actor` here) until released,
   * whatever the other clients do meanwhile: the overlap tests' pause points, one run at a time.
   */
  pauseRun(actor: string, n: number): PauseHandle;
  /** What an ENI lets in now: sorted `proto|from|to|source` keys over every group on it. */
  effectiveIngress(eniId: string): string[];
  /** The id (pl-…) of an AWS-managed prefix list, by name (CloudFront's origin-facing lists, S3, DynamoDB): ids differ per region, as in EC2; `region`: the emulator's unless named. */
  managedPrefixListId(name: string, region?: string): string;
}
