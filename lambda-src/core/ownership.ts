/**
 * Which tagged groups the guard may write, and which of their rules no document ever granted.
 *
 * The `PREFIX_NAME` tag proves nothing: anyone who can tag a group in the VPC can put it on a group
 * of their own, or on the instance's own group by mistake. So a tag makes a group a candidate, and
 * partitionGroups decides, from what the tag cannot forge (the name and description EC2 fixed at
 * creation, the adoption record only `cfguard import` extends, the interfaces it sits on), whether
 * the guard may write it at all. Inside a group the guard owns, the assessment's verdicts
 * (core/assessment) tell the rules no document granted (revoked, never held) from CloudFront's.
 */
import { MIN_PREFIX_LENGTH, tryParseCidr } from './cidr';
import type { ManagedGroup, NetworkInterface, PortSpec, Rule } from './model';
import { formatRule, isDefaultEgress, onPort } from './rules';

/** The description the guard writes on every rule it authorizes: how a later run knows a withdrawn range was once CloudFront's. */
export const GUARD_RULE_DESCRIPTION = 'CloudFront (cloudfront-origin-guard)';

/**
 * The guard's rule description with the document's syncToken in it: `CloudFront
 * (cloudfront-origin-guard) sync 1783714200`. A rule carries the token of the run that wrote it,
 * so a run that reads a rule written by a newer document knows it is overtaken even before that
 * document's tag is written (see core/sync-token newestMark). Digits and spaces are among the
 * characters EC2 allows in a rule description.
 */
export function guardRuleDescription(syncToken: string): string {
  return `${GUARD_RULE_DESCRIPTION} sync ${syncToken}`;
}

const MARKED = /^CloudFront \(cloudfront-origin-guard\) sync (\d{1,20})$/;

/** Whether the guard wrote this description (with a token, or without, as before tokens were written). */
export function isGuardRuleDescription(description: string | undefined): boolean {
  return description === GUARD_RULE_DESCRIPTION || (description !== undefined && MARKED.test(description));
}

/** The syncToken in a guard rule description, if it has one. */
export function ruleSyncToken(description: string | undefined): string | undefined {
  return description === undefined ? undefined : MARKED.exec(description)?.[1];
}

/**
 * The tag `cfguard import --apply` writes on a group it adopts (the tutorial's groups). Only the
 * operator's import writes it: the function's IAM policy can never set it (constructs/guard-iam.ts),
 * so a function that is tricked, or a tag alone, cannot extend the record of adopted groups.
 */
export const ADOPTED_TAG_KEY = 'CFGUARD_ADOPTED';

/**
 * The stable codes of a refusal: the group is not the guard's (FOREIGN_GROUP_TAGGED), or it is the
 * guard's but someone attached it to an interface of an instance the guard does not guard
 * (MANAGED_GROUP_ON_OTHER_INTERFACE); either way it is left exactly as it is.
 */
export type RefusalCode = 'FOREIGN_GROUP_TAGGED' | 'MANAGED_GROUP_ON_OTHER_INTERFACE' | 'FOREIGN_GROUP_ON_INTERFACE';

/** How the guard knows a group is its own. */
export type Provenance = 'created' | 'adopted';

/**
 * Everything the ownership decision reads. Pure data, so the planner, the teardown, the CLI's
 * cleanup and import, and any later assessment all ask the same question the same way.
 */
export interface OwnershipPolicy {
  /** Value of the managed tag and the groups' name prefix. */
  readonly prefixName: string;
  /** The description the guard writes at creation (MANAGED_GROUP_DESCRIPTION). */
  readonly managedDescription: string;
  /**
   * The instances whose interfaces the guard writes. A list: more than one origin is coming.
   * Empty (no INSTANCE_ID): the interfaces already carrying an owned group are the guarded ones.
   */
  readonly guardedInstanceIds: readonly string[];
  /** Groups never written whatever their tags and names (config `instanceSecurityGroupId`). */
  readonly protectedGroupIds?: readonly string[];
  /** The configured origin ports: an adopted group may hold rules on these only. */
  readonly ports: readonly PortSpec[];
}

/**
 * Created: EC2 never changes a group's name or description after creation (CreateSecurityGroup
 * sets both; no API modifies them: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html),
 * so `<prefix>-…` with the guard's fixed description was written when the group was made, by the
 * guard or by someone deliberately forging it, never by a stray tag.
 * Adopted: `cfguard import --apply` tagged it ADOPTED_TAG_KEY=<prefix>.
 */
export function provenanceOf(group: ManagedGroup, policy: Pick<OwnershipPolicy, 'prefixName' | 'managedDescription'>): Provenance | undefined {
  if (group.groupName.startsWith(`${policy.prefixName}-`) && group.description === policy.managedDescription) return 'created';
  if (group.adoptedBy === policy.prefixName) return 'adopted';
  return undefined;
}

