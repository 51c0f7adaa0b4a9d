import { addressKey, canonicalCidr, tryParseCidr } from './cidr';
import { guardError } from './errors';
import type { IpRangesDocument } from './ip-ranges-document';
import type { DesiredState, PortSpec } from './model';
import { rulesFor } from './rules';

export * from './ip-ranges-document';

/** The ip-ranges.json services whose ranges the guard can open: every service under which it lists CloudFront. */
export const SERVICES = ['CLOUDFRONT_ORIGIN_FACING', 'CLOUDFRONT'] as const;
export type Service = (typeof SERVICES)[number];
const CLOUDFRONT_SERVICES: ReadonlySet<string> = new Set(SERVICES);

/** The settings the selection reads: the core's own view of GuardSettings (lambda-src/config/settings.ts), which satisfies it. */
export interface SelectionSettings {
  /** Services whose ranges are opened. */
  readonly services: readonly Service[];
  /** Open IPv6 ranges too. */
  readonly ipv6: boolean;
  /** Ports opened to CloudFront. */
  readonly ports: readonly PortSpec[];
}

export interface SelectedRanges {
  readonly syncToken: string;
  readonly createDate: string;
  /** Canonical, de-duplicated, sorted by address then prefix length. */
  readonly ipv4: readonly string[];
  /** Same, and empty unless IPv6 was asked for. */
  readonly ipv6: readonly string[];
  /** Published entries per selected service, before canonicalization and de-duplication (v6 counted even when not opened). */
  readonly counts: Record<string, { v4: number; v6: number }>;
}

function sortCidrs(cidrs: Iterable<string>, family: 'ipv4' | 'ipv6'): string[] {
  const keyed = [...cidrs].map((text) => ({ text, key: addressKey(text, family), length: Number(text.slice(text.indexOf('/') + 1)) }));
  keyed.sort((a, b) => (a.key !== b.key ? (a.key < b.key ? -1 : 1) : a.length - b.length));
  return keyed.map((k) => k.text);
}

/**
 * The ranges of the selected services, canonicalized (CIDR_INVALID / CIDR_TOO_BROAD refuse the
 * document whole), de-duplicated (CLOUDFRONT and CLOUDFRONT_ORIGIN_FACING overlap) and sorted.
 * Only selected entries are canonicalized, so the cost is a single pass over ~16k entries.
 */
export function selectRanges(doc: IpRangesDocument, opts: { services: readonly string[]; ipv6: boolean }): SelectedRanges {
  const counts = new Map(opts.services.map((service) => [service, { v4: 0, v6: 0 }]));
  const ipv4 = new Set<string>();
  const ipv6 = new Set<string>();
  for (const entry of doc.prefixes) {
    const count = counts.get(entry.service);
    if (!count) continue;
    count.v4++;
    ipv4.add(canonicalCidr(entry.ip_prefix, 'ipv4').text);
  }
  for (const entry of doc.ipv6_prefixes) {
    const count = counts.get(entry.service);
    if (!count) continue;
    count.v6++;
    if (opts.ipv6) ipv6.add(canonicalCidr(entry.ipv6_prefix, 'ipv6').text);
    else if (tryParseCidr(entry.ipv6_prefix)?.family === 'ipv4') canonicalCidr(entry.ipv6_prefix, 'ipv6'); // refused even when not opened: a misplaced range means a wrong document
  }
  return { syncToken: doc.syncToken, createDate: doc.createDate, ipv4: sortCidrs(ipv4, 'ipv4'), ipv6: sortCidrs(ipv6, 'ipv6'), counts: Object.fromEntries(counts) };
}

/** Desired rules: selected ranges x configured ports. A document yielding zero ranges is refused whole (EMPTY_RANGES). */
export function desiredStateFor(doc: IpRangesDocument, settings: SelectionSettings): DesiredState {
  const selected = selectRanges(doc, { services: settings.services, ipv6: settings.ipv6 });
  const cidrs = [...selected.ipv4, ...selected.ipv6];
  if (cidrs.length === 0) {
    const families = settings.ipv6 ? 'IPv4 or IPv6' : 'IPv4';
    throw guardError(
      'EMPTY_RANGES',
      `the ip-ranges document with syncToken ${doc.syncToken} has zero ${families} ranges for SERVICE=${settings.services.join(',')}; ` +
        'it is refused whole and nothing was changed (check SERVICE, or wait for the next document)',
      'external',
      { syncToken: doc.syncToken, services: [...settings.services], ipv6: settings.ipv6 },
    );
  }
  return { syncToken: selected.syncToken, createDate: selected.createDate, rules: rulesFor(cidrs, settings.ports), publishedRanges: publishedCloudFrontRanges(doc) };
}

/**
 * Every range any CloudFront service publishes, both families, selected or not: what tells a
 * CloudFront rule from a foreign one (see core/ownership). Entries that do not parse are skipped
 * here; the selected services' are refused whole by selectRanges.
 */
export function publishedCloudFrontRanges(doc: IpRangesDocument): string[] {
  const out = new Set<string>();
  const note = (prefix: string, service: string) => {
    const cidr = CLOUDFRONT_SERVICES.has(service) ? tryParseCidr(prefix) : undefined;
    if (cidr) out.add(cidr.text);
  };
  for (const e of doc.prefixes) note(e.ip_prefix, e.service);
  for (const e of doc.ipv6_prefixes) note(e.ipv6_prefix, e.service);
  return [...out];
}

/**
 * Every service of the document per canonical CIDR, selected or not: drift says which service still
 * publishes a range a managed group holds (`published as CLOUDFRONT, not selected`) instead of
 * calling it withdrawn. Unparseable entries of unselected services are skipped, not refused.
 */
export function publishedServices(doc: IpRangesDocument): Map<string, string[]> {
  const services = new Map<string, string[]>();
  const note = (prefix: string, service: string) => {
    const cidr = tryParseCidr(prefix);
    if (!cidr) return;
    const list = services.get(cidr.text);
    if (!list) services.set(cidr.text, [service]);
    else if (!list.includes(service)) list.push(service);
  };
  for (const entry of doc.prefixes) note(entry.ip_prefix, entry.service);
  for (const entry of doc.ipv6_prefixes) note(entry.ipv6_prefix, entry.service);
  for (const list of services.values()) list.sort();
  return services;
}
