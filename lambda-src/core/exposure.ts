/**
 * The exposure audit: proves the lock rather than trusting it. The origin ports are reachable from
 * the union of the rules of *every* group on the instance's interfaces, managed or not; any source
 * there that is not a published CloudFront range is an exposure. The guard reports exposure and
 * never revokes rules outside its own groups: the fix is the operator's.
 */
import { tryParseCidr } from './cidr';
import type { AddressFamily, NetworkInterface, PortSpec, Rule } from './model';
import { formatRule } from './rules';
import { isCloudFrontRule } from './ownership';

/**
 * AWS-managed prefix lists of CloudFront's origin-facing servers, one per address family. Their ids
 * differ per region (pl-…), their names do not: the audit and the prefix-list mode find them by name.
 */
export const CLOUDFRONT_PREFIX_LISTS: Readonly<Record<AddressFamily, string>> = {
  ipv4: 'com.amazonaws.global.cloudfront.origin-facing',
  ipv6: 'com.amazonaws.global.ipv6.cloudfront.origin-facing',
};

/** A group as the audit sees it: id, name, ingress. */
export interface AuditedGroup {
  readonly groupId: string;
  readonly groupName: string;
  readonly ingress: readonly Rule[];
  /** A managed group: its guard-written CloudFront ranges since withdrawn are the blast-radius guard's (drift calls them withdrawn), not exposure. @default false */
  readonly managed?: boolean;
}

export type ExposureKind = 'world-open' | 'other-cidr' | 'security-group' | 'prefix-list';

/** One rule that lets a non-CloudFront source reach the origin (or, as a warning, the world reach another port). */
export interface ExposedRule {
  readonly groupId: string;
  readonly groupName: string;
  /** `80/tcp from 0.0.0.0/0` */
  readonly rule: string;
  readonly kind: ExposureKind;
  readonly eniIds: readonly string[];
}

export interface ExposureReport {
  /** Sources other than CloudFront's on an origin port: the lock is open. */
  readonly exposed: readonly ExposedRule[];
  /** The world on a port that is neither an origin port nor an expected ingest port (22, say): worth knowing, not an exposure. */
  readonly warnings: readonly ExposedRule[];
  readonly enisAudited: readonly string[];
}

export interface ExposureInput {
  readonly enis: readonly NetworkInterface[];
  /** Every group on those interfaces, by id; a group missing here is reported as unreadable by the caller. */
  readonly groups: ReadonlyMap<string, AuditedGroup>;
  /** Canonical CIDRs of every CloudFront service in the current document. */
  readonly publishedRanges: ReadonlySet<string>;
  /** The configured origin ports. */
  readonly ports: readonly PortSpec[];
  /** Ports the world may reach on purpose (the configured ingest rules: 1935/udp, 1945/tcp): never reported. @default - none */
  readonly expectedPublicPorts?: readonly PortSpec[];
  /** The ids (pl-…) of CloudFront's origin-facing managed prefix lists in the region: a rule from them is CloudFront. @default - none */
  readonly cloudFrontPrefixLists?: readonly string[];
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);

function covers(rule: Rule, port: PortSpec): boolean {
  if (rule.protocol === '-1') return true;
  return rule.protocol === port.protocol && rule.fromPort <= port.toPort && port.fromPort <= rule.toPort;
}

function exactly(rule: Rule, port: PortSpec): boolean {
  return rule.protocol === port.protocol && rule.fromPort === port.fromPort && rule.toPort === port.toPort;
}

function kindOf(source: string, input: ExposureInput): ExposureKind | undefined {
  if (source.startsWith('sg-')) return 'security-group';
  if (source.startsWith('pl-')) return (input.cloudFrontPrefixLists ?? []).includes(source) ? undefined : 'prefix-list';
  const cidr = tryParseCidr(source);
  const canonical = cidr?.text ?? source;
  if (WORLD.has(canonical)) return 'world-open';
  return input.publishedRanges.has(canonical) ? undefined : 'other-cidr';
}

/** Audits the interfaces: pure, so the Lambda, `cfguard drift` and `cfguard status` report the same findings. */
export function auditExposure(input: ExposureInput): ExposureReport {
  const found = new Map<string, { entry: Omit<ExposedRule, 'eniIds'>; eniIds: string[]; exposed: boolean }>();
  for (const eni of input.enis) {
    for (const groupId of eni.groupIds) {
      const group = input.groups.get(groupId);
      for (const rule of group?.ingress ?? []) {
        const kind = kindOf(rule.source, input);
        if (kind === undefined) continue;
        if (group?.managed && kind === 'other-cidr' && isCloudFrontRule(rule, { publishedRanges: input.publishedRanges, ports: input.ports })) continue;
        const origin = input.ports.some((p) => covers(rule, p));
        const expected = (input.expectedPublicPorts ?? []).some((p) => exactly(rule, p));
        if (!origin && (kind !== 'world-open' || expected)) continue;
        const key = `${groupId}|${formatRule(rule)}`;
        const seen = found.get(key);
        if (seen) seen.eniIds.push(eni.eniId);
        else found.set(key, { entry: { groupId, groupName: group?.groupName ?? '', rule: formatRule(rule), kind }, eniIds: [eni.eniId], exposed: origin });
      }
    }
  }
  const all = [...found.values()].map((f) => ({ ...f.entry, eniIds: f.eniIds, exposed: f.exposed }));
  const strip = ({ exposed: _, ...rest }: (typeof all)[number]) => rest;
  return { exposed: all.filter((f) => f.exposed).map(strip), warnings: all.filter((f) => !f.exposed).map(strip), enisAudited: input.enis.map((e) => e.eniId) };
}

/** Whether a finding is a prefix list: only then does the AWS shell look up CloudFront's lists and audit again. */
export function namesPrefixList(report: ExposureReport): boolean {
  return report.exposed.some((e) => e.kind === 'prefix-list');
}

/** One line per finding, for logs and the CLI: `sg-… (name): 80/tcp from 0.0.0.0/0 (world-open)`. */
export function describeExposure(e: ExposedRule): string {
  return `${e.groupId}${e.groupName ? ` (${e.groupName})` : ''}: ${e.rule} (${e.kind})`;
}
