/**
 * The one classification of a security-group rule, used only by the assessment (core/assessment):
 * every rule of every group the guard reads gets one verdict from one vocabulary, and the planner,
 * drift, status and the Lambda's run line all read that verdict instead of classifying again.
 */
import { cidrWithin, tryParseCidr, type Cidr } from './cidr';
import type { PortSpec, Rule } from './model';
import { isGuardRuleDescription } from './ownership';
import { isGroupSource, isPrefixListSource, isWorldSource, onPort, ruleKey } from './rules';

/**
 * - `current`: a desired rule, in the group that keeps it;
 * - `duplicate`: a desired rule a group earlier in the order already holds;
 * - `withdrawn`: a CIDR on an origin port the guard wrote (its description) that no service publishes now;
 * - `unselected`: published, but only by services not selected;
 * - `wrong-family`: an IPv6 range a selected service publishes, while IPv6 is off;
 * - `cloudfront`: a CloudFront source (a published range, a subset of one, CloudFront's prefix list) in a group not the guard's;
 * - `cloudfront-subset`: a CIDR inside a published range, in a managed group, that no document granted as such;
 * - `foreign-cidr`: any other CIDR (a forged guard description on a range CloudFront never publishes included);
 * - `world-open`: `0.0.0.0/0` or `::/0`;
 * - `group-reference`: a security-group source;
 * - `prefix-list`: a prefix list other than CloudFront's;
 * - `other-port`: a non-world source on a port or protocol that is not exactly an origin port;
 * - `expected-ingest`: a configured ingest rule (1935/udp from anywhere, say), in a group not the guard's;
 * - `egress`: an outbound rule in a managed group (managed groups grant ingress only).
 */
export type Verdict =
  | 'current'
  | 'duplicate'
  | 'withdrawn'
  | 'unselected'
  | 'wrong-family'
  | 'cloudfront'
  | 'cloudfront-subset'
  | 'foreign-cidr'
  | 'world-open'
  | 'group-reference'
  | 'prefix-list'
  | 'other-port'
  | 'expected-ingest'
  | 'egress';

/** Rules a document granted: what the blast-radius guard may hold. Anything else in a managed group is foreign: revoked, never held. */
const GRANTED: ReadonlySet<Verdict> = new Set(['current', 'duplicate', 'withdrawn', 'unselected', 'wrong-family']);

/** Verdicts that are never an exposure: granted rules, CloudFront sources, the configured ingest rules, egress. */
const NEVER_EXPOSED: ReadonlySet<Verdict> = new Set([...GRANTED, 'cloudfront', 'cloudfront-subset', 'expected-ingest', 'egress']);

/** What the verdicts are judged against: the document, the origin ports, the configured ingest rules. */
export interface VerdictContext {
  /** Canonical CIDRs of every CloudFront service in the current document, both families. */
  readonly publishedRanges: ReadonlySet<string>;
  /** Who publishes each range and which services are selected; without it a published range not desired reads `withdrawn`. */
  readonly published?: { readonly services: ReadonlyMap<string, readonly string[]>; readonly selected: readonly string[] };
  readonly ports: readonly PortSpec[];
  /** The configured ingest rules: in a group not the guard's, never a finding. @default - none */
  readonly expectedIngest?: readonly Rule[];
  /** The ids (pl-…) of CloudFront's origin-facing managed prefix lists in the region. @default - none */
  readonly cloudFrontPrefixLists?: readonly string[];
}

/**
 * CloudFront's broadest published ranges are /14 (IPv4) and /36 (IPv6); a range broader than these
 * bounds is never one the guard wrote from a document, whatever its description says (a forged
 * guard description on 10.0.0.0/8 is foreign, not withdrawn).
 */
const BROADEST_WITHDRAWN_PREFIX = { ipv4: 12, ipv6: 32 } as const;

/** True when the rule reaches an origin port: all traffic, or a port range overlapping one. */
function reachesOriginPort(rule: Rule, ports: readonly PortSpec[]): boolean {
  if (rule.protocol === '-1') return true;
  return ports.some((p) => rule.protocol === p.protocol && rule.fromPort <= p.toPort && p.fromPort <= rule.toPort);
}

