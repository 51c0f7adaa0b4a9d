import { readFileSync } from 'fs';
import { z } from 'zod';
import { awsIdSchema, elasticIpSchema, judgedBy, regionField, securityGroupIdSchema } from './config-fields';
import { guardError, isGuardError } from '../core/errors';
import { FUNCTION_DEFAULTS, GUARD_BLOCK_SETTINGS, resolveGuardSettings, SETTINGS, type GuardSettingName, type GuardSettings } from './settings';
import type { GuardBlockSettingsProps } from './settings-props';
import { alertingProblem, placeholderEmailProblem, EMAIL_PATTERN, EMAIL_RULE, SNS_TOPIC_ARN_PATTERN, SNS_TOPIC_ARN_RULE } from './alerting-rules';
import { configError, configIssueError, firstIssue, problemError, rehomeError } from './config-errors';
import { jsonFault } from './json-syntax';
import { ingestRuleIds, ingestRulesSetting } from './ingest-rule-ids';
import { checkDistribution, distributionSchema } from './distribution-config';
import { guardFunctionRegion } from '../core/regions';
import { formatPort } from '../core/rules';
import { cloudFrontOriginPort, guardPortsForOrigin } from './origin-port';
import { edgeMonitoringProblem, edgeMonitoringSchema } from './edge-monitoring';
import { checkSecondaryOrigin, secondaryOriginSchema } from './secondary-origin-config';
import { DEFAULT_ORIGIN_SECRET_MODE, HEADER_NAME_PATTERN, ORIGIN_SECRET_MODES } from './origin-secret';

/** The Node.js runtimes the bundle (target node20) runs on and hashicorp/aws 6.25.0 accepts. */
export const GUARD_RUNTIMES = ['nodejs24.x', 'nodejs22.x'] as const;
export type GuardRuntime = (typeof GUARD_RUNTIMES)[number];
/** Lambda deprecates nodejs24.x on 2028-04-30 (nodejs22.x on 2027-04-30): see the README, Costs and teardown. */
export const DEFAULT_GUARD_RUNTIME: GuardRuntime = 'nodejs24.x';

/*
 * The app configuration file, shared by main.ts, the constructs and the CLI, so a drift check compares
 * against exactly what was deployed. No cdktf import here: the CLI loads this on every command.
 */

export const DEFAULT_CONFIG_FILE = 'cfguard.config.json';
export const DEFAULT_IMPORTS_FILE = 'cfguard.imports.json';

/** CloudWatch Logs accepts only these retentions (0 = never expire). */
export const LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const tagMap = z.record(z.string().regex(/^.{1,128}$/s, 'must be a tag key of 1-128 characters'), z.string().max(256));

const backendSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local'), path: z.string().min(1).optional() }).strict(),
  z
    .object({
      type: z.literal('cloud'),
      organization: z.string().min(1).optional(),
      workspace: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,90}$/, 'must be 1-90 letters, digits, _ or -')
        .optional(),
      hostname: z.string().min(1).default('app.terraform.io'),
    })
    .strict(),
  z
    .object({
      type: z.literal('s3'),
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
      key: z.string().min(1),
      region: regionField,
      /** S3-native state locking (Terraform >= 1.11), on by default. */
      useLockfile: z.boolean().default(true),
      /** Deprecated by Terraform 1.11 in favour of `useLockfile`; kept for stacks that still lock in DynamoDB. */
      dynamodbTable: z.string().min(1).optional(),
      encrypt: z.boolean().default(true),
    })
    .strict(),
]);

/** The secret origin header (lambda-src/config/origin-secret.ts); mode 'on' by default. */
const originSecretSchema = z
  .object({
    mode: z.enum(ORIGIN_SECRET_MODES).default(DEFAULT_ORIGIN_SECRET_MODE),
    headerName: z.string().regex(HEADER_NAME_PATTERN, "must be an HTTP header name like 'X-Origin-Verify'").optional(),
    headerShape: z.enum(['plain', 'bearer']).default('plain'),
    secretVersion: z.number().int().min(1).default(1),
    parameterName: z
      .string()
      .regex(/^\/(?!aws|ssm)[A-Za-z0-9_.\-/]{1,1010}$/i, "must be an SSM parameter path like '/cfguard/live/origin-secret' (not under /aws or /ssm)")
      .optional(),
    instanceRoleName: z
      .string()
      .regex(/^[A-Za-z0-9+=,.@_-]{1,64}$/, "must be an IAM role name (not an ARN) like 'media-origin-role'")
      .optional(),
    verifyPath: z
      .string()
      .regex(/^\/[^\s]*$/, "must be a path starting with '/', like '/live/index.m3u8'")
      .default('/'),
  })
  .strict();

