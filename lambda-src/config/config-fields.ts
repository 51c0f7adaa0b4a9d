import { z } from 'zod';
import { awsIdLooks, awsIdPattern, type AwsIdKind } from '../core/aws-ids';
import { SettingProblem } from './setting-parsers';
import { SETTINGS } from './settings';

/*
 * zod fields shared by the config file's blocks (app-config.ts, distribution-config.ts,
 * secondary-origin-config.ts), so a value is checked by one rule wherever it appears: the AWS ids
 * (whose one test is core/aws-ids) and fields judged by the settings table's own parsers.
 */

/** A config field holding an AWS id: `must look like 'sg-0123456789abcdef0'` otherwise. */
export function awsIdSchema(kind: AwsIdKind) {
  return z.string().regex(awsIdPattern(kind), `must ${awsIdLooks(kind)}`);
}

export const securityGroupIdSchema = awsIdSchema('securityGroup');

/** `elasticIp`: adopt an existing allocation instead of allocating one. */
export const elasticIpSchema = z.object({ allocationId: awsIdSchema('eipAllocation').optional() }).strict();

/** A commercial region, judged by the settings table's own region parser. */
export const regionField = z.string().superRefine(judgedBy(SETTINGS.region.parse));
/** A zod refinement that runs a settings-table parser and reports its rule at the value's path. */
export function judgedBy(parse: (value: unknown) => unknown) {
  return (value: unknown, ctx: z.core.$RefinementCtx) => {
    try {
      parse(value);
    } catch (e) {
      if (!(e instanceof SettingProblem)) throw e;
      ctx.addIssue({ code: 'custom', message: e.rule, path: [...e.path], input: e.value });
    }
  };
}
