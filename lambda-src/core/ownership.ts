/**
 * Which tagged groups the guard may write, and which of their rules no document ever granted.
 *
 * The `PREFIX_NAME` tag proves nothing: anyone who can tag a group in the VPC can put it on a group
 * of their own, or on the instance's own group by mistake. So a tag makes a group a candidate, and
 * these rules decide what the guard does with it.
 */
import type { ManagedGroup, NetworkInterface, PortSpec, Rule } from './model';
import { formatRule } from './rules';

/** The description the guard writes on every rule it authorizes: how a later run knows a withdrawn range was once CloudFront's. */
export const GUARD_RULE_DESCRIPTION = 'CloudFront (cloudfront-origin-guard)';

/** What the guard knows about CloudFront for this run: every range it publishes, and the ports it serves. */
export interface OwnershipContext {
  /** Canonical CIDRs of every CloudFront service in the current document, both families. */
  readonly publishedRanges: ReadonlySet<string>;
  /** The configured origin ports. */
  readonly ports: readonly PortSpec[];
  /** The instance's own group (config `instanceSecurityGroupId`): never written, whatever its tags. */
  readonly protectedGroupIds?: readonly string[];
  readonly instanceId?: string;
  /** Groups carrying this description were created by the guard, so a heuristic never refuses them. */
  readonly managedDescription?: string;
}

/** A tagged group the guard refuses to write, with the reason it is not the guard's. */
export interface RefusedGroup {
  readonly groupId: string;
  readonly groupName: string;
  readonly code: 'FOREIGN_GROUP_TAGGED';
  readonly reason: string;
}

/** A rule no CloudFront change could explain: a source CloudFront never published, on a port outside the configured set. */
function isUnrelatedRule(rule: Rule, ctx: OwnershipContext): boolean {
  if (ctx.publishedRanges.has(rule.source)) return false;
  return !ctx.ports.some((p) => p.protocol === rule.protocol && p.fromPort <= rule.fromPort && rule.toPort <= p.toPort);
}

/**
 * Splits the tagged groups into the ones the guard writes and the ones it refuses. A group is
 * refused (FOREIGN_GROUP_TAGGED) when it is the configured own group, or when it already guards
 * the instance and holds rules unrelated to CloudFront (22 from the world, an ingest port): that
 * is somebody's working group tagged by mistake, and stripping it would cut their access.
 * An unattached group with foreign rules is the guard's to clean (see the planner): it is attached
 * only once clean.
 */
export function partitionGroups(groups: readonly ManagedGroup[], enis: readonly NetworkInterface[], ctx: OwnershipContext): { writable: ManagedGroup[]; refused: RefusedGroup[] } {
  const protectedIds = new Set(ctx.protectedGroupIds ?? []);
  const onInstance = new Set(enis.filter((e) => (ctx.instanceId === undefined ? true : e.instanceId === ctx.instanceId)).flatMap((e) => e.groupIds));
  const writable: ManagedGroup[] = [];
  const refused: RefusedGroup[] = [];
  for (const g of groups) {
    const unrelated = g.ingress.filter((r) => isUnrelatedRule(r, ctx));
    if (protectedIds.has(g.groupId)) {
      refused.push({
        groupId: g.groupId,
        groupName: g.groupName,
        code: 'FOREIGN_GROUP_TAGGED',
        reason: `${g.groupId} (${g.groupName}) is the instance's own group (instanceSecurityGroupId) but carries the managed tag`,
      });
    } else if (onInstance.has(g.groupId) && unrelated.length > 0 && g.description !== ctx.managedDescription) {
      refused.push({
        groupId: g.groupId,
        groupName: g.groupName,
        code: 'FOREIGN_GROUP_TAGGED',
        reason: `${g.groupId} (${g.groupName}) is attached to the instance and holds ${unrelated.length} rule(s) unrelated to CloudFront (e.g. ${formatRule(unrelated[0])})`,
      });
    } else {
      writable.push(g);
    }
  }
  return { writable, refused };
}
