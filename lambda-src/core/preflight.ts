import { LAMBDA_SPELLING, type SettingSpelling } from './errors';
import type { NetworkInterface, Rule } from './model';
import { placeRules } from './placement';
import { EC2_MAX_GROUPS_PER_INTERFACE, smallestFittingRulesPerGroup } from './quota';

/*
 * `cfguard preflight` as a pure function: the facts read from the account in, the findings out.
 * A finding is something that makes the deploy fail or the ranges not fit; each names the quota
 * or setting and the value to request. Everything else is a note.
 */

/** AWS's quotas the guard depends on: Service Quotas codes, and the value when they cannot be read. */
export const PREFLIGHT_QUOTAS = {
  rulesPerGroup: { serviceCode: 'vpc', quotaCode: 'L-0EA8095F', name: 'Inbound or outbound rules per security group', defaultValue: 60 },
  groupsPerInterface: { serviceCode: 'vpc', quotaCode: 'L-2AFB9258', name: 'Security groups per network interface', defaultValue: 5 },
  lambdaConcurrency: { serviceCode: 'lambda', quotaCode: 'L-B99A9384', name: 'Concurrent executions', defaultValue: 1000 },
  // Elastic IPs per region (default 5): https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html#using-instance-addressing-limit
  elasticIps: { serviceCode: 'ec2', quotaCode: 'L-0263D0A3', name: 'EC2-VPC Elastic IPs', defaultValue: 5 },
} as const;

/** Lambda refuses a reservation that leaves fewer unreserved executions than this. */
export const LAMBDA_MIN_UNRESERVED = 10;

export type QuotaKey = keyof typeof PREFLIGHT_QUOTAS;

export interface QuotaReading {
  readonly value: number;
  /** `account`: read from Service Quotas; `default`: AWS's default, because the read failed. */
  readonly source: 'account' | 'default';
  /** Why the default was used (the error code). */
  readonly reason?: string;
}

export type RegionStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

export interface PreflightFacts {
  readonly region: string;
  readonly regionStatus: RegionStatus;
  readonly functionRegion: string;
  /** Undefined: the instance's region is missing from the Origin Shield table and no override is set. */
  readonly originShieldRegion?: string;
  readonly instanceId: string;
  /** Undefined: the instance was not found (or the region is not enabled). */
  readonly instance?: { readonly vpcId: string; readonly enis: readonly NetworkInterface[] };
  /**
   * The secondary origin (config `secondaryOrigin`): its interfaces count for the groups-per-interface
   * fit as the primary's do (the guard attaches its groups to both). @default - none
   */
  readonly secondary?: { readonly instanceId: string; readonly instance?: { readonly vpcId: string; readonly enis: readonly NetworkInterface[] } };
  /** With a secondary origin: the region's Elastic IPs, allocated and the quota, and how many the deploy allocates. @default - not checked */
  readonly elasticIps?: { readonly quota: QuotaReading; readonly allocated: number; readonly needed: number };
  /** Ids of the managed groups (tagged PREFIX_NAME) already in the VPC. */
  readonly managedGroupIds: readonly string[];
  readonly desired: readonly Rule[];
  readonly prefixName: string;
  readonly settings: { readonly rulesPerGroup: number; readonly groupsPerInterface: number };
  readonly quotas: { readonly rulesPerGroup: QuotaReading; readonly groupsPerInterface: QuotaReading };
  /** Undefined in prefix-list mode (no function). */
  readonly lambda?: { readonly concurrentExecutions: number; readonly unreservedConcurrentExecutions: number };
  readonly reservedConcurrency?: number;
}

export interface Finding {
  /** A stable name: region-not-enabled, instance-not-found, rules-per-group, groups-per-interface, groups-fit, elastic-ips, lambda-concurrency, origin-shield-region. */
  readonly check: string;
  readonly message: string;
  /** The quota to raise and the value to request, when raising one fixes it. */
  readonly request?: { readonly serviceCode: string; readonly quotaCode: string; readonly name: string; readonly current: number; readonly value: number };
}

