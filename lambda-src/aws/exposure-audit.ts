/**
 * The reads behind the exposure audit: the instance's interfaces, then every group on them in one
 * call. Two reads; the reconciler's SNS no-op runs skip it, scheduled and direct runs pay it. A third
 * (DescribeManagedPrefixLists) only when a prefix list reaches an origin port: CloudFront's
 * origin-facing list is CloudFront, and its id differs per region, so it is found by name.
 */
import { DescribeManagedPrefixListsCommand, DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { describeAwsError } from './aws-errors';
import { rulesFromPermissions } from './ec2-permissions';
import { toNetworkInterface } from './ec2-state';
import { allPages, EC2_PAGE_SIZE } from './pages';
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
export async function auditInstanceExposure(ec2: EC2Client, q: AuditQuery): Promise<ExposureReport> {
  const filters = [
    { Name: 'vpc-id', Values: [q.vpcId] },
    { Name: 'attachment.instance-id', Values: [q.instanceId] },
  ];
  const raw = await allPages(
    (NextToken) =>
      ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters, MaxResults: EC2_PAGE_SIZE, NextToken })).catch((e) => {
        throw describeAwsError(e, 'DescribeNetworkInterfaces');
      }),
    (page) => page.NetworkInterfaces,
  );
  const enis = raw.map((n) => toNetworkInterface(n));
  const ids = [...new Set(enis.flatMap((e) => e.groupIds))];
  const groups = ids.length > 0 ? await readGroups(ec2, ids, q.prefixName) : [];
  const byId = new Map<string, AuditedGroup>(groups.map((g) => [g.groupId, g]));
  const input: ExposureInput = { enis, groups: byId, publishedRanges: q.publishedRanges, ports: q.ports, expectedPublicPorts: q.expectedPublicPorts };
  const report = auditExposure(input);
  // Only a prefix list on an origin port costs the lookup, so audits without one keep their two reads.
  return namesPrefixList(report) ? auditExposure({ ...input, cloudFrontPrefixLists: await readCloudFrontPrefixLists(ec2) }) : report;
}

/** The region's ids of CloudFront's origin-facing lists (IPv4 and IPv6), by their names: one read. */
async function readCloudFrontPrefixLists(ec2: EC2Client): Promise<string[]> {
  const lists = await allPages(
    (NextToken) =>
      ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: Object.values(CLOUDFRONT_PREFIX_LISTS) }], NextToken })).catch((e) => {
        throw describeAwsError(e, 'DescribeManagedPrefixLists');
      }),
    (page) => page.PrefixLists,
  );
  // Customer lists cannot be named com.amazonaws.*; the owner check keeps it so should that ever change.
  return lists.filter((l) => l.OwnerId === 'AWS' && l.PrefixListId).map((l) => l.PrefixListId!);
}

/** Every group on the interfaces, in one call per page (the Lambda's own read: the CLI's ec2-reads stay out of the bundle). */
async function readGroups(ec2: EC2Client, ids: readonly string[], prefixName: string): Promise<AuditedGroup[]> {
  const groups = await allPages(
    (NextToken) =>
      ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [...ids] }], MaxResults: EC2_PAGE_SIZE, NextToken })).catch((e) => {
        throw describeAwsError(e, 'DescribeSecurityGroups');
      }),
    (page) => page.SecurityGroups,
  );
  return groups.map((g) => ({
    groupId: g.GroupId ?? '',
    groupName: g.GroupName ?? '',
    ingress: rulesFromPermissions(g.IpPermissions),
    managed: (g.Tags ?? []).some((t) => t.Key === MANAGED_TAG_KEY && t.Value === prefixName),
  }));
}
