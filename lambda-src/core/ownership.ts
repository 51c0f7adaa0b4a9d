/**
 * Which tagged groups the guard may write, and which of their rules no document ever granted.
 *
 * The `PREFIX_NAME` tag proves nothing: anyone who can tag a group in the VPC can put it on a group
 * of their own, or on the instance's own group by mistake. So a tag makes a group a candidate, and
 * these rules decide what the guard does with it.
 */
import { MIN_PREFIX_LENGTH, tryParseCidr } from './cidr';
import type { ManagedGroup, NetworkInterface, PortSpec, Rule } from './model';

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

function onConfiguredPort(rule: Rule, ports: readonly PortSpec[]): boolean {
  return ports.some((p) => p.protocol === rule.protocol && p.fromPort === rule.fromPort && p.toPort === rule.toPort);
}

/**
 * True when a document could have granted `rule`: exactly one configured port, from a plain CIDR
 * no broader than the guard accepts, that CloudFront publishes now or that the guard itself wrote
 * (a range since withdrawn: the blast-radius guard's business).
 */
export function isCloudFrontRule(rule: Rule, ctx: Pick<OwnershipContext, 'publishedRanges' | 'ports'>): boolean {
  if (!onConfiguredPort(rule, ctx.ports)) return false;
  if (ctx.publishedRanges.has(rule.source)) return true;
  const cidr = tryParseCidr(rule.source);
  return cidr !== undefined && cidr.prefixLength >= MIN_PREFIX_LENGTH[cidr.family] && rule.description === GUARD_RULE_DESCRIPTION;
}

/**
 * A foreign rule: anything in a managed group no document granted (other CIDRs, the world, group
 * references, prefix lists, other ports or protocols). The blast-radius guard never holds its
 * revocation: the guard exists to hold mass withdrawals of CloudFront ranges, not rules like these.
 */
export function isForeignRule(rule: Rule, ctx: Pick<OwnershipContext, 'publishedRanges' | 'ports'>): boolean {
  return !isCloudFrontRule(rule, ctx);
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
        reason: `${g.groupId} (${g.groupName}) is attached to the instance and holds ${unrelated.length} rule(s) unrelated to CloudFront (e.g. ${formatSource(unrelated[0])})`,
      });
    } else {
      writable.push(g);
    }
  }
  return { writable, refused };
}

function formatSource(rule: Rule): string {
  const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  return `${ports}/${rule.protocol} from ${rule.source}`;
}

/** The message a refused group gets in the run's warnings and errors: what is wrong and how to fix it. */
export function refusedGroupWarning(g: RefusedGroup, prefixName: string): string {
  return `FOREIGN_GROUP_TAGGED: ${g.reason}; the guard leaves it untouched. Remove its PREFIX_NAME=${prefixName} tag (aws ec2 delete-tags --resources ${g.groupId} --tags Key=PREFIX_NAME), or empty it of the other rules if it really is the guard's`;
}
