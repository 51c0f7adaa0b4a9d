import { badValueMessage, guardError } from '../core/errors';
import type { PortSpec, Rule } from '../core/model';
import { EC2_RULES_TIMES_GROUPS_LIMIT } from '../core/quota';
import { formatPort, formatRule } from '../core/rules';
import { SERVICES, type Service } from '../core/ip-ranges';
import { isKnownRegion, unknownRegionRule } from '../core/regions';
import type { GuardBlockSettingsProps } from './settings-props';
import { awsId, boolean, fraction, ingestRuleList, integerIn, listOf, portList, SettingProblem, text, urlList, type Parser } from './setting-parsers';

/*
 * THE settings table: one row per reconciler setting. The Lambda's environment names and parsing,
 * the config file's keys, the CLI's flags and CFGUARD_* variables, the defaults, the construct
 * props' docs and the README's configuration table are all derived from these rows (a test holds
 * the README to them), and the functions below resolve settings through them. Plain data and plain
 * parsers: the Lambda loads this, so no schema library.
 */

export const OFFICIAL_IP_RANGES_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';
export const AMAZON_IP_SPACE_CHANGED_TOPIC = 'arn:aws:sns:us-east-1:806199016981:AmazonIpSpaceChanged';
/** The tutorial's managed-group prefix and `PREFIX_NAME` tag value, so its groups are found. */
export const DEFAULT_PREFIX_NAME = 'AUTOUPDATE_CF';

/** The reconciler's settings, resolved and validated. Every field is one row of SETTINGS. */
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
  /** The instance's own group: never written, whatever its tags (FOREIGN_GROUP_TAGGED). @default - none */
  readonly instanceSecurityGroupId?: string;
  /** The ingest rules expected on the instance's own group: never an exposure finding. @default 1935/udp,1945/tcp */
  readonly ingestRules: readonly Rule[];
}

export type GuardSettingName = keyof GuardSettings;

export interface SettingRow<T> {
  /** The Lambda's environment variable; the CLI reads it prefixed `CFGUARD_`. */
  readonly env: string;
  /** The CLI flag without `--`. */
  readonly flag: string;
  /** A switch: the flag takes no value (`--ipv6`, `--no-ipv6`). @default false */
  readonly switch?: boolean;
  /** Older or alternative spellings of the flag, still accepted. */
  readonly flagAliases?: readonly string[];
  /** Where cfguard.config.json holds it (`guard.` keys are the guard block's own). */
  readonly configPath: string;
  /** The type as the README shows it. */
  readonly type: string;
  /** The value when no front end sets it; undefined for "unset". */
  readonly default: T;
  /** The default as the README and `--help` show it. */
  readonly defaultText: string;
  /** One line for the README, `--help` and the props' JSDoc. */
  readonly doc: string;
  readonly parse: Parser<T>;
  /** The value as its environment variable carries it; undefined leaves the variable unset. */
  readonly toEnv: (value: T) => string | undefined;
}

type Table = { readonly [K in GuardSettingName]: SettingRow<GuardSettings[K]> };

type RowSpec<T> = Omit<SettingRow<T>, 'toEnv' | 'defaultText'> & Partial<SettingRow<T>>;

/**
 * A row as written, completed: without `toEnv` the variable carries the value's text (unset leaves
 * it unset), and without `defaultText` the default shows as that text, or `none` while unset.
 */
function row<T>({ toEnv = (v) => (v === undefined ? undefined : String(v)), defaultText, ...spec }: RowSpec<NoInfer<T>>): SettingRow<T> {
  return { ...spec, toEnv, defaultText: defaultText ?? toEnv(spec.default) ?? 'none' };
}