/** True when `inner` lies inside some published range (both canonical, same family). */
function insidePublished(inner: Cidr, published: ReadonlySet<string>): boolean {
  return [...published].some((text) => cidrWithin(inner, tryParseCidr(text)));
}

/** The verdict of a source that is not a desired rule: CloudFront's, or which kind of stranger. */
function sourceVerdict(rule: Rule, ctx: VerdictContext): 'cloudfront' | ExposureKind {
  if (isGroupSource(rule.source)) return 'group-reference';
  if (isPrefixListSource(rule.source)) return (ctx.cloudFrontPrefixLists ?? []).includes(rule.source) ? 'cloudfront' : 'prefix-list';
  const cidr = tryParseCidr(rule.source);
  if (!cidr) return 'foreign-cidr';
  if (isWorldSource(cidr.text)) return 'world-open';
  if (ctx.publishedRanges.has(cidr.text) || insidePublished(cidr, ctx.publishedRanges)) return 'cloudfront';
  return 'foreign-cidr';
}

/** A rule in a group that is not the guard's: CloudFront's, an expected ingest rule, or a stranger (exposure when on an origin port). */
export function foreignGroupVerdict(rule: Rule, ctx: VerdictContext): Verdict {
  if ((ctx.expectedIngest ?? []).some((e) => ruleKey(e) === ruleKey(rule))) return 'expected-ingest';
  return sourceVerdict(rule, ctx);
}

/** An ingress rule in one of the guard's groups that is not `current` (the assessment decides `current` and `duplicate`). */
export function managedRuleVerdict(rule: Rule, ctx: VerdictContext): Verdict {
  const source = sourceVerdict(rule, ctx);
  if (source === 'group-reference' || source === 'world-open' || source === 'prefix-list') return source;
  if (!onPort(rule, ctx.ports)) return 'other-port';
  const by = ctx.published?.services.get(rule.source) ?? [];
  if (by.length > 0) return by.some((s) => ctx.published!.selected.includes(s)) ? 'wrong-family' : 'unselected';
  // Published, by services unknown here: the document's, so the blast-radius guard's like a withdrawn one.
  if (ctx.publishedRanges.has(rule.source)) return 'withdrawn';
  const cidr = tryParseCidr(rule.source);
  const plausible = cidr !== undefined && cidr.prefixLength >= BROADEST_WITHDRAWN_PREFIX[cidr.family];
  if (plausible && isGuardRuleDescription(rule.description)) return 'withdrawn';
  // Origin-facing ranges lie inside CLOUDFRONT's broader ones: a subset the guard did not write is not a grant, but not a stranger either.
  return source === 'cloudfront' ? 'cloudfront-subset' : 'foreign-cidr';
}

/** Whether a document granted the rule (the blast-radius guard's to hold), as opposed to a foreign one (revoked, never held). */
export function isGrantedVerdict(verdict: Verdict): boolean {
  return GRANTED.has(verdict);
}

/** How a source reaches the origin: `exposed` on an origin port; `world-elsewhere` the world on another port (a warning); else nothing. */
export type ExposureKind = 'world-open' | 'foreign-cidr' | 'group-reference' | 'prefix-list';

/**
 * The exposure a judged rule makes: any non-CloudFront source on an origin port, and, as a warning,
 * the world on a port that is neither an origin port nor an expected ingest port (22, say).
 */
export function exposureOf(rule: Rule, verdict: Verdict, ctx: VerdictContext): { readonly kind: ExposureKind; readonly exposed: boolean } | undefined {
  if (NEVER_EXPOSED.has(verdict)) return undefined;
  const kind = sourceVerdict(rule, ctx);
  if (kind === 'cloudfront') return undefined;
  if (reachesOriginPort(rule, ctx.ports)) return { kind, exposed: true };
  return kind === 'world-open' && !onPort(rule, ctx.expectedIngest ?? []) ? { kind, exposed: false } : undefined;
}

/** The services publishing a range, for `unselected` and `wrong-family`. */
export function publishedBy(rule: Rule, verdict: Verdict, ctx: VerdictContext): readonly string[] | undefined {
  return verdict === 'unselected' || verdict === 'wrong-family' ? ctx.published?.services.get(rule.source) : undefined;
}
