import type { Construct } from 'constructs';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { corsAnswersPreflight, DEFAULT_CORS, type EdgeCors } from '../lambda-src/config/live-edge-rules';
import { policyName } from './edge-cache-behaviors';

/*
 * CORS answered at the edge by a response headers policy, applied to every response whether it came
 * from the cache or not. Forwarding the origin's CORS headers instead would cache one viewer's
 * `Access-Control-Allow-Origin` (the cache key ignores `Origin`) and serve it to every other viewer.
 *
 * The managed policies' IDs are the same in every account; they come from the CloudFront Developer
 * Guide, "Use managed response headers policies"
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html).
 */

/** Managed-SimpleCORS: `Access-Control-Allow-Origin: *` on simple CORS requests; the origin's own header wins. */
export const SIMPLE_CORS_POLICY_ID = '60669652-455b-4ae9-85a4-c4c02393f86c';
/** Managed-CORS-With-Preflight: any origin, preflight (`OPTIONS`) answered too; the origin's own headers win. */
export const CORS_WITH_PREFLIGHT_POLICY_ID = '5cc3b908-e619-4b99-88e5-2cf7f45965bd';

/** How long browsers may reuse our policy's preflight answer: 10 minutes, well under Chromium's 2-hour cap. */
export const CORS_PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The response headers policy id for every behaviour, or undefined for `none`. A list of origins gets
 * a policy of ours that overrides the origin's CORS headers, so only the listed sites may play.
 */
export function corsResponseHeadersPolicyId(scope: Construct, id: string, cors: EdgeCors = DEFAULT_CORS): string | undefined {
  if (cors === 'none') return undefined;
  if (cors === 'simple') return SIMPLE_CORS_POLICY_ID;
  if (cors === 'preflight') return CORS_WITH_PREFLIGHT_POLICY_ID;
  const preflight = corsAnswersPreflight(cors);
  const policy = new CloudfrontResponseHeadersPolicy(scope, id, {
    name: policyName(scope, 'cors'),
    comment: `CORS for ${cors.allowedOrigins.length} web player origin(s)${preflight ? ', preflight answered' : ''}`,
    corsConfig: {
      accessControlAllowCredentials: false,
      accessControlAllowHeaders: { items: ['*'] },
      accessControlAllowMethods: { items: preflight ? ['GET', 'HEAD', 'OPTIONS'] : ['GET', 'HEAD'] },
      accessControlAllowOrigins: { items: [...cors.allowedOrigins] },
      accessControlMaxAgeSec: preflight ? CORS_PREFLIGHT_MAX_AGE_SECONDS : undefined,
      originOverride: true,
    },
  });
  return policy.id;
}
