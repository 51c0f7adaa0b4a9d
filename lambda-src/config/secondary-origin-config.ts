import { z } from 'zod';
import { awsIdSchema, elasticIpSchema, securityGroupIdSchema } from './config-fields';
import { configError, problemError } from './config-errors';
import type { AppConfig } from './app-config';
import { checkHttpsOriginName, dnsNameField } from './distribution-config';
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
    originDomainName: dnsNameField('media-b.example.com').optional(),
    failoverStatusCodes: z.array(z.number().int()).optional(),
    connectionAttempts: z.number().optional(),
    connectionTimeoutSeconds: z.number().optional(),
  })
  .strict();

/** The block's cross-field rules: CloudFront's origin-group rules, and two instances that are two. */
export function checkSecondaryOrigin(c: AppConfig, source?: string): void {
  const s = c.secondaryOrigin;
  if (s === undefined) return;
  if (s.instanceId === c.instanceId) {
    throw configError('secondaryOrigin.instanceId', "must be another instance than 'instanceId' (an origin group's two members are two servers)", s.instanceId, source);
  }
  if (c.ingest.enabled && s.instanceSecurityGroupId === undefined) {
    throw configError(
      'secondaryOrigin.instanceSecurityGroupId',
      "must be set while ingest rules are enabled: the secondary media server's own security group, which receives the same ingest rules; or set 'ingest.enabled' to false",
      undefined,
      source,
    );
  }
  const d = c.distribution;
  const problem = originGroupProblem(s, { ...d, primaryDomainName: d.originDomainName, secondaryDomainName: s.originDomainName });
  if (problem) throw problemError(problem.key.startsWith('distribution.') ? '' : 'secondaryOrigin.', problem, source);
  checkHttpsOriginName(d, 'secondaryOrigin.originDomainName', s.originDomainName, source);
}