export interface PreflightReport {
  readonly findings: readonly Finding[];
  readonly groupsNeeded: number;
  /** Groups already on the most crowded interface that the guard does not manage. */
  readonly ownGroups: number;
  readonly notes: readonly string[];
}

function quotaRequest(key: QuotaKey, current: number, value: number): Finding['request'] {
  const q = PREFLIGHT_QUOTAS[key];
  return { serviceCode: q.serviceCode, quotaCode: q.quotaCode, name: q.name, current, value };
}

function quotaName(key: QuotaKey): string {
  const q = PREFLIGHT_QUOTAS[key];
  return `'${q.name}' (${q.serviceCode} ${q.quotaCode})`;
}

function groupsNeededAt(f: PreflightFacts, rulesPerGroup: number): number {
  return placeRules([], f.desired, f.prefixName, rulesPerGroup).newGroupNames.length;
}

function ownCount(eni: NetworkInterface, managed: ReadonlySet<string>): number {
  return eni.groupIds.filter((id) => !managed.has(id)).length;
}

/** A secondary origin allocates its own Elastic IP: the region's quota must leave room for every one the deploy allocates. */
function elasticIpFindings(f: PreflightFacts): Finding[] {
  const e = f.elasticIps;
  if (!e || e.needed === 0 || e.allocated + e.needed <= e.quota.value) return [];
  const value = e.allocated + e.needed;
  return [
    {
      check: 'elastic-ips',
      message:
        `the deploy allocates ${e.needed} Elastic IP(s) and ${f.region} has ${e.allocated} of the account's ${quotaName('elasticIps')} ${e.quota.value}: ` +
        `request ${value}, release an unused address, or adopt one (elasticIp.allocationId, secondaryOrigin.elasticIp.allocationId)`,
      request: quotaRequest('elasticIps', e.quota.value, value),
    },
  ];
}

function fitFindings(f: PreflightFacts, spell: SettingSpelling, ownGroups: number, groupsNeeded: number, busiest?: NetworkInterface): Finding[] {
  const findings: Finding[] = [];
  // A setting above the account's quota fails the writes: lower the setting or raise the quota.
  for (const key of ['rulesPerGroup', 'groupsPerInterface'] as const) {
    const setting = f.settings[key];
    const quota = f.quotas[key].value;
    if (setting > quota) {
      findings.push({
        check: key === 'rulesPerGroup' ? 'rules-per-group' : 'groups-per-interface',
        message: `${spell(key)} is ${setting} but the account's ${quotaName(key)} is ${quota}: lower ${spell(key)} to ${quota}, or request ${setting}`,
        request: quotaRequest(key, quota, setting),
      });
    }
  }
  const groupsQuota = f.quotas.groupsPerInterface.value;
  const allowed = Math.min(f.settings.groupsPerInterface, groupsQuota);
  const total = ownGroups + groupsNeeded;
  if (total > allowed) {
    const wanted = Math.min(total, EC2_MAX_GROUPS_PER_INTERFACE);
    const fitsRules = smallestFittingRulesPerGroup(f.settings.rulesPerGroup, allowed, (r) => ownGroups + groupsNeededAt(f, r) <= allowed);
    const alternative = fitsRules === undefined ? '' : `; or set ${spell('rulesPerGroup')} to ${fitsRules} and request ${quotaName('rulesPerGroup')} of ${fitsRules}`;
    findings.push({
      check: 'groups-fit',
      message:
        `the ranges need ${groupsNeeded} managed group(s) at ${f.settings.rulesPerGroup} rules each, and ${busiest ? `the busiest guarded interface, ${busiest.eniId} of ${busiest.instanceId ?? 'no instance'},` : "the instance's busiest interface"} keeps ${ownGroups} of its own: ${total} above the ${allowed} allowed per interface; ` +
        `request ${quotaName('groupsPerInterface')} of ${wanted} and set ${spell('groupsPerInterface')} to ${wanted}${alternative}`,
      request: quotaRequest('groupsPerInterface', groupsQuota, wanted),
    });
  }
  return findings;
}

