import { Construct } from 'constructs';
import { CloudfrontDistribution, type CloudfrontDistributionOrigin, type CloudfrontDistributionOriginGroup } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { DEFAULT_CONNECTION_ATTEMPTS, DEFAULT_CONNECTION_TIMEOUT_SECONDS, DEFAULT_FAILOVER_STATUS_CODES } from '../lambda-src/config/origin-group-rules';
import type { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import { originShieldRegionFor } from './origin-shield';
import { defaultBehavior, livePlaylistBehavior, livePlaylistCachePolicy, segmentBehaviors, type AllowedMethods } from './edge-cache-behaviors';
import { corsResponseHeadersPolicyId } from './edge-cors';
import { validateEdgeDistributionProps } from './edge-distribution-validation';
import {
  CACHED_ERROR_CODES,
  DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS,
  DEFAULT_ORIGIN_KEEPALIVE_TIMEOUT_SECONDS,
  DEFAULT_ORIGIN_READ_TIMEOUT_SECONDS,
  defaultAllowedMethods,
  playlistTtls,
  type EdgeCors,
} from '../lambda-src/config/live-edge-rules';

export type OriginProtocolPolicy = 'http-only' | 'https-only';
export type OriginIpAddressType = 'ipv4' | 'dualstack' | 'ipv6';
export type PriceClass = 'PriceClass_All' | 'PriceClass_200' | 'PriceClass_100';

export interface EdgeDistributionLogging {
  /** The log bucket's domain name, e.g. `logs.s3.amazonaws.com`. */
  readonly bucket: string;
  /** Key prefix for the log files. @default - none */
  readonly prefix?: string;
  /** Log cookies too. @default false */
  readonly includeCookies?: boolean;
}

export interface EdgeDistributionProps {
  /** The origin's DNS name: the EIP's public DNS, or the user's own domain pointing at the instance. */
  readonly originDomainName: string;
  /** The instance's region; picks the Origin Shield region from AWS's table. @default - required unless `originShieldRegion` is set */
  readonly originRegion?: string;
  /**
   * Put Origin Shield in front of the origin. It bills per request that reaches it (README, Costs and
   * teardown); it pays when many edge caches fetch the same live segments from a small origin.
   * @default true
   */
  readonly originShield?: boolean;
  /** Origin Shield region, overriding AWS's table; only with `originShield` on. @default - the table's region for `originRegion` */
  readonly originShieldRegion?: string;
  /** How CloudFront talks to the origin. @default 'http-only' */
  readonly originProtocolPolicy?: OriginProtocolPolicy;
  /** The origin's HTTP port: 80, 443 or 1024-65535. @default 80 */
  readonly originHttpPort?: number;
  /** The origin's HTTPS port: 80, 443 or 1024-65535. @default 443 */
  readonly originHttpsPort?: number;
  /** Address family CloudFront uses to reach the origin; an EC2 public DNS has only an A record. @default 'ipv4' */
  readonly originIpAddressType?: OriginIpAddressType;
  /** Which edge locations serve viewers. @default 'PriceClass_All' */
  readonly priceClass?: PriceClass;
  /** HTTP methods viewers may send; must include OPTIONS when `cors` answers preflight. @default - 'GET_HEAD', or 'GET_HEAD_OPTIONS' when `cors` answers preflight */
  readonly allowedMethods?: AllowedMethods;
  /** Add the short-TTL `*.m3u8` behaviour for live HLS playlists. @default true */
  readonly livePlaylistBehavior?: boolean;
  /** The stream's segment duration (HLS target duration), 1-60; playlist TTLs follow it. @default 4 */
  readonly liveSegmentSeconds?: number;
  /** The origin serves Low-Latency HLS (parts, blocking playlist reloads). @default false */
  readonly llHls?: boolean;
  /** Live playlists' TTL when the origin sends no Cache-Control, 1 to `liveSegmentSeconds`. @default - 1 with `llHls`, else half of `liveSegmentSeconds` (at least 1) */
  readonly playlistTtlSeconds?: number;
  /** How long 404, 500, 502, 503 and 504 answers from the origin are cached, 0-300. @default 1 */
  readonly errorCachingMinTtlSeconds?: number;
  /** CORS at the edge on every behaviour: 'none', 'simple' (managed SimpleCORS), 'preflight' (managed CORS-With-Preflight) or our own policy for listed origins. @default 'simple' */
  readonly cors?: EdgeCors;
  /** How long CloudFront waits for the origin's first byte, 1 to `originReadTimeoutQuotaSeconds`; with `llHls`, more than 3 x `liveSegmentSeconds`. @default 30 */
  readonly originReadTimeoutSeconds?: number;
  /** How long CloudFront keeps an idle origin connection, 1 to `originKeepaliveTimeoutQuotaSeconds`; keep it under the origin server's own idle timeout. @default 5 */
  readonly originKeepaliveTimeoutSeconds?: number;
  /** The account's CloudFront quota 'Response timeout per origin', 60-180, when raised. @default 60 */
  readonly originReadTimeoutQuotaSeconds?: number;
  /** The account's CloudFront quota 'Keep-alive timeout per origin', 60-180, when raised. @default 60 */
  readonly originKeepaliveTimeoutQuotaSeconds?: number;
  /** Alternate domain names; needs `certificateArn`. @default - the cloudfront.net name only */
  readonly aliases?: readonly string[];
  /** ACM certificate (us-east-1) covering `aliases`; needs `aliases`. @default - CloudFront's default certificate */
  readonly certificateArn?: string;
  /** Standard (legacy) access logs to an S3 bucket. @default - no access logs */
  readonly logging?: EdgeDistributionLogging;
  /** The distribution's comment, up to 128 characters. @default 'cloudfront-origin-guard edge' */
  readonly comment?: string;
  /** Tags on the distribution. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Headers CloudFront adds to every origin request (the secret origin header, OriginSecret). @default - none */
  readonly originCustomHeaders?: readonly { readonly name: string; readonly value: string }[];
  /** A second origin: both go into an origin group (primary, secondary) that every behaviour targets. @default - one origin */
  readonly secondaryOrigin?: EdgeSecondaryOriginProps;
}

/** The secondary origin of the origin group; it shares the primary's protocol, ports, timeouts, header and Origin Shield. */
export interface EdgeSecondaryOriginProps {
  /** The secondary's DNS name (its Elastic IP's public DNS, or your own name for it). */
  readonly domainName: string;
  /** The secondary's region, for its Origin Shield region. @default - `originRegion` */
  readonly region?: string;
  /** Primary responses that make CloudFront ask the secondary: from 400, 403, 404, 416, 500, 502, 503, 504. @default [500, 502, 503, 504] */
  readonly failoverStatusCodes?: readonly number[];
  /** Connection attempts to each origin, 1-3; with the timeout, at most half a segment. @default 1 */
  readonly connectionAttempts?: number;
  /** Seconds to wait for each connection, 1-10. @default 1 */
  readonly connectionTimeoutSeconds?: number;
}

/** The custom origin's id inside the distribution; behaviours target it. */
export const ORIGIN_ID = 'media-origin';
/** The secondary origin's id, and the origin group's (what behaviours target when there is a secondary). */
export const SECONDARY_ORIGIN_ID = 'media-origin-secondary';
export const ORIGIN_GROUP_ID = 'media-origin-group';

/**
 * The tutorial's CloudFront distribution in front of the EC2 origin, plus what live HLS needs:
 * Origin Shield in the table's region, CachingOptimized for segments, a short-TTL behaviour for
 * playlists keyed on the LL-HLS parameters, errors cached for a second, CORS at the edge and
 * origin timeouts of our choosing. The Origin Shield region is resolved here (from `originRegion`, or the override), so
 * callers pass the instance's region and never consult the table themselves.
 */
export class EdgeDistribution extends Construct {
  /** The `aws_cloudfront_distribution` (construct id `distribution`). */
  public readonly distribution: CloudfrontDistribution;
  /** The `*.m3u8` cache policy; undefined when `livePlaylistBehavior` is off. */
  public readonly livePlaylistCachePolicy?: CloudfrontCachePolicy;
  /** The response headers policy on every behaviour; undefined with `cors: 'none'`. */
  public readonly responseHeadersPolicyId?: string;
  /** The distribution id (`E…`). */
  public readonly distributionId: string;
  /** The `….cloudfront.net` name viewers use (or alias in DNS). */
  public readonly distributionDomainName: string;
  /** The distribution's ARN, for policies (e.g. an S3 bucket policy for logs). */
  public readonly distributionArn: string;
  /** Route 53 zone id for alias records to the distribution. */
  public readonly distributionHostedZoneId: string;
  /** The Origin Shield region in use; undefined when `originShield` is off. */
  public readonly originShieldRegion?: string;
  /** True when CloudFront may reach the origin over IPv6, so the guard must open IPv6 ranges. */
  public readonly opensIpv6: boolean;
  /** The secondary origin's Origin Shield region; undefined without a secondary or with Origin Shield off. */
  public readonly secondaryOriginShieldRegion?: string;
  /** What the behaviours target: the origin, or the origin group when there is a secondary. */
  public readonly targetOriginId: string;

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    validateEdgeDistributionProps(props);
    // Validation guarantees one of the two; with only the override, the region is never consulted.
    const originShield = props.originShield ?? true;
    this.originShieldRegion = originShield ? originShieldRegionFor(props.originRegion ?? '', props.originShieldRegion) : undefined;
    const ipAddressType = props.originIpAddressType ?? 'ipv4';
    this.opensIpv6 = ipAddressType !== 'ipv4';
    this.responseHeadersPolicyId = corsResponseHeadersPolicyId(this, 'cors-response-headers-policy', props.cors);
    const secondary = props.secondaryOrigin;
    this.targetOriginId = secondary ? ORIGIN_GROUP_ID : ORIGIN_ID;
    this.secondaryOriginShieldRegion = secondary && originShield ? originShieldRegionFor(secondary.region ?? props.originRegion ?? '', props.originShieldRegion) : undefined;
    const behavior = { originId: this.targetOriginId, allowedMethods: props.allowedMethods ?? defaultAllowedMethods(props.cors), responseHeadersPolicyId: this.responseHeadersPolicyId };

    if (props.livePlaylistBehavior ?? true) {
      this.livePlaylistCachePolicy = livePlaylistCachePolicy(this, 'live-playlist-cache-policy', playlistTtls(props));
    }
    const errorCachingMinTtl = props.errorCachingMinTtlSeconds ?? DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS;
    const { certificateArn, logging } = props;

    // Construct id `distribution` is the import path `<stack>/origin/distribution/distribution`.
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment: props.comment ?? 'cloudfront-origin-guard edge',
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      priceClass: props.priceClass ?? 'PriceClass_All',
      aliases: props.aliases && props.aliases.length > 0 ? [...props.aliases] : undefined,
      origin: [
        this.originBlock(props, ORIGIN_ID, props.originDomainName, this.originShieldRegion, ipAddressType),
        ...(secondary ? [this.originBlock(props, SECONDARY_ORIGIN_ID, secondary.domainName, this.secondaryOriginShieldRegion, ipAddressType)] : []),
      ],
      originGroup: secondary ? [originGroup(secondary)] : undefined,
      defaultCacheBehavior: defaultBehavior(behavior),
      // First match wins: playlists, then segments; the default behaviour takes everything else.
      orderedCacheBehavior: [...(this.livePlaylistCachePolicy ? [livePlaylistBehavior(behavior, this.livePlaylistCachePolicy.id)] : []), ...segmentBehaviors(behavior)],
      customErrorResponse: CACHED_ERROR_CODES.map((errorCode) => ({ errorCode, errorCachingMinTtl })),
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: certificateArn ? { acmCertificateArn: certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' } : { cloudfrontDefaultCertificate: true },
      loggingConfig: logging ? { bucket: logging.bucket, prefix: logging.prefix, includeCookies: logging.includeCookies ?? false } : undefined,
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.distributionId = this.distribution.id;
    this.distributionDomainName = this.distribution.domainName;
    this.distributionArn = this.distribution.arn;
    this.distributionHostedZoneId = this.distribution.hostedZoneId;
  }

  /**
   * One custom origin. Custom headers and Origin Shield are per origin, so the secondary carries the
   * same secret header and its own shield; connection attempts and timeout are set only with a secondary,
   * so a single-origin distribution renders exactly as before.
   */
  private originBlock(props: EdgeDistributionProps, originId: string, domainName: string, shieldRegion: string | undefined, ipAddressType: OriginIpAddressType): CloudfrontDistributionOrigin {
    const secondary = props.secondaryOrigin;
    return {
      originId,
      domainName,
      ...(secondary
        ? {
            connectionAttempts: secondary.connectionAttempts ?? DEFAULT_CONNECTION_ATTEMPTS,
            connectionTimeout: secondary.connectionTimeoutSeconds ?? DEFAULT_CONNECTION_TIMEOUT_SECONDS,
          }
        : {}),
      customOriginConfig: {
        originProtocolPolicy: props.originProtocolPolicy ?? 'http-only',
        httpPort: props.originHttpPort ?? 80,
        httpsPort: props.originHttpsPort ?? 443,
        originSslProtocols: ['TLSv1.2'],
        ipAddressType,
        originReadTimeout: props.originReadTimeoutSeconds ?? DEFAULT_ORIGIN_READ_TIMEOUT_SECONDS,
        originKeepaliveTimeout: props.originKeepaliveTimeoutSeconds ?? DEFAULT_ORIGIN_KEEPALIVE_TIMEOUT_SECONDS,
      },
      // Off, the block says so rather than vanishing: a distribution that had it plans an in-place update.
      originShield: shieldRegion !== undefined ? { enabled: true, originShieldRegion: shieldRegion } : { enabled: false },
      customHeader: props.originCustomHeaders?.map((h) => ({ name: h.name, value: h.value })),
    };
  }
}

/** The group: the primary first, then the secondary, failing over on the configured codes. */
function originGroup(secondary: EdgeSecondaryOriginProps): CloudfrontDistributionOriginGroup {
  return {
    originId: ORIGIN_GROUP_ID,
    failoverCriteria: { statusCodes: [...(secondary.failoverStatusCodes ?? DEFAULT_FAILOVER_STATUS_CODES)] },
    member: [{ originId: ORIGIN_ID }, { originId: SECONDARY_ORIGIN_ID }],
  };
}
