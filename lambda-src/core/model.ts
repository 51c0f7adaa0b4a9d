/**
 * Plain data types shared by the planner, the EC2 shell, the handler and the CLI.
 * Nothing here talks to AWS; everything here serializes to JSON as it is.
 */

import type { Finding } from './findings';
import type { RefusedGroup } from './ownership';

export type AddressFamily = 'ipv4' | 'ipv6';
export type Protocol = 'tcp' | 'udp';

/** One configured port or port range, e.g. `80/tcp` or `1935/udp`. */
export interface PortSpec {
  readonly protocol: Protocol;
  readonly fromPort: number;
  readonly toPort: number;
}

/**
 * One ingress rule, normalized: one (protocol, port range, source) per rule, as EC2 counts them.
 * `source` is a canonical CIDR for the rules we write; inside a managed group we may also find a
 * security-group id (`sg-…`) or a prefix-list id (`pl-…`) that someone added by hand.
 * Descriptions are not part of a rule's identity.
 */
export interface Rule {
  /** `tcp`, `udp`, or whatever EC2 reports for foreign rules (`-1`, `icmp`, ...). */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly source: string;
  /** The rule's description as EC2 reports it; the guard marks the rules it writes (GUARD_RULE_DESCRIPTION). Not identity. */
  readonly description?: string;
}

/** A security group carrying the managed tag `PREFIX_NAME=<prefix>`: a candidate, the guard's only once core/ownership says so. */
export interface ManagedGroup {
  readonly groupId: string;
  readonly groupName: string;
  readonly vpcId: string;
  /** The group's description; the guard writes its own on the groups it creates. */
  readonly description?: string;
  readonly ingress: readonly Rule[];
  /** Egress rules still present (a fresh group has allow-all egress, which we remove). */
  readonly egress: readonly Rule[];
  /** The syncToken of the document last applied to this group, from its tag. */
  readonly syncToken?: string;
  /** The value of its CFGUARD_ADOPTED tag: the prefix whose `cfguard import --apply` adopted it. */
  readonly adoptedBy?: string;
}

/** A network interface that the reconciler may attach managed groups to. */
export interface NetworkInterface {
  readonly eniId: string;
  /** The instance it is attached to, when attached. */
  readonly instanceId?: string;
  /** Every group on the ENI, in EC2's order; we add managed groups, and remove only those a compaction deletes. */
  readonly groupIds: readonly string[];
}

/** What EC2 holds now, as far as the reconciler is concerned. */
export interface ActualState {
  readonly vpcId: string;
  readonly groups: readonly ManagedGroup[];
  /** ENIs of the configured instance, and every ENI in the VPC carrying a managed group. */
  readonly enis: readonly NetworkInterface[];
  /**
   * Managed group id -> the other groups whose rules name it. EC2 refuses to delete such a group
   * (DependencyViolation), so nothing plans its deletion. Read only when a plan would delete. @default - none known
   */
  readonly referencedBy?: Readonly<Record<string, readonly string[]>>;
}

/** What CloudFront publishes, turned into rules: ranges x ports. */
export interface DesiredState {
  readonly syncToken: string;
  readonly createDate: string;
  readonly rules: readonly Rule[];
  /**
   * Canonical CIDRs of every CloudFront service in the document, both families, opened or not:
   * what tells a CloudFront rule from a foreign one. @default - the sources of `rules`
   */
  readonly publishedRanges?: readonly string[];
}

/** An existing group id, or `new:<name>` for a group the same plan creates. */
export type GroupRef = string;

export type Step =
  | {
      readonly kind: 'createGroup';
      readonly ref: GroupRef;
      readonly groupName: string;
      readonly description: string;
      readonly tags: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'revokeEgress'; readonly group: GroupRef; readonly rules: readonly Rule[] }
  | { readonly kind: 'authorize'; readonly group: GroupRef; readonly rules: readonly Rule[] }
  | {
      readonly kind: 'attach';
      readonly eniId: string;
      /** The ENI's whole resulting group list: every group it had, plus `added`. */
      readonly groupIds: readonly GroupRef[];
      readonly added: readonly GroupRef[];
    }
  | { readonly kind: 'revoke'; readonly group: GroupRef; readonly rules: readonly Rule[] }
  /** Records the document's syncToken; only ever planned after a step that changes access, never alone or while work is held or deferred. */
  | { readonly kind: 'tagSyncToken'; readonly groups: readonly GroupRef[]; readonly syncToken: string }
  | {
      readonly kind: 'detach';
      readonly eniId: string;
      /** The ENI's whole resulting group list: every group it had, less `removed`. */
      readonly groupIds: readonly GroupRef[];
      readonly removed: readonly GroupRef[];
    }
  | { readonly kind: 'deleteGroup'; readonly group: GroupRef; readonly groupName: string };

export type StepKind = Step['kind'];

export interface HeldRevocation {
  readonly group: GroupRef;
  readonly rules: readonly Rule[];
}

export interface PlanSummary {
  readonly rulesKept: number;
  readonly rulesAdded: number;
  readonly rulesRevoked: number;
  readonly rulesHeld: number;
  readonly groupsCreated: number;
  readonly enisChanged: number;
  /** Additions that wait for this plan's revocations to free slots (see Plan.deferred). */
  readonly rulesDeferred?: number;
  /** Rules no document granted (world-open, other CIDRs, group references, prefix lists, other ports), revoked whatever the guard says. */
  readonly foreignRulesRevoked?: number;
  /** Compaction: rules moved out of groups being deleted into groups with room (present only then). */
  readonly rulesMoved?: number;
  /** Compaction: emptied groups detached and deleted (present only then). */
  readonly groupsDeleted?: number;
}

/**
 * The plan is a value: ordered steps (create, revoke default egress, authorize, attach, revoke,
 * tag), plus what the blast-radius guard held back. It prints, serializes and is asserted as is.
 */
export interface Plan {
  readonly syncToken: string;
  /** `stale` when the document is older than the one last applied: nothing is planned (see core/compare). */
  readonly status: 'in-sync' | 'changes' | 'stale';
  readonly steps: readonly Step[];
  readonly held: readonly HeldRevocation[];
  /** Set when revocations were held: the guard's error code. */
  readonly heldBy?: 'GUARD_REVOKE_FRACTION';
  /**
   * Additions that fit only once this plan's revocations have freed their slots (the groups-per-
   * interface quota allows no more groups). A second pass adds them; present only when non-empty.
   */
  readonly deferred?: readonly Rule[];
  /**
   * Set on a plan that changes no access and only frees interface slots: the rules of sparse groups
   * move into groups with room and the emptied groups are detached and deleted (see core/compaction).
   */
  readonly compaction?: { readonly groupsDeleted: readonly string[] };
  /**
   * Set when the state this plan leaves would fit in fewer groups: the run follows it with a
   * compaction pass. Never set on a plan that holds or defers work.
   */
  readonly compactAfter?: true;
  readonly summary: PlanSummary;
  /** Structured warnings (core/findings): rendered with their fix at the edge. */
  readonly warnings: readonly Finding[];
  /** Tagged groups the guard refused to write (FOREIGN_GROUP_TAGGED); present only when non-empty. */
  readonly refusedGroups?: readonly RefusedGroup[];
  /**
   * A forced older document (FORCED_OLDER_DOCUMENT): the newer token on the groups, and exactly the
   * ranges this plan blocks that its document publishes. Present only when non-empty.
   */
  readonly blocksNewer?: { readonly syncToken: string; readonly ranges: readonly string[] };
}