/** A rule a document could have granted: a plain CIDR no broader than the guard accepts, on exactly one configured port. */
export function couldBeCloudFrontRule(rule: Rule, ports: readonly PortSpec[]): boolean {
  const cidr = tryParseCidr(rule.source);
  return onPort(rule, ports) && cidr !== undefined && cidr.prefixLength >= MIN_PREFIX_LENGTH[cidr.family];
}

/** The settings that say which instances are guarded: INSTANCE_ID, and GUARDED_INSTANCE_IDS when a secondary origin is deployed. */
export interface GuardedInstanceSettings {
  readonly instanceId?: string;
  /** Every guarded instance, primary first (lambda-src/config/guarded-instances.ts). @default - `instanceId` alone */
  readonly guardedInstanceIds?: readonly string[];
  /**
   * The other guarded instances' own groups (GUARDED_OWN_GROUP_IDS: the secondary origin's), protected
   * like the primary's INSTANCE_SECURITY_GROUP_ID and nameable on their ENIs. @default - none
   */
  readonly guardedOwnGroupIds?: readonly string[];
}

/**
 * Every guarded instance's own group: INSTANCE_SECURITY_GROUP_ID (the primary's) and
 * GUARDED_OWN_GROUP_IDS, each once; undefined when none is configured. The guard never writes them,
 * and they are the only groups besides its own that an interface's list may name (as IAM's
 * NameOwnGroupOnInterface says: constructs/guard-iam.ts).
 */
export function ownGroupIdsOf(settings: { readonly instanceSecurityGroupId?: string; readonly guardedOwnGroupIds?: readonly string[] }): string[] | undefined {
  const ids = [...new Set([...(settings.instanceSecurityGroupId ? [settings.instanceSecurityGroupId] : []), ...(settings.guardedOwnGroupIds ?? [])])];
  return ids.length > 0 ? ids : undefined;
}

/** The guarded instances, primary first, each once: GUARDED_INSTANCE_IDS when set, else INSTANCE_ID alone, else none. */
export function guardedInstanceList(settings: GuardedInstanceSettings): string[] {
  const ids = settings.guardedInstanceIds && settings.guardedInstanceIds.length > 0 ? settings.guardedInstanceIds : settings.instanceId ? [settings.instanceId] : [];
  return [...new Set(ids)];
}

/** A refused group: who, why (stable code), and where it sits. */
export interface RefusedGroup {
  readonly groupId: string;
  readonly groupName: string;
  readonly code: RefusalCode;
  readonly reason: string;
  /** Interfaces of instances the guard does not guard that carry it (MANAGED_GROUP_ON_OTHER_INTERFACE). */
  readonly eniIds?: readonly string[];
}

/** The result of partitionGroups: the groups the guard may write, and the others, each with its reason. */
export interface Partition {
  readonly owned: ManagedGroup[];
  readonly refused: RefusedGroup[];
  /** The guarded instances' interfaces, sorted by id. */
  readonly guardedEnis: NetworkInterface[];
  /** Of those, the ones the guard may rewrite: every group in their list is one it may name (interfaceRefusals). */
  readonly writableEnis: NetworkInterface[];
  /** One FOREIGN_GROUP_ON_INTERFACE per group that keeps a guarded interface from being rewritten. */
  readonly refusedInterfaces: RefusedGroup[];
}

function isGuardedEni(eni: NetworkInterface, policy: OwnershipPolicy, ownedIds: ReadonlySet<string>): boolean {
  if (policy.guardedInstanceIds.length === 0) return eni.groupIds.some((id) => ownedIds.has(id));
  return eni.instanceId !== undefined && policy.guardedInstanceIds.includes(eni.instanceId);
}

function whyForeign(g: ManagedGroup, policy: OwnershipPolicy, protectedIds: ReadonlySet<string>): string | undefined {
  const who = `${g.groupId} (${g.groupName})`;
  if (protectedIds.has(g.groupId)) return `${who} is the instance's own group (instanceSecurityGroupId) but carries the managed tag`;
  const provenance = provenanceOf(g, policy);
  if (provenance === undefined)
    return `${who} carries the tag PREFIX_NAME=${policy.prefixName}, but the guard did not create it (name and description are not the guard's) and cfguard import did not adopt it`;
  if (provenance === 'adopted') {
    const foreign = g.ingress.find((r) => !couldBeCloudFrontRule(r, policy.ports));
    if (foreign) return `${who} was adopted by cfguard import but now holds a rule no document grants (${formatRule(foreign)})`;
    const egress = g.egress.find((r) => !isDefaultEgress(r));
    if (egress) return `${who} was adopted by cfguard import but holds egress the guard never wrote (${formatRule(egress)})`;
  }
  return undefined;
}

