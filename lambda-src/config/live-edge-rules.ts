/*
 * The live-streaming rules of the distribution (playlist TTLs, error caching, CORS, origin timeouts),
 * shared by the config file (CONFIG_INVALID naming `distribution.<key>`) and EdgeDistribution (naming
 * `<key>`), so the two cannot disagree. No cdktf import: app-config.ts, which the CLI loads, uses it.
 *
 * Where the numbers come from:
 * - AWS's MediaPackage and MediaTailor CDN guides: multivariant and plain-HLS media playlists live for
 *   half a segment duration, LL-HLS media playlists for 1 s; segments for long (they never change);
 *   `_HLS_msn` and `_HLS_part` belong in the playlist cache key; errors cached for about 1 s.
 * - Apple's HLS spec (RFC 8216bis): `_HLS_skip` asks for a delta playlist, so it keys too; the server
 *   may hold a blocking playlist reload for up to three target durations before answering.
 * - CloudFront's quotas: "Response timeout per origin" and "Keep-alive timeout per origin" are
 *   1-60 s by default, adjustable to at most 180 s.
 */
import type { RuleProblem } from './config-errors';

/** The LL-HLS query parameters a playlist answer depends on; the playlist cache key holds exactly these. */
export const HLS_CACHE_KEY_QUERY_STRINGS = ['_HLS_msn', '_HLS_part', '_HLS_skip'] as const;

/** A common live target duration; half of it is the 2 s playlist TTL this project always had. */
export const DEFAULT_LIVE_SEGMENT_SECONDS = 4;
/** HLS target durations are whole seconds; past a minute nobody calls the stream live. */
export const MAX_LIVE_SEGMENT_SECONDS = 60;
/** AWS's TTL for LL-HLS media playlists: they change every part (well under a second). */
export const LL_HLS_PLAYLIST_TTL_SECONDS = 1;

/** The origin errors cached for `errorCachingMinTtlSeconds` instead of CloudFront's 10 s. */
export const CACHED_ERROR_CODES = [404, 500, 502, 503, 504] as const;
/** AWS's figure for live origins: an error after an encoder restart is gone in about a second. */
export const DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS = 1;
/** Past five minutes an error outlives any live cause; 0 caches nothing. */
export const MAX_ERROR_CACHING_MIN_TTL_SECONDS = 300;

/** CloudFront's default response timeout: covers LL-HLS blocking reloads held 3 x 9 s and more. */
export const DEFAULT_ORIGIN_READ_TIMEOUT_SECONDS = 30;
/**
 * CloudFront's default keep-alive: the shield requests every playlist each second or two while a
 * stream plays, so connections stay warm; longer than the origin's own idle timeout (Apache httpd
 * and Node.js: 5 s) would make CloudFront reuse connections the origin already closed (502s).
 */
export const DEFAULT_ORIGIN_KEEPALIVE_TIMEOUT_SECONDS = 5;
/** Both timeout quotas' default value. */
export const DEFAULT_ORIGIN_TIMEOUT_QUOTA_SECONDS = 60;
/** The highest value AWS raises either timeout quota to. */
export const MAX_ORIGIN_TIMEOUT_QUOTA_SECONDS = 180;

export type ManagedCors = 'none' | 'simple' | 'preflight';
export const MANAGED_CORS: readonly ManagedCors[] = ['none', 'simple', 'preflight'];

/** CORS answered at the edge for a list of web-player origins (our own response headers policy). */
export interface EdgeCorsOrigins {
  /** Origins allowed to play, like `https://player.example.com` or `https://*.example.com`. */
  readonly allowedOrigins: readonly string[];
  /** Also answer preflight (`OPTIONS`) requests, for players that send custom headers. @default false */
  readonly preflight?: boolean;
}

/** `none`, AWS's managed SimpleCORS (`simple`) or CORS-With-Preflight (`preflight`), or our own policy. */
export type EdgeCors = ManagedCors | EdgeCorsOrigins;
export const DEFAULT_CORS: ManagedCors = 'simple';

