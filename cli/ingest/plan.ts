import { rulesAbsent } from '../../lambda-src/core/compare';
import { guardError } from '../../lambda-src/core/errors';
import type { NetworkInterface, Rule } from '../../lambda-src/core/model';
import { admits, formatRule, isWorldSource, ruleKey } from '../../lambda-src/core/rules';
import { usageError } from '../errors';

/*
 * open-ingest's plan, pure: open the wanted rules on the own group, and revoke its world-open rules
 * on the ports being closed, but never close a port CloudFront reaches the origin on until every
 * range the current document publishes there reaches every interface of the instance through the
 * guard's own groups.
 */

export interface GroupRules {
  readonly groupId: string;
  readonly groupName: string;
  readonly ingress: readonly Rule[];
}

export interface IngestPlanInput {
  readonly group: GroupRules;
  readonly wanted: readonly Rule[];
  readonly closePorts: readonly number[];
  /** Ports CloudFront reaches the origin on (80 and the guard's ports). */
  readonly cloudfrontPorts: ReadonlySet<number>;
  /** Interfaces the group protects: the instance's, or those carrying the group. */
  readonly enis: readonly NetworkInterface[];
  /** The guard's own groups in the VPC (core/ownership: a tag alone does not make a group one of them). */
  readonly managed: readonly GroupRules[];
  readonly prefixName: string;
  /**
   * The rules the current document publishes, for the CloudFront ports being closed: closing is
   * allowed only when every one of them reaches every interface through the guard's groups.
   */
  readonly published: readonly Rule[];
  /** Where the document came from, for the error. */
  readonly documentSyncToken?: string;
}

export interface IngestPlan {
  readonly authorize: readonly Rule[];
  readonly revoke: readonly Rule[];
  readonly warnings: readonly string[];
}

/** One port, tcp or udp (`--close-public 80` closes both); with `protocol`, that one. */
const single = (port: number, protocol?: string) => ({ protocol, fromPort: port, toPort: port });
/** A world-open rule that lets `port` in (all traffic included). */
const worldOn = (rule: Rule, port: number) => isWorldSource(rule.source) && admits(rule, single(port));

/**
 * Throws CLOSE_WOULD_CUT_CLOUDFRONT unless every range the current document publishes on `port`
 * reaches every interface through the guard's groups: one group holding some port-`port` rule is not
 * enough (1 of 46 ranges would leave 45 CloudFront ranges without the origin).
 */
function assertCloudFrontCovered(input: IngestPlanInput, port: number): void {
  const onPort = input.published.filter((r) => admits(r, single(port, 'tcp')));
  const managed = new Map(input.managed.map((g) => [g.groupId, g]));
  // The ranges on the port that do not reach the interface through the guard's groups on it.
  const missingOn = (eni: NetworkInterface) => {
    const reach = new Set(eni.groupIds.flatMap((id) => (managed.get(id)?.ingress ?? []).map(ruleKey)));
    return onPort.filter((r) => !reach.has(ruleKey(r)));
  };
  const uncovered = input.enis.map((eni) => ({ eni, missing: missingOn(eni) })).filter((u) => u.missing.length > 0 || onPort.length === 0);
  if (uncovered.length === 0) return;
  const which = uncovered.map((u) => u.eni.eniId).join(', ');
  const doc = input.documentSyncToken ? `document ${input.documentSyncToken}` : 'the current document';
  const first = uncovered[0].missing;
  const why =
    input.managed.length === 0
      ? `there are no managed groups (PREFIX_NAME=${input.prefixName}) in the VPC yet`
      : onPort.length === 0
        ? `${doc} publishes no range on port ${port}, so nothing would let CloudFront in`
        : `${first.length} of the ${onPort.length} ranges ${doc} publishes on port ${port} reach ${which} through no attached managed group (e.g. ${first
            .slice(0, 3)
            .map((r) => r.source)
            .join(', ')})`;
  throw guardError(
    'CLOSE_WOULD_CUT_CLOUDFRONT',
    `closing world-open port ${port} on ${input.group.groupId} would cut CloudFront off the origin: ${why}. Run 'cfguard reconcile --apply' (with the instance id, so the groups are attached) first, then close it. Nothing was changed.`,
    'usage',
    { port, groupId: input.group.groupId, uncoveredInterfaces: uncovered.map((u) => u.eni.eniId), unreachableRanges: first.length },
  );
}

/** The CloudFront ports among `closePorts` that the group really opens to the world: only those need the document. */
export function cloudFrontPortsToClose(group: GroupRules, closePorts: readonly number[], cloudfrontPorts: ReadonlySet<number>): number[] {
  return closePorts.filter((port) => cloudfrontPorts.has(port) && group.ingress.some((r) => worldOn(r, port)));
}

export function planIngest(input: IngestPlanInput): IngestPlan {
  const authorize = rulesAbsent(input.wanted, input.group.ingress);
  const warnings: string[] = [];
  const revoke: Rule[] = [];
  for (const port of input.closePorts) {
    const clash = input.wanted.find((r) => worldOn(r, port));
    if (clash) throw usageError(`'--close-public' would close port ${port}, which the ingest rule ${formatRule(clash)} opens; drop ${port} from --close-public or change the ingest ports`);
    const open = input.group.ingress.filter((r) => worldOn(r, port));
    if (open.length === 0) continue;
    if (input.cloudfrontPorts.has(port)) assertCloudFrontCovered(input, port);
    for (const rule of open) {
      if (rule.protocol === '-1' || rule.fromPort !== rule.toPort) {
        warnings.push(`${input.group.groupId} keeps ${formatRule(rule)}, which opens port ${port} among others; revoke it by hand if that is meant`);
      } else if (!revoke.some((r) => ruleKey(r) === ruleKey(rule))) {
        revoke.push(rule);
      }
    }
  }
  if (revoke.some((r) => admits(r, single(SSH_PORT, 'tcp')))) warnings.push(sshEndsWarning(input.group.groupId));
  return { authorize, revoke, warnings };
}

const SSH_PORT = 22;

/**
 * Closing the world-open 22 is usually the point, but it also ends every SSH session from outside
 * the VPC through this group; say so, and name the way in that needs no open port: Session Manager
 * (AWS Systems Manager User Guide, "AWS Systems Manager Session Manager": no inbound ports, no
 * bastion; the instance needs the SSM Agent and an instance profile allowing Systems Manager).
 */
export function sshEndsWarning(groupId: string): string {
  return (
    `closing 22/tcp on ${groupId} ends SSH access to the instance from anywhere this group admitted it; ` +
    `use AWS Systems Manager Session Manager instead ('aws ssm start-session --target <instance-id>': no inbound port; the instance needs the SSM Agent and an instance profile with AmazonSSMManagedInstanceCore), ` +
    `or open 22 to your own address only`
  );
}
