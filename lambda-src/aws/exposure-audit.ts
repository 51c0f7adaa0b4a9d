/**
 * The reads behind the exposure audit: the instance's interfaces, then every group on them in one
 * call. Two reads; the reconciler's SNS no-op runs skip it, scheduled and direct runs pay it. A third
 * (DescribeManagedPrefixLists) only when a prefix list appears: CloudFront's origin-facing list is
 * CloudFront, and its id differs per region, so it is found by name. This file only reads; the
 * verdicts are the assessment's (core/assessment, core/verdicts).
 */
import type { SecurityGroupManager } from './security-group-manager';
import type { InstanceView } from '../core/assessment';
import { auditExposure, CLOUDFRONT_PREFIX_LISTS, type ExposureReport } from '../core/exposure';
import type { DesiredState, NetworkInterface, PortSpec, Rule } from '../core/model';
import { isPrefixListSource } from '../core/rules';
import { MANAGED_TAG_KEY } from '../core/sync-token';
import { guardedInstanceList, type GuardedInstanceSettings } from '../core/ownership';

export interface AuditQuery {
  readonly vpcId: string;
  /** Every guarded instance, primary first: each one's interfaces are audited, and each finding names its instance. */
  readonly instanceIds: readonly string[];
  /** The managed tag's value: groups carrying it, less the refused ones, are the guard's. */
  readonly prefixName: string;
  /** Tagged groups the run's assessment refused (FOREIGN_GROUP_TAGGED): audited as somebody else's. @default - none */
  readonly refusedGroupIds?: readonly string[];
  readonly ports: readonly PortSpec[];
  readonly publishedRanges: ReadonlySet<string>;
  /** The configured ingest rules, expected on the instance's own group. @default - none */
  readonly expectedIngest?: readonly Rule[];
}

/** The audit's query for a run: every guarded instance's origin ports against what the document publishes; none without an instance. */
export function auditQueryFor(
  settings: GuardedInstanceSettings & { readonly prefixName: string; readonly ports: readonly PortSpec[]; readonly ingestRules?: readonly Rule[] },
  vpcId: string,
  desired: DesiredState,
  refusedGroupIds: readonly string[] = [],
): AuditQuery | undefined {
  const instanceIds = guardedInstanceList(settings);
  if (instanceIds.length === 0) return undefined;
  const publishedRanges = new Set(desired.publishedRanges ?? desired.rules.map((r) => r.source));
  // The ingestRules setting (INGEST_RULES): the rules the stack opened on the own groups are never a finding.
  return { vpcId, instanceIds, prefixName: settings.prefixName, refusedGroupIds, ports: settings.ports, publishedRanges, ...(settings.ingestRules ? { expectedIngest: settings.ingestRules } : {}) };
}

/**
 * Every group on the instances' interfaces (primary first), the groups read once in one call;
 * `enis`, when the caller already read them (status, drift), saves the interface reads.
 */
export async function readInstanceView(
  ec2: SecurityGroupManager,
  where: { readonly vpcId: string; readonly instanceIds: readonly string[] },
  enis?: readonly NetworkInterface[],
): Promise<InstanceView & { readonly tagged: ReadonlySet<string> }> {
  const onInstance: NetworkInterface[] = [];
  for (const instanceId of where.instanceIds) {
    onInstance.push(...(enis ? enis.filter((e) => e.instanceId === instanceId) : await ec2.readInterfaces({ vpcId: where.vpcId, instanceId })));
  }
  const ids = [...new Set(onInstance.flatMap((e) => e.groupIds))];
  const groups = ids.length > 0 ? await ec2.readGroups({ groupIds: ids }) : [];
  // Only a prefix-list source costs the lookup, so audits without one keep their two reads.
  const lists = groups.some((g) => g.ingress.some((r) => isPrefixListSource(r.source))) ? { cloudFrontPrefixLists: await ec2.cloudFrontPrefixListIds(Object.values(CLOUDFRONT_PREFIX_LISTS)) } : {};
  const tagged = new Set(groups.filter((g) => MANAGED_TAG_KEY in g.tags).map((g) => `${g.groupId}|${g.tags[MANAGED_TAG_KEY]}`));
  return { enis: onInstance, groups: groups.map((g) => ({ groupId: g.groupId, groupName: g.groupName, ingress: g.ingress })), ...lists, tagged };
}

/** Audits what the instance's interfaces let in now (after the run's writes): the Lambda's audit. */
export async function auditInstanceExposure(ec2: SecurityGroupManager, q: AuditQuery): Promise<ExposureReport> {
  const view = await readInstanceView(ec2, q);
  const refused = new Set(q.refusedGroupIds ?? []);
  const managed = (id: string) => view.tagged.has(`${id}|${q.prefixName}`) && !refused.has(id);
  return auditExposure({
    enis: view.enis,
    groups: new Map(view.groups.map((g) => [g.groupId, { ...g, managed: managed(g.groupId) }])),
    publishedRanges: q.publishedRanges,
    ports: q.ports,
    ...(q.expectedIngest ? { expectedIngest: q.expectedIngest } : {}),
    ...(view.cloudFrontPrefixLists ? { cloudFrontPrefixLists: view.cloudFrontPrefixLists } : {}),
  });
}
