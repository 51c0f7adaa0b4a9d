import { Construct } from 'constructs';
import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import type {
  CloudfrontDistributionDefaultCacheBehavior,
  CloudfrontDistributionOrderedCacheBehavior,
} from '@cdktf/provider-aws/lib/cloudfront-distribution';

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
 * Upper bound on a live playlist's TTL when the origin sends a longer max-age. A live playlist
 * changes every target duration (2-6 s in practice); a copy older than that makes players stall,
 * so an origin that says `max-age=86400` by mistake must not be obeyed.
 */
export const LIVE_PLAYLIST_MAX_TTL_SECONDS = 5;

export type AllowedMethods = 'GET_HEAD' | 'GET_HEAD_OPTIONS' | 'ALL';
export const ALLOWED_METHODS: readonly AllowedMethods[] = ['GET_HEAD', 'GET_HEAD_OPTIONS', 'ALL'];

const METHODS: Readonly<Record<AllowedMethods, string[]>> = {
  GET_HEAD: ['GET', 'HEAD'],
  GET_HEAD_OPTIONS: ['GET', 'HEAD', 'OPTIONS'],
  ALL: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
};

/** CloudFront only ever caches GET and HEAD here: caching OPTIONS would pin one CORS answer for all origins. */
const CACHED_METHODS = ['GET', 'HEAD'];

export function methodsFor(allowed: AllowedMethods): { allowedMethods: string[]; cachedMethods: string[] } {
  return { allowedMethods: [...METHODS[allowed]], cachedMethods: [...CACHED_METHODS] };
}

/** A cache policy name unique per construct path, within CloudFront's 128-character limit. */
function cachePolicyName(scope: Construct): string {
  const name = `${scope.node.path.replace(/[^A-Za-z0-9_-]/g, '-')}-live-playlist`;
  return name.length <= 128 ? name : `${name.slice(0, 111)}-${scope.node.addr.slice(0, 16)}`;
}

/**
 * The short-TTL policy for live playlists: `playlistTtlSeconds` when the origin sends no
 * Cache-Control, min 0 so an origin's `no-cache` wins, max capped (see LIVE_PLAYLIST_MAX_TTL_SECONDS).
 * Nothing viewer-specific in the key, so all viewers share one copy and Origin Shield collapses
 * their requests into one per TTL; gzip/brotli on because playlists are text.
 */
export function livePlaylistCachePolicy(scope: Construct, id: string, playlistTtlSeconds: number): CloudfrontCachePolicy {
  return new CloudfrontCachePolicy(scope, id, {
    name: cachePolicyName(scope),
    comment: `Live HLS playlists (${LIVE_PLAYLIST_PATH_PATTERN}): ${playlistTtlSeconds} s TTL`,
    minTtl: 0,
    defaultTtl: playlistTtlSeconds,
    maxTtl: Math.max(playlistTtlSeconds, LIVE_PLAYLIST_MAX_TTL_SECONDS),
    parametersInCacheKeyAndForwardedToOrigin: {
      cookiesConfig: { cookieBehavior: 'none' },
      headersConfig: { headerBehavior: 'none' },
      queryStringsConfig: { queryStringBehavior: 'none' },
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    },
  });
}

interface BehaviorInput {
  readonly originId: string;
  readonly allowedMethods: AllowedMethods;
}

/** Everything but playlists: CachingOptimized + AllViewer, HTTPS for viewers, compression on. */
export function defaultBehavior(input: BehaviorInput): CloudfrontDistributionDefaultCacheBehavior {
  return {
    targetOriginId: input.originId,
    viewerProtocolPolicy: 'redirect-to-https',
    ...methodsFor(input.allowedMethods),
    cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
    originRequestPolicyId: ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID,
    compress: true,
  };
}

/** The `*.m3u8` behaviour: the default one with the short-TTL policy instead of CachingOptimized. */
export function livePlaylistBehavior(input: BehaviorInput, cachePolicyId: string): CloudfrontDistributionOrderedCacheBehavior {
  return { ...defaultBehavior(input), pathPattern: LIVE_PLAYLIST_PATH_PATTERN, cachePolicyId };
}