const regionShape = text(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region like 'eu-north-1'");
/** A region name, and one of the commercial regions core/regions.ts knows (a typo gets a did-you-mean). */
const knownRegion: Parser<string> = (value) => {
  const region = regionShape(value);
  if (!isKnownRegion(region)) throw new SettingProblem(unknownRegionRule(region), value);
  return region;
};

/** The stack's default ingest rules (config/ingest-rule-ids DEFAULT_INGEST_RULES, which the Lambda does not load; a test keeps the two equal). */
const DEFAULT_INGEST_TEXT = '1935/udp,1945/tcp';
const DEFAULT_INGEST: readonly Rule[] = ingestRuleList()(DEFAULT_INGEST_TEXT);
const ingestText = (rules: readonly Rule[]) => rules.map((r) => formatRule(r).replace(' from ', '@')).join(',');

/** Rows in the order the Lambda's environment lists them (a change of order would re-run the deployed guard). */
export const SETTINGS: Table = {
  ports: row({
    env: 'PORTS',
    flag: 'ports',
    configPath: 'guard.ports',
    type: 'list of `80/tcp`, `1935/udp`, `8000-8010/tcp`; a bare `80` is tcp',
    default: [{ protocol: 'tcp', fromPort: 80, toPort: 80 }],
    doc: 'ports opened to CloudFront; 1–65535, tcp or udp. From the config file (and so the deployed function) it defaults to the port CloudFront connects to, `distribution.originHttpPort` or, under `https-only`, `originHttpsPort`; a `guard.ports` (or `--ports` beside the config) without that port is refused',
    parse: portList(),
    toEnv: (v) => v.map(formatPort).join(','),
  }),
  services: row({
    env: 'SERVICE',
    flag: 'services',
    flagAliases: ['service'],
    configPath: 'guard.services',
    type: SERVICES.map((s) => `\`${s}\``).join(', '),
    default: ['CLOUDFRONT_ORIGIN_FACING'],
    doc: 'which published ranges to open (the tutorial used `CLOUDFRONT`; see [Quotas](#quotas-and-sizing))',
    parse: listOf(SERVICES),
    toEnv: (v) => v.join(','),
  }),
  prefixName: row({
    env: 'PREFIX_NAME',
    flag: 'prefix-name',
    configPath: 'guard.prefixName',
    type: '1–200 of `A-Za-z0-9_.-`',
    default: DEFAULT_PREFIX_NAME,
    doc: "value of the `PREFIX_NAME` tag that marks managed groups, and their name prefix (the tutorial's, so its groups are found)",
    parse: text(/^[A-Za-z0-9_.-]{1,200}$/, 'must be 1-200 letters, digits, _ . or -'),
  }),
  vpcId: row({
    env: 'VPC_ID',
    flag: 'vpc-id',
    configPath: 'vpcId',
    type: '`vpc-…` or empty',
    default: undefined,
    defaultText: "the region's default VPC",
    doc: 'the VPC of the instance and the managed groups',
    parse: awsId('vpc'),
    toEnv: (v) => v ?? '',
  }),
  region: row({
    env: 'REGION',
    flag: 'region',
    configPath: 'region',
    type: 'commercial region',
    default: 'us-east-1',
    defaultText: "AWS_REGION (the CLI: then AWS_DEFAULT_REGION, then the profile's region)",
    doc: 'the region of the instance and its groups',
    parse: knownRegion,
  }),
  debug: row({
    env: 'DEBUG',
    flag: 'debug',
    switch: true,
    configPath: 'guard.debug',
    type: 'boolean',
    default: false,
    doc: "the Lambda also logs the plan's steps; the CLI prints stack traces",
    parse: boolean(),
  }),
  ipv6: row({
    env: 'IPV6',
    flag: 'ipv6',
    switch: true,
    configPath: 'distribution.originIpAddressType',
    type: '`true` \\| `false`',
    default: false,
    doc: 'open the IPv6 ranges too; from the config, exactly when `originIpAddressType` is not `ipv4`',
    parse: boolean(),
  }),
  rulesPerGroup: row({
    env: 'RULES_PER_GROUP',
    flag: 'rules-per-group',
    configPath: 'guard.rulesPerGroup',
    type: '1–1000',
    default: 60,
    doc: 'EC2 quota "Inbound or outbound rules per security group", counted per address family',
    parse: integerIn(1, 1000),
  }),
  groupsPerInterface: row({
    env: 'GROUPS_PER_INTERFACE',
    flag: 'groups-per-interface',
    configPath: 'guard.groupsPerInterface',
    type: '1–16',
    default: 5,
    doc: 'EC2 quota "Security groups per network interface"; `rulesPerGroup × groupsPerInterface` must not exceed 1,000 (EC2\'s cap)',
    parse: integerIn(1, 16),
  }),
  maxRevokeFraction: row({
    env: 'MAX_REVOKE_FRACTION',
    flag: 'max-revoke-fraction',
    configPath: 'guard.maxRevokeFraction',
    type: '(0, 1]',
    default: 0.5,
    doc: 'blast-radius guard: a plan revoking more than this fraction of the managed rules applies its additions and holds the revocations',
    parse: fraction(),
  }),
  snsTopicArn: row({
    env: 'SNS_TOPIC_ARN',
    flag: 'sns-topic-arn',
    configPath: 'guard.snsTopicArn',
    type: 'SNS ARN',
    default: AMAZON_IP_SPACE_CHANGED_TOPIC,
    doc: 'the only topic whose notifications are accepted',
    parse: text(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/, 'must be an SNS topic ARN'),
  }),
  instanceId: row({
    env: 'INSTANCE_ID',
    flag: 'instance-id',
    configPath: 'instanceId',
    type: '`i-…`',
    default: undefined,
    defaultText: 'only interfaces already carrying a managed group',
    doc: 'the origin instance, whose network interfaces receive the managed groups',
    parse: awsId('instance'),
  }),
  ipRangesAllowedUrls: row({
    env: 'IP_RANGES_ALLOWED_URLS',
    flag: 'ip-ranges-allowed-urls',
    configPath: 'guard.ipRangesAllowedUrls',
    type: 'http(s) URLs',
    default: [],
    doc: `URLs accepted besides the official \`${OFFICIAL_IP_RANGES_URL}\``,
    parse: urlList(),
    toEnv: (v) => (v.length > 0 ? v.join(',') : undefined),
  }),
  // Last, and absent from the environment while unset: deployed functions without it keep their variables and their settings hash.
  instanceSecurityGroupId: row({
    env: 'INSTANCE_SECURITY_GROUP_ID',
    flag: 'group-id',
    flagAliases: ['instance-security-group-id'],
    configPath: 'instanceSecurityGroupId',
    type: '`sg-…`',
    default: undefined,
    doc: "the instance's own security group: the guard never writes it, even tagged `PREFIX_NAME` (`FOREIGN_GROUP_TAGGED`), and it is the one group besides the guard's that the function's policy lets an ENI's list name (unset: any untagged group, so another team's group on the ENI goes unrefused); `open-ingest` and `import` put the ingest rules there",
    parse: awsId('securityGroup'),
  }),
  // After it, absent while the default: deployed functions keep their variables and their settings hash.
  ingestRules: row({
    env: 'INGEST_RULES',
    flag: 'ingest-rules',
    configPath: 'ingest.rules',
    type: 'list of `1935/udp`, `8000-8010/tcp`, `1945/tcp@203.0.113.0/24` (from `0.0.0.0/0` unless `@CIDR`); may be empty',
    default: DEFAULT_INGEST,
    defaultText: DEFAULT_INGEST_TEXT,
    doc: "the ingest rules expected on the instance's own group, which the exposure audit never counts (the Lambda's run line, `drift`, `status`); from the config, `ingest.rules` (its default while unset, none when `ingest.enabled` is false)",
    parse: ingestRuleList(),
    toEnv: (v) => (ingestText(v) === ingestText(DEFAULT_INGEST) ? undefined : ingestText(v)),
  }),
};

export const SETTING_NAMES = Object.keys(SETTINGS) as GuardSettingName[];

/** Setting name -> Lambda environment variable. The CLI reads the same names prefixed `CFGUARD_`. */
export const ENV_NAMES = Object.fromEntries(SETTING_NAMES.map((n) => [n, SETTINGS[n].env])) as { readonly [K in GuardSettingName]: string };

/** The settings the config file's `guard` block holds itself (the others come from the top level). */
export const GUARD_BLOCK_SETTINGS = SETTING_NAMES.filter((n): n is keyof GuardBlockSettingsProps => SETTINGS[n].configPath === `guard.${n}`);

/**
 * The Lambda function's own sizing, which the config's `guard` block also holds: defaults used by
 * the schema, the construct and the README alike.
 */
export const FUNCTION_DEFAULTS = { timeoutSeconds: 120, memorySizeMb: 256, logRetentionDays: 30, schedule: true, mode: 'lambda' } as const;

/**
 * One setting through its row's parser (the only one, whichever front end gave the value). A bad
 * value is the one error for a bad setting, `'<name>[i]' must be <rule>, got <value>`, named as the user gave it.
 */
export function parseSetting<K extends GuardSettingName>(setting: K, value: unknown, name: string): GuardSettings[K] {
  try {
    return SETTINGS[setting].parse(value);
  } catch (e) {
    if (!(e instanceof SettingProblem)) throw e;
    const at = name + e.path.map((i) => `[${i}]`).join('');
    throw guardError('CONFIG_INVALID', `${badValueMessage(at, e.rule, e.value)}; fix the setting and run again`, 'usage', { setting: name });
  }
}

/**
 * Resolves and validates settings: each given value through its row's parser, each missing one
 * to its row's default. `describe` names a setting the way the caller's user spells it (variable,
 * config path, flag, prop); the result carries those names, so later errors use them too.
 */
export function resolveGuardSettings(raw: Readonly<Record<string, unknown>>, describe?: (name: GuardSettingName) => string): GuardSettings {
  const unknown = Object.keys(raw).filter((k) => !(SETTING_NAMES as string[]).includes(k));
  if (unknown.length > 0) {
    throw guardError('CONFIG_INVALID', `unknown setting(s) ${unknown.join(', ')}; known settings are ${SETTING_NAMES.join(', ')}`, 'usage', { settings: unknown });
  }
  const label = describe ?? ((n: GuardSettingName) => ENV_NAMES[n]);
  const settings = Object.fromEntries(SETTING_NAMES.map((n) => [n, raw[n] === undefined ? SETTINGS[n].default : parseSetting(n, raw[n], label(n))])) as unknown as GuardSettings;
  const product = settings.rulesPerGroup * settings.groupsPerInterface;
  if (product > EC2_RULES_TIMES_GROUPS_LIMIT) {
    throw guardError(
      'QUOTA_PRODUCT_LIMIT',
      `'${label('rulesPerGroup')}' (${settings.rulesPerGroup}) x '${label('groupsPerInterface')}' (${settings.groupsPerInterface}) = ${product}, above EC2's limit of ${EC2_RULES_TIMES_GROUPS_LIMIT}; lower one of them`,
      'usage',
      { rulesPerGroup: settings.rulesPerGroup, groupsPerInterface: settings.groupsPerInterface, limit: EC2_RULES_TIMES_GROUPS_LIMIT },
    );
  }
  return settings;
}

/** Reads settings from the Lambda's environment (the tutorial's names, plus ours); `envPrefix` is the CLI's `CFGUARD_`. */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>, envPrefix = ''): GuardSettings {
  // An unset variable is undefined here, which resolveGuardSettings defaults like a missing key.
  const raw: Record<string, unknown> = Object.fromEntries(SETTING_NAMES.map((n) => [n, env[envPrefix + ENV_NAMES[n]]]));
  if (raw.region === undefined && env.AWS_REGION) raw.region = env.AWS_REGION;
  return resolveGuardSettings(raw, (setting) => envPrefix + ENV_NAMES[setting]);
}

/** The Lambda environment that reproduces these settings exactly (used by the constructs). */
export function settingsToEnv(s: GuardSettings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const setting of SETTING_NAMES) {
    const text = (SETTINGS[setting].toEnv as (v: unknown) => string | undefined)(s[setting]);
    if (text !== undefined) env[ENV_NAMES[setting]] = text;
  }
  return env;
}
