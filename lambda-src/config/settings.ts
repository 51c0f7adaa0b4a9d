import * as z from 'zod';
import { guardError } from '../core/errors';
import type { PortSpec } from '../core/model';
import { EC2_RULES_TIMES_GROUPS_LIMIT } from '../core/quota';

export { EC2_RULES_TIMES_GROUPS_LIMIT };
import { formatPort, parsePorts } from '../core/rules';
import { isKnownRegion, unknownRegionRule } from '../core/regions';

export const OFFICIAL_IP_RANGES_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';
export const AMAZON_IP_SPACE_CHANGED_TOPIC = 'arn:aws:sns:us-east-1:806199016981:AmazonIpSpaceChanged';
// The service names belong to the document's core; re-exported here for the settings' users.
import { SERVICES, type Service } from '../core/ip-ranges';
export { SERVICES, type Service };

/** The reconciler's settings, resolved and validated. Every field has exactly one env variable. */
export interface GuardSettings {
  /** Ports opened to CloudFront. @default 80/tcp */
  readonly ports: readonly PortSpec[];
  /** ip-ranges.json services whose ranges are opened. @default CLOUDFRONT_ORIGIN_FACING */
  readonly services: readonly Service[];
  /** Value of the `PREFIX_NAME` tag that marks managed groups, and their name prefix. @default AUTOUPDATE_CF */
  readonly prefixName: string;
  /** VPC of the managed groups. @default - the region's default VPC */
  readonly vpcId?: string;
  /** Region of the instance and its groups. @default - AWS_REGION, else us-east-1 */
  readonly region: string;
  /** Verbose logs. @default false */
  readonly debug: boolean;
  /** Instance whose ENIs receive the managed groups. @default - only ENIs already carrying a managed group */
  readonly instanceId?: string;
  /** Open IPv6 ranges too (only when CloudFront reaches the origin over IPv6). @default false */
  readonly ipv6: boolean;
  /** EC2 quota: inbound rules per group, per address family. @default 60 */
  readonly rulesPerGroup: number;
  /** EC2 quota: security groups per network interface. @default 5 */
  readonly groupsPerInterface: number;
  /** Blast-radius guard: revocations above this fraction of managed rules are held. @default 0.5 */
  readonly maxRevokeFraction: number;
  /** The only SNS topic whose notifications are accepted. @default the AmazonIpSpaceChanged topic */
  readonly snsTopicArn: string;
  /** URLs the document may be fetched from, besides the official one. @default - none */
  readonly ipRangesAllowedUrls: readonly string[];
}

/** Setting name -> Lambda environment variable. The CLI reads the same names prefixed `CFGUARD_`. */
export const ENV_NAMES = {
  ports: 'PORTS',
  services: 'SERVICE',
  prefixName: 'PREFIX_NAME',
  vpcId: 'VPC_ID',
  region: 'REGION',
  debug: 'DEBUG',
  instanceId: 'INSTANCE_ID',
  ipv6: 'IPV6',
  rulesPerGroup: 'RULES_PER_GROUP',
  groupsPerInterface: 'GROUPS_PER_INTERFACE',
  maxRevokeFraction: 'MAX_REVOKE_FRACTION',
  snsTopicArn: 'SNS_TOPIC_ARN',
  ipRangesAllowedUrls: 'IP_RANGES_ALLOWED_URLS',
} as const satisfies Record<keyof GuardSettings, string>;

export type GuardSettingName = keyof typeof ENV_NAMES;

/** A commercial region from the table (core/regions.ts); a typo gets a did-you-mean. */
export const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region like 'eu-north-1'")
  .superRefine((region, ctx) => {
    if (!isKnownRegion(region)) ctx.addIssue({ code: 'custom', message: unknownRegionRule(region) });
  });

const list = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (typeof v === 'string' ? v.split(',') : v).map((s) => s.trim()).filter((s) => s.length > 0),
);
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False', '1', '0', ''])], { error: "must be 'true' or 'false'" })
  .transform((v) => (typeof v === 'boolean' ? v : v.toLowerCase() === 'true' || v === '1'));
const int = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/**
 * The input schema, shared by the Lambda's environment, the config file's `guard` block and the
 * CLI's flags: strings as env variables carry them, or typed JSON values.
 */
export const guardSettingsInput = z
  .object({
    ports: list.optional(),
    services: list.pipe(z.array(z.enum(SERVICES, { error: `must list only ${SERVICES.join(' and/or ')}` })).min(1, { error: 'must name at least one service' })).optional(),
    prefixName: z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/, 'must be 1-200 letters, digits, _ . or -').optional(),
    vpcId: z.union([z.literal(''), z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must look like 'vpc-0123abcd'")]).optional(),
    region: regionSchema.optional(),
    debug: bool.optional(),
    instanceId: z.union([z.literal(''), z.string().regex(/^i-[0-9a-f]{8,17}$/, "must look like 'i-0123abcd'")]).optional(),
    ipv6: bool.optional(),
    rulesPerGroup: int(1, 1000).optional(),
    groupsPerInterface: int(1, 16).optional(),
    maxRevokeFraction: z.coerce
      .number({ error: 'must be a fraction above 0 and at most 1' })
      .gt(0, { error: 'must be a fraction above 0 and at most 1' })
      .max(1, { error: 'must be a fraction above 0 and at most 1' })
      .optional(),
    snsTopicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/, 'must be an SNS topic ARN').optional(),
    ipRangesAllowedUrls: list.pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be a comma-separated list of http(s) URLs' }))).optional(),
  })
  .strict();

