/**
 * The reads behind the exposure audit: the instance's interfaces, then every group on them in one
 * call. Two reads; the reconciler's SNS no-op runs skip it, scheduled and direct runs pay it. A third
 * (DescribeManagedPrefixLists) only when a prefix list reaches an origin port: CloudFront's
 * origin-facing list is CloudFront, and its id differs per region, so it is found by name.
 */
import type { SecurityGroupManager } from './security-group-manager';
import { auditExposure, CLOUDFRONT_PREFIX_LISTS, namesPrefixList, type AuditedGroup, type ExposureInput, type ExposureReport } from '../core/exposure';
import type { DesiredState, PortSpec } from '../core/model';
import { MANAGED_TAG_KEY } from '../core/sync-token';

export interface AuditQuery {
  readonly vpcId: string;
  readonly instanceId: string;
  /** The managed tag's value: groups carrying it are the guard's. */
  readonly prefixName: string;
  readonly ports: readonly PortSpec[];
  readonly publishedRanges: ReadonlySet<string>;
  /** The configured ingest rules' ports (expected to be public). @default - none */
  readonly expectedPublicPorts?: readonly PortSpec[];
}

/** The audit's query for a run: the instance's origin ports against what the document publishes; none without an instance. */
export function auditQueryFor(
  settings: { readonly instanceId?: string; readonly prefixName: string; readonly ports: readonly PortSpec[] },
  vpcId: string,
  desired: DesiredState,
  expectedPublicPorts?: readonly PortSpec[],
): AuditQuery | undefined {
  if (!settings.instanceId) return undefined;
  const publishedRanges = new Set(desired.publishedRanges ?? desired.rules.map((r) => r.source));
  return { vpcId, instanceId: settings.instanceId, prefixName: settings.prefixName, ports: settings.ports, publishedRanges, ...(expectedPublicPorts ? { expectedPublicPorts } : {}) };
}

/** Audits what the instance's interfaces let in now (after the run's writes). */
export async function auditInstanceExposure(ec2: SecurityGroupManager, q: AuditQuery): Promise<ExposureReport> {
  const enis = await ec2.readInterfaces({ vpcId: q.vpcId, instanceId: q.instanceId });
  const ids = [...new Set(enis.flatMap((e) => e.groupIds))];
  const groups = ids.length > 0 ? await ec2.readGroups({ groupIds: ids }) : [];
  const audited = groups.map((g): AuditedGroup => ({ groupId: g.groupId, groupName: g.groupName, ingress: g.ingress, managed: g.tags[MANAGED_TAG_KEY] === q.prefixName }));
  const byId = new Map<string, AuditedGroup>(audited.map((g) => [g.groupId, g]));
  const input: ExposureInput = { enis, groups: byId, publishedRanges: q.publishedRanges, ports: q.ports, expectedPublicPorts: q.expectedPublicPorts };
  const report = auditExposure(input);
  // Only a prefix list on an origin port costs the lookup, so audits without one keep their two reads.
  return namesPrefixList(report) ? auditExposure({ ...input, cloudFrontPrefixLists: await ec2.cloudFrontPrefixListIds(Object.values(CLOUDFRONT_PREFIX_LISTS)) }) : report;
}
