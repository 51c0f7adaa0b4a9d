import { Construct } from 'constructs';
import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import type { CloudfrontDistributionDefaultCacheBehavior, CloudfrontDistributionOrderedCacheBehavior } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { HLS_CACHE_KEY_QUERY_STRINGS } from '../lambda-src/config/live-edge-rules';

/**
 * AWS managed cache policy "Managed-CachingOptimized": query strings, headers and cookies out of the
 * cache key, gzip/brotli on, TTL min 1 s / default 1 day / max 1 year. Right for immutable media
 * segments; the id is the same in every account.
 */
export const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';

/**
 * AWS managed origin request policy "Managed-AllViewer": forwards every viewer header (Host too),
 * cookie and query string to the origin, as the tutorial selects. Same id in every account.
 */
export const ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID = '216adef6-5c7f-47e4-b989-5492eafa07d3';

/** The path the live-playlist behaviour matches: HLS media and multivariant playlists. */
export const LIVE_PLAYLIST_PATH_PATTERN = '*.m3u8';

/**
 * Media segments, each its own behaviour so they keep CachingOptimized (query strings out of the key,
 * long TTLs: a segment never changes) whatever becomes of the default behaviour. MPEG-TS, fMP4/CMAF
 * media and parts, packed audio; init segments (EXT-X-MAP) are `.mp4` or `.m4s` in common servers.
 */
export const SEGMENT_PATH_PATTERNS = ['*.ts', '*.m4s', '*.aac', '*.mp4'] as const;

export type AllowedMethods = 'GET_HEAD' | 'GET_HEAD_OPTIONS' | 'ALL';
export const ALLOWED_METHODS: readonly AllowedMethods[] = ['GET_HEAD', 'GET_HEAD_OPTIONS', 'ALL'];

const METHODS: Readonly<Record<AllowedMethods, string[]>> = {
  GET_HEAD: ['GET', 'HEAD'],
  GET_HEAD_OPTIONS: ['GET', 'HEAD', 'OPTIONS'],
  ALL: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
};

/** CloudFront only ever caches GET and HEAD here: caching OPTIONS would pin one CORS answer for all origins. */
const CACHED_METHODS = ['GET', 'HEAD'];

/** A cache or response headers policy name unique per construct path, within CloudFront's 128-character limit. */
export function policyName(scope: Construct, suffix: string): string {
  const name = `${scope.node.path.replace(/[^A-Za-z0-9_-]/g, '-')}-${suffix}`;
  return name.length <= 128 ? name : `${name.slice(0, 111)}-${scope.node.addr.slice(0, 16)}`;
}

/**
 * The live-playlist policy: TTLs from `playlistTtls` (min 0, so an origin's `no-cache` wins), and in
 * the key exactly the LL-HLS parameters, so each blocking reload (`_HLS_msn`/`_HLS_part`) and delta
 * request (`_HLS_skip`) is its own object, while plain reloads from every viewer still share one copy
 * that Origin Shield collapses into one origin request per TTL. No header or cookie in the key; gzip
 * and brotli on because playlists are text.
 */
export function livePlaylistCachePolicy(scope: Construct, id: string, ttls: { defaultTtl: number; maxTtl: number }): CloudfrontCachePolicy {
  return new CloudfrontCachePolicy(scope, id, {
    name: policyName(scope, 'live-playlist'),
    comment: `Live HLS playlists (${LIVE_PLAYLIST_PATH_PATTERN}): ${ttls.defaultTtl} s TTL, keyed on ${HLS_CACHE_KEY_QUERY_STRINGS.join(', ')}`,
    minTtl: 0,
    defaultTtl: ttls.defaultTtl,
    maxTtl: ttls.maxTtl,
    parametersInCacheKeyAndForwardedToOrigin: {
      cookiesConfig: { cookieBehavior: 'none' },
      headersConfig: { headerBehavior: 'none' },
      queryStringsConfig: { queryStringBehavior: 'whitelist', queryStrings: { items: [...HLS_CACHE_KEY_QUERY_STRINGS] } },
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    },
  });
}

interface BehaviorInput {
  readonly originId: string;
  readonly allowedMethods: AllowedMethods;
  /** The CORS response headers policy; undefined for none. */
  readonly responseHeadersPolicyId?: string;
}

/** Everything else: CachingOptimized + AllViewer, HTTPS for viewers, compression on, CORS at the edge. */
export function defaultBehavior(input: BehaviorInput): CloudfrontDistributionDefaultCacheBehavior {
  return {
    targetOriginId: input.originId,
    viewerProtocolPolicy: 'redirect-to-https',
    allowedMethods: [...METHODS[input.allowedMethods]],
    cachedMethods: [...CACHED_METHODS],
    cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
    originRequestPolicyId: ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID,
    responseHeadersPolicyId: input.responseHeadersPolicyId,
    compress: true,
  };
}

/** The `*.m3u8` behaviour: the default one with the live-playlist policy instead of CachingOptimized. */
export function livePlaylistBehavior(input: BehaviorInput, cachePolicyId: string): CloudfrontDistributionOrderedCacheBehavior {
  return { ...defaultBehavior(input), pathPattern: LIVE_PLAYLIST_PATH_PATTERN, cachePolicyId };
}

/** One behaviour per segment pattern, with CachingOptimized as the MediaTailor CDN guide asks. */
export function segmentBehaviors(input: BehaviorInput): CloudfrontDistributionOrderedCacheBehavior[] {
  return SEGMENT_PATH_PATTERNS.map((pathPattern) => ({ ...defaultBehavior(input), pathPattern }));
}