function lambdaFindings(f: PreflightFacts, spell: SettingSpelling): Finding[] {
  const reserved = f.reservedConcurrency;
  if (!f.lambda || reserved === undefined) return [];
  const left = f.lambda.unreservedConcurrentExecutions - reserved;
  if (left >= LAMBDA_MIN_UNRESERVED) return [];
  const value = f.lambda.concurrentExecutions + (LAMBDA_MIN_UNRESERVED - left);
  return [
    {
      check: 'lambda-concurrency',
      message:
        `${spell('reservedConcurrency')} ${reserved} would leave ${left} unreserved executions in ${f.functionRegion}, below Lambda's minimum of ${LAMBDA_MIN_UNRESERVED} (the account's ${quotaName('lambdaConcurrency')} is ${f.lambda.concurrentExecutions}, ${f.lambda.unreservedConcurrentExecutions} unreserved): ` +
        `remove ${spell('reservedConcurrency')} (runs are safe without it), or request ${value} in ${f.functionRegion}`,
      request: quotaRequest('lambdaConcurrency', f.lambda.concurrentExecutions, value),
    },
  ];
}

/** `spell`: how the edge names a setting id (`rulesPerGroup`) in the findings; the core picks none. */
export function preflightReport(f: PreflightFacts, spell: SettingSpelling = LAMBDA_SPELLING): PreflightReport {
  const findings: Finding[] = [];
  const notes: string[] = [];
  if (f.regionStatus === 'not-opted-in') {
    findings.push({
      check: 'region-not-enabled',
      message: `region ${f.region} is an opt-in region not enabled for this account: enable it (console: Account, AWS Regions; or 'aws account enable-region --region-name ${f.region}'), wait until it shows Enabled, and run preflight again`,
    });
  } else {
    if (!f.instance) findings.push({ check: 'instance-not-found', message: `instance ${f.instanceId} does not exist in ${f.region}: check instanceId / --instance-id and the region` });
    if (f.secondary && !f.secondary.instance) {
      findings.push({ check: 'instance-not-found', message: `secondary instance ${f.secondary.instanceId} does not exist in ${f.region}: check secondaryOrigin.instanceId and the region` });
    }
  }
  if (f.functionRegion !== f.region)
    notes.push(
      `${f.region} is an opt-in region: SNS does not deliver AmazonIpSpaceChanged there, so the function, its logs, alarms and queue run in ${f.functionRegion} and manage ${f.region} remotely`,
    );
  if (f.originShieldRegion === undefined) {
    findings.push({
      check: 'origin-shield-region',
      message: `region ${f.region} is not in AWS's Origin Shield table: set ${spell('originShieldRegion')} to the Origin Shield region nearest the instance`,
    });
  }
  for (const key of ['rulesPerGroup', 'groupsPerInterface'] as const) {
    const q = f.quotas[key];
    if (q.source === 'default')
      notes.push(`${quotaName(key)} could not be read (${q.reason ?? 'unknown'}); assumed AWS's default ${q.value}: grant servicequotas:GetServiceQuota to check the account's own value`);
  }
  const managed = new Set(f.managedGroupIds);
  // Every guarded instance's interfaces carry the managed groups: the busiest of them all decides the fit.
  const enis = [...(f.instance?.enis ?? []), ...(f.secondary?.instance?.enis ?? [])];
  const busiest = enis.reduce<NetworkInterface | undefined>((a, e) => (a === undefined || ownCount(e, managed) > ownCount(a, managed) ? e : a), undefined);
  const ownGroups = Math.max(1, busiest ? ownCount(busiest, managed) : 0);
  const groupsNeeded = groupsNeededAt(f, f.settings.rulesPerGroup);
  findings.push(...fitFindings(f, spell, ownGroups, groupsNeeded, f.secondary && busiest ? busiest : undefined));
  findings.push(...elasticIpFindings(f));
  findings.push(...lambdaFindings(f, spell));
  if (f.lambda && f.reservedConcurrency === undefined && f.lambda.concurrentExecutions <= LAMBDA_MIN_UNRESERVED) {
    notes.push(`the account's Lambda concurrency in ${f.functionRegion} is ${f.lambda.concurrentExecutions} (a new account's): fine without a reservation, which is the default`);
  }
  return { findings, groupsNeeded, ownGroups, notes };
}
