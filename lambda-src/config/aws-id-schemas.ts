/** The config file's AWS id fields, one schema each (the ids' one test is core/aws-ids), shared by the primary origin and `secondaryOrigin`. */
import { z } from 'zod';
import { awsIdLooks, awsIdPattern, type AwsIdKind } from '../core/aws-ids';

/** A config field holding an AWS id: `must look like 'sg-0123456789abcdef0'` otherwise. */
export function awsIdSchema(kind: AwsIdKind) {
  return z.string().regex(awsIdPattern(kind), `must ${awsIdLooks(kind)}`);
}

export const securityGroupIdSchema = awsIdSchema('securityGroup');

/** `elasticIp`: adopt an existing allocation instead of allocating one. */
export const elasticIpSchema = z.object({ allocationId: awsIdSchema('eipAllocation').optional() }).strict();