/** Lambda mode's alarms; defaults are resolved by the construct (OriginIpRangeGuard's `alerting`). */
const alertingSchema = z
  .object({
    errorsAlarm: z.boolean().optional(),
    refusedAlarm: z.boolean().optional(),
    noSuccessAlarm: z.boolean().optional(),
    noSuccessPeriodSeconds: z.number().int().min(60).multipleOf(60).optional(),
    noSuccessEvaluationPeriods: z.number().int().min(1).optional(),
    topicArn: z.string().regex(SNS_TOPIC_ARN_PATTERN, `must be ${SNS_TOPIC_ARN_RULE}`).optional(),
    topicKmsKeyId: z.string().min(1).optional(),
    emails: z.array(z.string().regex(EMAIL_PATTERN, `must be ${EMAIL_RULE}`)).optional(),
    exposureAlarm: z.boolean().optional(),
    foreignRulesAlarm: z.boolean().optional(),
  })
  .strict();

/** A `guard` key judged by its settings-table row: the file accepts exactly what the Lambda does. */
function settingField<K extends keyof GuardBlockSettingsProps>(setting: K) {
  return z.custom<GuardBlockSettingsProps[K]>().superRefine(judgedBy(SETTINGS[setting].parse)).optional();
}

const guardSettingsShape = Object.fromEntries(GUARD_BLOCK_SETTINGS.map((n) => [n, settingField(n)])) as {
  [K in (typeof GUARD_BLOCK_SETTINGS)[number]]: ReturnType<typeof settingField<K>>;
};

/** The guard's settings (the table's `guard.*` rows) plus how the function is deployed. */
const guardSchema = z
  .object({
    ...guardSettingsShape,
    mode: z.enum(['lambda', 'prefix-list']).default(FUNCTION_DEFAULTS.mode),
    schedule: z.boolean().default(FUNCTION_DEFAULTS.schedule),
    timeoutSeconds: int(3, 900).default(FUNCTION_DEFAULTS.timeoutSeconds),
    memorySizeMb: int(128, 10240).default(FUNCTION_DEFAULTS.memorySizeMb),
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `must be one of CloudWatch's retentions ${LOG_RETENTION_DAYS.join(', ')}`)
      .default(FUNCTION_DEFAULTS.logRetentionDays),
    alerting: alertingSchema.optional(),
    runtime: z.enum(GUARD_RUNTIMES).default(DEFAULT_GUARD_RUNTIME),
    reservedConcurrency: z.number().int().min(1).optional(),
    originProbe: z.boolean().default(true),
  })
  .strict();

const ingestRuleSchema = z
  .object({
    port: int(1, 65535),
    toPort: int(1, 65535).optional(),
    protocol: z.enum(['tcp', 'udp']),
    cidrs: z.array(z.string()).optional(),
  })
  .strict();

export const appConfigSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 lowercase letters, digits or -, starting with a letter or digit'),
    region: regionField,
    instanceId: awsIdSchema('instance'),
    vpcId: awsIdSchema('vpc').optional(),
    instanceSecurityGroupId: securityGroupIdSchema.optional(),
    backend: backendSchema.default({ type: 'local' }),
    elasticIp: elasticIpSchema.optional(),
    distribution: distributionSchema.default(() => distributionSchema.parse({})),
    guard: guardSchema.default(() => guardSchema.parse({})),
    ingest: z
      .object({ enabled: z.boolean().default(true), rules: z.array(ingestRuleSchema).optional() })
      .strict()
      .default({ enabled: true }),
    originSecret: originSecretSchema.default(() => originSecretSchema.parse({})),
    secondaryOrigin: secondaryOriginSchema.optional(),
    edgeMonitoring: edgeMonitoringSchema.default({}),
    importsFile: z.string().min(1).optional(),
    tags: tagMap.default({}),
  })
  .strict();

export type AppConfigInput = z.input<typeof appConfigSchema>;
/** The configuration with defaults applied. */
export type AppConfig = z.output<typeof appConfigSchema>;
export type BackendConfig = AppConfig['backend'];
export type { DistributionConfig } from './distribution-config';
export type GuardConfig = AppConfig['guard'];

/** The keys an object in the schema accepts, so an unknown-key error can list them. */
function knownKeysAt(at: readonly PropertyKey[], schema: z.core.$ZodType = appConfigSchema): string[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  if (['optional', 'default', 'nullable', 'prefault'].includes(def.type)) return knownKeysAt(at, def.innerType as z.core.$ZodType);
  if (def.type === 'pipe') return knownKeysAt(at, def.in as z.core.$ZodType);
  if (def.type === 'union') return [...new Set((def.options as z.core.$ZodType[]).flatMap((o) => knownKeysAt(at, o)))];
  if (def.type === 'array') return typeof at[0] === 'number' ? knownKeysAt(at.slice(1), def.element as z.core.$ZodType) : [];
  if (def.type !== 'object') return [];
  const shape = def.shape as Record<string, z.core.$ZodType>;
  if (at.length === 0) return Object.keys(shape);
  const child = shape[String(at[0])];
  return child ? knownKeysAt(at.slice(1), child) : [];
}

