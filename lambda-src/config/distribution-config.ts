import { z } from 'zod';
import { regionField } from './config-fields';
import { configError, problemError } from './config-errors';
import {
  CORS_ORIGIN_PATTERN,
  CORS_ORIGIN_RULE,
  DEFAULT_CORS,
  DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS,
  DEFAULT_LIVE_SEGMENT_SECONDS,
  DEFAULT_ORIGIN_KEEPALIVE_TIMEOUT_SECONDS,
  DEFAULT_ORIGIN_READ_TIMEOUT_SECONDS,
  DEFAULT_ORIGIN_TIMEOUT_QUOTA_SECONDS,
  liveEdgeProblem,
  MAX_ERROR_CACHING_MIN_TTL_SECONDS,
  MAX_LIVE_SEGMENT_SECONDS,
  MAX_ORIGIN_TIMEOUT_QUOTA_SECONDS,
} from './live-edge-rules';

/*
 * The `distribution` block of cfguard.config.json: EdgeDistribution's props as the file spells them,
 * with the defaults the construct applies. No cdktf import: app-config.ts, which the CLI loads, uses it.
 */

const int = (min: number, max: number) => z.number().int().min(min).max(max);
/** An origin's DNS name; `example` fits the origin the key is for. */
export const dnsNameField = (example: string) => z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/, `must be a DNS name like '${example}'`);
const ALIAS_NAME = /^(?=.{1,253}$)(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** The ports CloudFront accepts for a custom origin. */
const originPort = z
  .number()
  .int()
  .refine((p) => p === 80 || p === 443 || (p >= 1024 && p <= 65535), 'must be 80, 443 or 1024-65535 (the ports CloudFront accepts for a custom origin)');

/** CORS at the edge: a managed policy by name, or our own for a list of web-player origins. */
const corsSchema = z.union([
  z.enum(['none', 'simple', 'preflight']),
  z
    .object({
      allowedOrigins: z.array(z.string().regex(CORS_ORIGIN_PATTERN, `must be ${CORS_ORIGIN_RULE}`)).min(1),
      preflight: z.boolean().default(false),
    })
    .strict(),
]);
const timeoutQuota = int(DEFAULT_ORIGIN_TIMEOUT_QUOTA_SECONDS, MAX_ORIGIN_TIMEOUT_QUOTA_SECONDS).default(DEFAULT_ORIGIN_TIMEOUT_QUOTA_SECONDS);

export const distributionSchema = z
  .object({
    originDomainName: dnsNameField('media.example.com').optional(),
    originProtocolPolicy: z.enum(['http-only', 'https-only']).default('http-only'),
    originHttpPort: originPort.default(80),
    originHttpsPort: originPort.default(443),
    originIpAddressType: z.enum(['ipv4', 'dualstack', 'ipv6']).default('ipv4'),
    // Origin Shield stays on by default (the tutorial's distribution has it); README, Costs and teardown, says when it pays.
    originShield: z.boolean().default(true),
    originShieldRegion: regionField.optional(),
    priceClass: z.enum(['PriceClass_All', 'PriceClass_200', 'PriceClass_100']).default('PriceClass_All'),
    // Unset, the construct picks GET_HEAD, or GET_HEAD_OPTIONS when CORS answers preflight.
    allowedMethods: z.enum(['GET_HEAD', 'GET_HEAD_OPTIONS', 'ALL']).optional(),
    livePlaylistBehavior: z.boolean().default(true),
    liveSegmentSeconds: int(1, MAX_LIVE_SEGMENT_SECONDS).default(DEFAULT_LIVE_SEGMENT_SECONDS),
    llHls: z.boolean().default(false),
    // Unset, it follows liveSegmentSeconds and llHls (see live-edge-rules' playlistTtls).
    playlistTtlSeconds: int(1, 60).optional(),
    errorCachingMinTtlSeconds: int(0, MAX_ERROR_CACHING_MIN_TTL_SECONDS).default(DEFAULT_ERROR_CACHING_MIN_TTL_SECONDS),
    cors: corsSchema.default(DEFAULT_CORS),
    originReadTimeoutSeconds: int(1, MAX_ORIGIN_TIMEOUT_QUOTA_SECONDS).default(DEFAULT_ORIGIN_READ_TIMEOUT_SECONDS),
    originKeepaliveTimeoutSeconds: int(1, MAX_ORIGIN_TIMEOUT_QUOTA_SECONDS).default(DEFAULT_ORIGIN_KEEPALIVE_TIMEOUT_SECONDS),
    originReadTimeoutQuotaSeconds: timeoutQuota,
    originKeepaliveTimeoutQuotaSeconds: timeoutQuota,
    aliases: z.array(z.string().regex(ALIAS_NAME, "must be a domain name like 'live.example.com' or '*.example.com'")).min(1).max(100).optional(),
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]+$/, 'must be an ACM certificate ARN in us-east-1')
      .optional(),
    logging: z
      .object({
        bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\.s3(\.[a-z0-9-]+)?\.amazonaws\.com$/, "must be the log bucket's domain name, like 'my-logs.s3.amazonaws.com'"),
        prefix: z
          .string()
          .regex(/^(?!\/)/, "must not start with '/', like 'cf/'")
          .optional(),
        includeCookies: z.boolean().default(false),
      })
      .strict()
      .optional(),
    comment: z.string().max(128).optional(),
  })
  .strict();

export type DistributionConfig = z.output<typeof distributionSchema>;

/** The distribution's cross-field rules, named as `distribution.<key>` in the file. */
export function checkDistribution(d: DistributionConfig, source?: string): void {
  if ((d.aliases === undefined) !== (d.certificateArn === undefined)) {
    const [at, value] = d.aliases === undefined ? ['distribution.aliases', d.aliases] : ['distribution.certificateArn', d.certificateArn];
    throw configError(
      at,
      'must be set together with the other of distribution.aliases and distribution.certificateArn (a custom domain needs its ACM certificate, and the certificate is only used for aliases)',
      value,
      source,
    );
  }
  if (!d.originShield && d.originShieldRegion !== undefined) {
    throw configError('distribution.originShieldRegion', "must be absent when 'distribution.originShield' is false (there is no Origin Shield to place)", d.originShieldRegion, source);
  }
  const live = liveEdgeProblem(d);
  if (live) throw problemError('distribution.', live, source);
  checkHttpsOriginName(d, 'distribution.originDomainName', d.originDomainName, source);
}

/** An origin reached over https-only needs a DNS name of its own (`at` names its key): the EIP's public DNS has no certificate of yours. */
export function checkHttpsOriginName(d: DistributionConfig, at: string, name: string | undefined, source?: string): void {
  if (d.originProtocolPolicy === 'https-only' && name === undefined) {
    throw configError(at, "must be set when 'distribution.originProtocolPolicy' is 'https-only' (the EIP's public DNS has no certificate of yours)", undefined, source);
  }
}
