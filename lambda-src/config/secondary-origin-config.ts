import { z } from 'zod';
import { awsIdSchema, elasticIpSchema, securityGroupIdSchema } from './aws-id-schemas';
import { configError } from './config-errors';
import type { DistributionConfig } from './distribution-config';
import { originGroupProblem } from './origin-group-rules';

/*
 * The `secondaryOrigin` block of cfguard.config.json: a second instance behind a CloudFront origin
 * group. Same region (and VPC) as the primary: its guard and Origin Shield follow the stack's region.
 * No cdktf import: app-config.ts, which the CLI loads, uses it.
 */

export const secondaryOriginSchema = z
  .object({
    instanceId: awsIdSchema('instance'),
    instanceSecurityGroupId: securityGroupIdSchema.optional(),
    elasticIp: elasticIpSchema.optional(),
    originDomainName: z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a DNS name like 'media-b.example.com'")
      .optional(),
    failoverStatusCodes: z.array(z.number().int()).optional(),
    connectionAttempts: z.number().optional(),
    connectionTimeoutSeconds: z.number().optional(),
  })
  .strict();

export type SecondaryOriginConfig = z.output<typeof secondaryOriginSchema>;

/** The block's cross-field rules: CloudFront's origin-group rules, and two instances that are two. */
export function checkSecondaryOrigin(
  s: SecondaryOriginConfig | undefined,
  c: { instanceId: string; instanceSecurityGroupId?: string; ingestEnabled: boolean; distribution: DistributionConfig },
  source?: string,
): void {
  if (s === undefined) return;
  if (s.instanceId === c.instanceId) {
    throw configError('secondaryOrigin.instanceId', "must be another instance than 'instanceId' (an origin group's two members are two servers)", s.instanceId, source);
  }
  if (c.ingestEnabled && s.instanceSecurityGroupId === undefined) {
    throw configError(
      'secondaryOrigin.instanceSecurityGroupId',
      "must be set while ingest rules are enabled: the secondary media server's own security group, which receives the same ingest rules; or set 'ingest.enabled' to false",
      undefined,
      source,
    );
  }
  const d = c.distribution;
  const problem = originGroupProblem(s, {
    allowedMethods: d.allowedMethods,
    liveSegmentSeconds: d.liveSegmentSeconds,
    primaryDomainName: d.originDomainName,
    secondaryDomainName: s.originDomainName,
  });
  if (problem) {
    const at = problem.key.startsWith('distribution.') ? problem.key : `secondaryOrigin.${problem.key}`;
    throw configError(at, `must be ${problem.rule}`, problem.value, source);
  }
  if (d.originProtocolPolicy === 'https-only' && s.originDomainName === undefined) {
    throw configError('secondaryOrigin.originDomainName', "must be set when 'distribution.originProtocolPolicy' is 'https-only' (the EIP's public DNS has no certificate of yours)", undefined, source);
  }
}