/** A web origin as browsers send it: scheme, host (optionally `*.` first), optional port; no path. */
export const CORS_ORIGIN_PATTERN = /^https?:\/\/(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(:\d{1,5})?$/i;
export const CORS_ORIGIN_RULE = "a web origin like 'https://player.example.com' or 'https://*.example.com' (scheme and host, no path)";

/** The distribution settings these rules read; every field may be absent (its default applies). */
export interface LiveEdgeInput {
  readonly liveSegmentSeconds?: number;
  readonly llHls?: boolean;
  readonly playlistTtlSeconds?: number;
  readonly errorCachingMinTtlSeconds?: number;
  readonly cors?: EdgeCors;
  readonly allowedMethods?: string;
  readonly originReadTimeoutSeconds?: number;
  readonly originKeepaliveTimeoutSeconds?: number;
  readonly originReadTimeoutQuotaSeconds?: number;
  readonly originKeepaliveTimeoutQuotaSeconds?: number;
}

/** True when CloudFront must let `OPTIONS` through: the CORS choice answers preflight requests. */
export function corsAnswersPreflight(cors: EdgeCors = DEFAULT_CORS): boolean {
  return cors === 'preflight' || (typeof cors === 'object' && cors.preflight === true);
}

/** The methods behaviours allow when none are set: preflight needs OPTIONS. */
export function defaultAllowedMethods(cors: EdgeCors = DEFAULT_CORS): 'GET_HEAD' | 'GET_HEAD_OPTIONS' {
  return corsAnswersPreflight(cors) ? 'GET_HEAD_OPTIONS' : 'GET_HEAD';
}

/**
 * The `*.m3u8` policy's TTLs. Default (origin sends no Cache-Control): `playlistTtlSeconds` if set,
 * else 1 s for LL-HLS, else half a segment (at least 1 s). Max: the larger of that and half a segment,
 * so an origin's mistaken `max-age=86400` can never freeze a live playlist, while a multivariant
 * playlist may still be kept the half segment AWS allows it.
 */
export function playlistTtls(input: Pick<LiveEdgeInput, 'liveSegmentSeconds' | 'llHls' | 'playlistTtlSeconds'>): { defaultTtl: number; maxTtl: number } {
  const halfSegment = Math.max(1, Math.floor((input.liveSegmentSeconds ?? DEFAULT_LIVE_SEGMENT_SECONDS) / 2));
  const defaultTtl = input.playlistTtlSeconds ?? (input.llHls ? LL_HLS_PLAYLIST_TTL_SECONDS : halfSegment);
  return { defaultTtl, maxTtl: Math.max(defaultTtl, halfSegment) };
}

type Known = (value: unknown) => boolean;
const isInt = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;

function rangeProblem(key: string, value: number | undefined, min: number, max: number, why: string, known: Known): RuleProblem | undefined {
  if (value === undefined || !known(value) || isInt(value, min, max)) return undefined;
  return { key, rule: `an integer from ${min} to ${max} seconds (${why})`, value };
}

function corsProblem(cors: EdgeCors | undefined, known: Known): RuleProblem | undefined {
  if (cors === undefined || !known(cors)) return undefined;
  if (typeof cors === 'string') {
    return MANAGED_CORS.includes(cors) ? undefined : { key: 'cors', rule: "one of 'none', 'simple', 'preflight', or { allowedOrigins: [...] }", value: cors };
  }
  const origins = cors.allowedOrigins;
  if (!known(origins)) return undefined;
  if (!Array.isArray(origins) || origins.length === 0) {
    return { key: 'cors.allowedOrigins', rule: "at least one web origin (for any origin use cors 'simple' or 'preflight')", value: origins };
  }
  const seen = new Set<string>();
  for (const [i, origin] of origins.entries()) {
    if (!known(origin)) continue;
    if (!CORS_ORIGIN_PATTERN.test(origin)) return { key: `cors.allowedOrigins[${i}]`, rule: CORS_ORIGIN_RULE, value: origin };
    if (seen.has(origin.toLowerCase())) return { key: `cors.allowedOrigins[${i}]`, rule: 'listed once', value: origin };
    seen.add(origin.toLowerCase());
  }
  return undefined;
}

function timeoutProblems(d: LiveEdgeInput, known: Known): RuleProblem | undefined {
  const max = MAX_ORIGIN_TIMEOUT_QUOTA_SECONDS;
  const quotaWhy = `the account's raised quota; CloudFront's default is ${DEFAULT_ORIGIN_TIMEOUT_QUOTA_SECONDS} s and AWS raises it to at most ${max} s`;
  const readQuota = d.originReadTimeoutQuotaSeconds ?? DEFAULT_ORIGIN_TIMEOUT_QUOTA_SECONDS;
  const keepaliveQuota = d.originKeepaliveTimeoutQuotaSeconds ?? DEFAULT_ORIGIN_TIMEOUT_QUOTA_SECONDS;
  const raise = (quota: string, key: string) => `CloudFront quota '${quota}'; raise it in Service Quotas (up to ${max} s), then set '${key}'`;
  return (
    rangeProblem('originReadTimeoutQuotaSeconds', d.originReadTimeoutQuotaSeconds, DEFAULT_ORIGIN_TIMEOUT_QUOTA_SECONDS, max, quotaWhy, known) ??
    rangeProblem('originKeepaliveTimeoutQuotaSeconds', d.originKeepaliveTimeoutQuotaSeconds, DEFAULT_ORIGIN_TIMEOUT_QUOTA_SECONDS, max, quotaWhy, known) ??
    (known(readQuota) ? rangeProblem('originReadTimeoutSeconds', d.originReadTimeoutSeconds, 1, readQuota, raise('Response timeout per origin', 'originReadTimeoutQuotaSeconds'), known) : undefined) ??
    (known(keepaliveQuota)
      ? rangeProblem('originKeepaliveTimeoutSeconds', d.originKeepaliveTimeoutSeconds, 1, keepaliveQuota, raise('Keep-alive timeout per origin', 'originKeepaliveTimeoutQuotaSeconds'), known)
      : undefined)
  );
}

/** LL-HLS: CloudFront must outwait the origin holding a blocking playlist reload (3 target durations). */
function blockingReloadProblem(d: LiveEdgeInput, known: Known): RuleProblem | undefined {
  const segment = d.liveSegmentSeconds ?? DEFAULT_LIVE_SEGMENT_SECONDS;
  const read = d.originReadTimeoutSeconds ?? DEFAULT_ORIGIN_READ_TIMEOUT_SECONDS;
  if (d.llHls !== true || !known(segment) || !known(read) || read > 3 * segment) return undefined;
  return {
    key: 'originReadTimeoutSeconds',
    rule: `more than 3 x 'liveSegmentSeconds' (${3 * segment} s) with 'llHls': an LL-HLS origin may hold a blocking playlist reload that long, and CloudFront would answer 504 first`,
    value: read,
  };
}

function methodsProblem(d: LiveEdgeInput, known: Known): RuleProblem | undefined {
  if (d.allowedMethods !== 'GET_HEAD' || !known(d.cors) || !corsAnswersPreflight(d.cors)) return undefined;
  return { key: 'allowedMethods', rule: "'GET_HEAD_OPTIONS' or 'ALL' (or unset) when 'cors' answers preflight requests: CloudFront refuses OPTIONS otherwise", value: d.allowedMethods };
}

/** The first rule the settings break, or undefined; values `known` rejects (unresolved tokens) are skipped. */
export function liveEdgeProblem(d: LiveEdgeInput, known: Known = () => true): RuleProblem | undefined {
  const segment = d.liveSegmentSeconds;
  // A playlist lives at most a segment; a segment known only at apply time sets no ceiling here.
  const ttlCeiling = segment === undefined || known(segment) ? (segment ?? DEFAULT_LIVE_SEGMENT_SECONDS) : Infinity;
  return (
    rangeProblem('liveSegmentSeconds', segment, 1, MAX_LIVE_SEGMENT_SECONDS, "the stream's HLS target duration", known) ??
    rangeProblem('playlistTtlSeconds', d.playlistTtlSeconds, 1, 60, 'a live playlist older than its target duration stalls players', known) ??
    rangeProblem('playlistTtlSeconds', d.playlistTtlSeconds, 1, ttlCeiling, "at most 'liveSegmentSeconds': a playlist cached for longer than a segment makes players miss segments", known) ??
    rangeProblem('errorCachingMinTtlSeconds', d.errorCachingMinTtlSeconds, 0, MAX_ERROR_CACHING_MIN_TTL_SECONDS, 'an error cached longer outlives its live cause; 0 caches none', known) ??
    corsProblem(d.cors, known) ??
    methodsProblem(d, known) ??
    timeoutProblems(d, known) ??
    blockingReloadProblem(d, known)
  );
}