/** The reconciler's settings as this file gives them (unparsed), keyed by setting name. */
export function rawSettingsFromConfig(c: AppConfig): Partial<Record<GuardSettingName, unknown>> {
  const raw: Partial<Record<GuardSettingName, unknown>> = {
    region: c.region,
    instanceId: c.instanceId,
    vpcId: c.vpcId,
    ipv6: c.distribution.originIpAddressType !== 'ipv4',
    instanceSecurityGroupId: c.instanceSecurityGroupId,
    // The rules the stack opens are the ones the audit expects; with ingest off, none are.
    ingestRules: !c.ingest.enabled ? [] : c.ingest.rules ? ingestRulesSetting(c.ingest.rules, 'ingest.rules') : undefined,
  };
  for (const n of GUARD_BLOCK_SETTINGS) if (c.guard[n] !== undefined) raw[n] = c.guard[n];
  // Unset, the guard's ports follow the origin's: the port CloudFront connects to.
  raw.ports ??= formatPort(cloudFrontOriginPort(c.distribution).port);
  return raw;
}

/** The reconciler's settings for this deployment: the same values the Lambda's environment carries. */
export function guardSettingsFromConfig(c: AppConfig): GuardSettings {
  const settings = resolveGuardSettings(rawSettingsFromConfig(c), (n) => SETTINGS[n].configPath);
  guardPortsForOrigin(settings.ports, c.distribution, { ports: SETTINGS.ports.configPath, distribution: 'distribution.' });
  return settings;
}

/** The alerting rules the construct applies too, plus what only the whole file knows (mode, region). */
function checkAlerting(c: AppConfig, source?: string): void {
  const a = c.guard.alerting;
  if (a === undefined) return;
  if (c.guard.mode === 'prefix-list') {
    throw configError('guard.alerting', "must be absent when 'guard.mode' is 'prefix-list' (there is no function to watch)", a, source);
  }
  const problem = alertingProblem(a, c.guard.schedule) ?? placeholderEmailProblem(a.emails ?? []);
  if (problem) throw problemError('guard.alerting.', problem, source);
  const topicRegion = a.topicArn?.split(':')[3];
  const alarmRegion = guardFunctionRegion(c.region);
  if (topicRegion !== undefined && topicRegion !== alarmRegion) {
    const why = alarmRegion === c.region ? "the stack's region" : `the function's region, as '${c.region}' is opt-in`;
    throw configError('guard.alerting.topicArn', `must be a topic in '${alarmRegion}' (${why}: CloudWatch alarms notify topics in their own region only)`, a.topicArn, source);
  }
}

/** Cross-field rules that a per-field schema cannot state. */
function checkSemantics(c: AppConfig, source?: string): void {
  checkDistribution(c.distribution, source);
  checkAlerting(c, source);
  checkSecondaryOrigin(c, source);
  const edge = edgeMonitoringProblem(c.edgeMonitoring);
  if (edge) throw problemError('edgeMonitoring.', edge, source);
  rehomedUnder('ingest.rules', source, () => c.ingest.rules && ingestRuleIds(c.ingest.rules, 'ingest.rules'));
  rehomedUnder('guard', source, () => guardSettingsFromConfig(c));
}

/** Runs a shared validator (settings, ingest ids), its errors re-homed under the config file's `path`. */
function rehomedUnder(path: string, source: string | undefined, validate: () => unknown): void {
  try {
    validate();
  } catch (e) {
    throw isGuardError(e) ? rehomeError(e, source, path) : e;
  }
}

/** Validates a parsed JSON value; throws one CONFIG_INVALID naming the JSON path, the rule and the value. */
export function parseAppConfig(raw: unknown, source?: string): AppConfig {
  const parsed = appConfigSchema.safeParse(raw);
  if (!parsed.success) throw configIssueError(firstIssue(parsed.error.issues)!, raw, source, knownKeysAt);
  checkSemantics(parsed.data, source);
  return parsed.data;
}

/** Reads and validates a config file. A missing or malformed file is a CONFIG_INVALID naming the path. */
export function loadAppConfig(path: string): AppConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as Error).message})`;
    throw guardError('CONFIG_INVALID', `config file '${path}' ${why}; create it from the example ${DEFAULT_CONFIG_FILE} at the repository root, or point CFGUARD_CONFIG / --config at yours`, 'usage', {
      path,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const fault = jsonFault(text);
    const where = fault ? `at line ${fault.line}, column ${fault.column}: ${fault.reason}${fault.near ? `, near \`${fault.near}\`` : ''}` : (e as Error).message.split('\n')[0];
    throw guardError('CONFIG_INVALID', `config file '${path}' must be valid JSON, got a syntax error ${where}; fix the file and run again`, 'usage', {
      path,
      ...(fault ? { line: fault.line, column: fault.column } : {}),
    });
  }
  return parseAppConfig(raw, path);
}