export type GuardSettingsInput = z.input<typeof guardSettingsInput>;

function zodIssueToError(issue: z.core.$ZodIssue, describe: (name: string) => string, raw: Record<string, unknown>) {
  const name = String(issue.path[0] ?? '');
  const shown = name in raw ? JSON.stringify(raw[name]) : '(unset)';
  const what = issue.code === 'unrecognized_keys' ? `unknown setting(s) ${issue.keys.join(', ')}` : `'${describe(name)}' ${issue.message}, got ${shown}`;
  return guardError('CONFIG_INVALID', `${what}; fix the setting and run again`, 'usage', { setting: describe(name) });
}

/**
 * Resolves and validates settings. `describe` names a setting the way the caller's user spells it
 * (env variable, config key or flag), so the one error says exactly what to fix.
 */
export function resolveGuardSettings(raw: Record<string, unknown>, describe: (name: string) => string = (n) => n): GuardSettings {
  const parsed = guardSettingsInput.safeParse(raw);
  if (!parsed.success) throw zodIssueToError(parsed.error.issues[0], describe, raw);
  const v = parsed.data;
  const settings: GuardSettings = {
    ports: parsePorts(v.ports ?? ['80/tcp'], describe('ports')),
    services: [...new Set<Service>(v.services ?? ['CLOUDFRONT_ORIGIN_FACING'])],
    prefixName: v.prefixName ?? 'AUTOUPDATE_CF',
    vpcId: v.vpcId || undefined,
    region: v.region ?? 'us-east-1',
    debug: v.debug ?? false,
    instanceId: v.instanceId || undefined,
    ipv6: v.ipv6 ?? false,
    rulesPerGroup: v.rulesPerGroup ?? 60,
    groupsPerInterface: v.groupsPerInterface ?? 5,
    maxRevokeFraction: v.maxRevokeFraction ?? 0.5,
    snsTopicArn: v.snsTopicArn ?? AMAZON_IP_SPACE_CHANGED_TOPIC,
    ipRangesAllowedUrls: v.ipRangesAllowedUrls ?? [],
  };
  if (settings.rulesPerGroup * settings.groupsPerInterface > EC2_RULES_TIMES_GROUPS_LIMIT) {
    throw guardError(
      'QUOTA_PRODUCT_LIMIT',
      `'${describe('rulesPerGroup')}' (${settings.rulesPerGroup}) x '${describe('groupsPerInterface')}' (${settings.groupsPerInterface}) = ${settings.rulesPerGroup * settings.groupsPerInterface}, above EC2's limit of ${EC2_RULES_TIMES_GROUPS_LIMIT}; lower one of them`,
      'usage',
      { rulesPerGroup: settings.rulesPerGroup, groupsPerInterface: settings.groupsPerInterface, limit: EC2_RULES_TIMES_GROUPS_LIMIT },
    );
  }
  return settings;
}

/** Reads settings from the Lambda's environment variables (the tutorial's names, plus ours). */
export function settingsFromEnv(env: Record<string, string | undefined>, envPrefix = ''): GuardSettings {
  const raw: Record<string, unknown> = {};
  for (const [name, envName] of Object.entries(ENV_NAMES)) {
    const value = env[envPrefix + envName];
    if (value !== undefined) raw[name] = value;
  }
  if (raw.region === undefined && env.AWS_REGION) raw.region = env.AWS_REGION;
  return resolveGuardSettings(raw, (name) => envPrefix + (ENV_NAMES as Record<string, string>)[name] || name);
}

/** The Lambda environment that reproduces these settings exactly (used by the constructs). */
export function settingsToEnv(s: GuardSettings): Record<string, string> {
  const env: Record<string, string> = {
    PORTS: s.ports.map(formatPort).join(','),
    SERVICE: s.services.join(','),
    PREFIX_NAME: s.prefixName,
    VPC_ID: s.vpcId ?? '',
    REGION: s.region,
    DEBUG: String(s.debug),
    IPV6: String(s.ipv6),
    RULES_PER_GROUP: String(s.rulesPerGroup),
    GROUPS_PER_INTERFACE: String(s.groupsPerInterface),
    MAX_REVOKE_FRACTION: String(s.maxRevokeFraction),
    SNS_TOPIC_ARN: s.snsTopicArn,
  };
  if (s.instanceId) env.INSTANCE_ID = s.instanceId;
  if (s.ipRangesAllowedUrls.length > 0) env.IP_RANGES_ALLOWED_URLS = s.ipRangesAllowedUrls.join(',');
  return env;
}