/**
 * THE ownership decision, one pure function: of the groups carrying the managed tag, which the guard
 * may write (rules, egress, tags, interface lists, deletion), and which it must leave alone and why.
 *
 * Contract:
 * - `owned` holds a group only if the guard created it or `cfguard import` adopted it
 *   (provenanceOf), it is not a protected group, an adopted group holds nothing but rules a document
 *   could grant and EC2's default egress, and no interface outside the guarded instances carries it.
 * - every other group is in `refused` exactly once: FOREIGN_GROUP_TAGGED when it is not the guard's,
 *   MANAGED_GROUP_ON_OTHER_INTERFACE when it is but sits on another instance's (or a detached) interface.
 * - `guardedEnis`: the interfaces the guard may write. A refused group on them stays on them.
 * The tag alone proves nothing: it only makes a group a candidate (it is how EC2 finds them).
 */
export function partitionGroups(groups: readonly ManagedGroup[], interfaces: readonly NetworkInterface[], policy: OwnershipPolicy): Partition {
  const protectedIds = new Set(policy.protectedGroupIds ?? []);
  const refused: RefusedGroup[] = [];
  const proven: ManagedGroup[] = [];
  for (const g of groups) {
    const reason = whyForeign(g, policy, protectedIds);
    if (reason) refused.push({ groupId: g.groupId, groupName: g.groupName, code: 'FOREIGN_GROUP_TAGGED', reason });
    else proven.push(g);
  }
  const provenIds = new Set(proven.map((g) => g.groupId));
  const guardedEnis = interfaces.filter((e) => isGuardedEni(e, policy, provenIds)).sort((a, b) => (a.eniId < b.eniId ? -1 : a.eniId > b.eniId ? 1 : 0));
  const guardedIds = new Set(guardedEnis.map((e) => e.eniId));
  const owned: ManagedGroup[] = [];
  for (const g of proven) {
    const elsewhere = interfaces.filter((e) => !guardedIds.has(e.eniId) && e.groupIds.includes(g.groupId)).map((e) => e.eniId);
    if (elsewhere.length === 0) {
      owned.push(g);
      continue;
    }
    refused.push({
      groupId: g.groupId,
      groupName: g.groupName,
      code: 'MANAGED_GROUP_ON_OTHER_INTERFACE',
      reason: `${g.groupId} (${g.groupName}) is the guard's, but ${elsewhere.join(', ')} (not a guarded instance's) carries it`,
      eniIds: elsewhere,
    });
  }
  const onInterfaces = interfaceRefusals(guardedEnis, groups, provenIds, policy);
  const blocked = new Set(onInterfaces.flatMap((r) => r.eniIds ?? []));
  return { owned, refused, guardedEnis, writableEnis: guardedEnis.filter((e) => !blocked.has(e.eniId)), refusedInterfaces: onInterfaces };
}

/**
 * The code's side of the function's IAM policy (constructs/guard-iam.ts, Name*OnInterface):
 * ModifyNetworkInterfaceAttribute authorizes every group of the new list, and the policy lets the
 * function name only its own groups (created or adopted), the instance's own group
 * (protectedGroupIds, INSTANCE_SECURITY_GROUP_ID) and, with no own group configured, any group
 * without the managed tag. An interface whose list holds any other group (another team's
 * monitoring group, a tutorial group import has not adopted yet) cannot be rewritten at all, so
 * nothing is planned on it: each such group is reported on it, with the fix.
 */
export function interfaceRefusals(guardedEnis: readonly NetworkInterface[], candidates: readonly ManagedGroup[], provenIds: ReadonlySet<string>, policy: OwnershipPolicy): RefusedGroup[] {
  const own = new Set(policy.protectedGroupIds ?? []);
  const tagged = new Map(candidates.map((g) => [g.groupId, g]));
  const mayName = (id: string) => provenIds.has(id) || tagged.get(id)?.adoptedBy === policy.prefixName || (own.size > 0 ? own.has(id) : !tagged.has(id));
  const out: RefusedGroup[] = [];
  for (const eni of guardedEnis) {
    for (const id of eni.groupIds.filter((g) => !mayName(g))) {
      const g = tagged.get(id);
      const name = g ? ` (${g.groupName})` : '';
      const why = g
        ? `it carries PREFIX_NAME=${policy.prefixName} but the guard did not create it and cfguard import did not adopt it`
        : "it is neither the guard's nor a guarded instance's own group (instanceSecurityGroupId, secondaryOrigin.instanceSecurityGroupId)";
      out.push({
        groupId: id,
        groupName: g?.groupName ?? '',
        code: 'FOREIGN_GROUP_ON_INTERFACE',
        reason: `${eni.eniId} holds ${id}${name}, which the guard may not name in its group list: ${why}`,
        eniIds: [eni.eniId],
      });
    }
  }
  return out;
}
