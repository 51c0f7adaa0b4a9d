import type { PortSpec, Rule } from '../core/model';
import { formatPort, formatRule } from '../core/rules';
import { SERVICES, type Service } from '../core/ip-ranges';
import { isKnownRegion, unknownRegionRule } from '../core/regions';
import { SettingProblem } from './setting-parsers';
import { awsId, boolean, fraction, ingestRuleList, integerIn, listOf, portList, text, urlList, type Parser } from './setting-parsers';

/*
 * THE settings table: one row per reconciler setting. The Lambda's environment names and parsing,
 * the config file's keys, the CLI's flags and CFGUARD_* variables, the defaults, the construct
 * props' docs and the README's configuration table are all derived from these rows (a test holds
 * the README to them). Plain data and plain parsers: the Lambda loads this, so no schema library.
 */

export const OFFICIAL_IP_RANGES_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';
export const AMAZON_IP_SPACE_CHANGED_TOPIC = 'arn:aws:sns:us-east-1:806199016981:AmazonIpSpaceChanged';
// The service names belong to the document's core; re-exported here for the settings' users.
export { SERVICES, type Service };
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

const same = (v: string) => v;

/** A region name, and one of the commercial regions core/regions.ts knows (a typo gets a did-you-mean). */
function knownRegion(): Parser<string> {
  const shape = text(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region like 'eu-north-1'");
  return (value) => {
    const region = shape(value);
    if (!isKnownRegion(region)) throw new SettingProblem(unknownRegionRule(region), value);
    return region;
  };
}
const list = (v: readonly string[]) => (v.length > 0 ? v.join(',') : undefined);

/** The stack's default ingest rules (config/ingest-rule-ids DEFAULT_INGEST_RULES, which the Lambda does not load; a test keeps the two equal). */
const DEFAULT_INGEST_TEXT = '1935/udp,1945/tcp';
const DEFAULT_INGEST: readonly Rule[] = ingestRuleList()(DEFAULT_INGEST_TEXT);
const ingestText = (rules: readonly Rule[]) => rules.map((r) => formatRule(r).replace(' from ', '@')).join(',');

/** Rows in the order the Lambda's environment lists them (a change of order would re-run the deployed guard). */
export const SETTINGS: Table = {
  ports: {
    env: 'PORTS',
    flag: 'ports',
    configPath: 'guard.ports',
    type: 'list of `80/tcp`, `1935/udp`, `8000-8010/tcp`; a bare `80` is tcp',
    default: [{ protocol: 'tcp', fromPort: 80, toPort: 80 }],
    defaultText: '80/tcp',
    doc: 'ports opened to CloudFront; 1–65535, tcp or udp. From the config file (and so the deployed function) it defaults to the port CloudFront connects to, `distribution.originHttpPort` or, under `https-only`, `originHttpsPort`; a `guard.ports` (or `--ports` beside the config) without that port is refused',
    parse: portList(),
    toEnv: (v) => v.map(formatPort).join(','),
  },
  services: {
    env: 'SERVICE',
    flag: 'services',
    flagAliases: ['service'],
    configPath: 'guard.services',
    type: SERVICES.map((s) => `\`${s}\``).join(', '),
    default: ['CLOUDFRONT_ORIGIN_FACING'],
    defaultText: 'CLOUDFRONT_ORIGIN_FACING',
    doc: 'which published ranges to open (the tutorial used `CLOUDFRONT`; see [Quotas](#quotas-and-sizing))',
    parse: listOf(SERVICES),
    toEnv: (v) => v.join(','),
  },
  prefixName: {
    env: 'PREFIX_NAME',
    flag: 'prefix-name',
    configPath: 'guard.prefixName',
    type: '1–200 of `A-Za-z0-9_.-`',
    default: DEFAULT_PREFIX_NAME,
    defaultText: DEFAULT_PREFIX_NAME,
    doc: "value of the `PREFIX_NAME` tag that marks managed groups, and their name prefix (the tutorial's, so its groups are found)",
    parse: text(/^[A-Za-z0-9_.-]{1,200}$/, 'must be 1-200 letters, digits, _ . or -'),
    toEnv: same,
  },
  vpcId: {
    env: 'VPC_ID',
    flag: 'vpc-id',
    configPath: 'vpcId',
    type: '`vpc-…` or empty',
    default: undefined,
    defaultText: "the region's default VPC",
    doc: 'the VPC of the instance and the managed groups',
    parse: awsId('vpc'),
    toEnv: (v) => v ?? '',
  },
  region: {
    env: 'REGION',
    flag: 'region',
    configPath: 'region',
    type: 'commercial region',
    default: 'us-east-1',
    defaultText: "AWS_REGION (the CLI: then AWS_DEFAULT_REGION, then the profile's region)",
    doc: 'the region of the instance and its groups',
    parse: knownRegion(),
    toEnv: same,
  },
  debug: {
    env: 'DEBUG',
    flag: 'debug',
    switch: true,
    configPath: 'guard.debug',
    type: 'boolean',
    default: false,
    defaultText: 'false',
    doc: "the Lambda also logs the plan's steps; the CLI prints stack traces",
    parse: boolean(),
    toEnv: String,
  },
  ipv6: {
    env: 'IPV6',
    flag: 'ipv6',
    switch: true,
    configPath: 'distribution.originIpAddressType',
    type: '`true` \\| `false`',
    default: false,
    defaultText: 'false',
    doc: 'open the IPv6 ranges too; from the config, exactly when `originIpAddressType` is not `ipv4`',
    parse: boolean(),
    toEnv: String,
  },
  rulesPerGroup: {
    env: 'RULES_PER_GROUP',
    flag: 'rules-per-group',
    configPath: 'guard.rulesPerGroup',
    type: '1–1000',
    default: 60,
    defaultText: '60',
    doc: 'EC2 quota "Inbound or outbound rules per security group", counted per address family',
    parse: integerIn(1, 1000),
    toEnv: String,
  },
  groupsPerInterface: {
    env: 'GROUPS_PER_INTERFACE',
    flag: 'groups-per-interface',
    configPath: 'guard.groupsPerInterface',
    type: '1–16',
    default: 5,
    defaultText: '5',
    doc: 'EC2 quota "Security groups per network interface"; `rulesPerGroup × groupsPerInterface` must not exceed 1,000 (EC2\'s cap)',
    parse: integerIn(1, 16),
    toEnv: String,
  },
  maxRevokeFraction: {
    env: 'MAX_REVOKE_FRACTION',
    flag: 'max-revoke-fraction',
    configPath: 'guard.maxRevokeFraction',
    type: '(0, 1]',
    default: 0.5,
    defaultText: '0.5',
    doc: 'blast-radius guard: a plan revoking more than this fraction of the managed rules applies its additions and holds the revocations',
    parse: fraction(),
    toEnv: String,
  },
  snsTopicArn: {
    env: 'SNS_TOPIC_ARN',
    flag: 'sns-topic-arn',
    configPath: 'guard.snsTopicArn',
    type: 'SNS ARN',
    default: AMAZON_IP_SPACE_CHANGED_TOPIC,
    defaultText: AMAZON_IP_SPACE_CHANGED_TOPIC,
    doc: 'the only topic whose notifications are accepted',
    parse: text(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/, 'must be an SNS topic ARN'),
    toEnv: same,
  },
  instanceId: {
    env: 'INSTANCE_ID',
    flag: 'instance-id',
    configPath: 'instanceId',
    type: '`i-…`',
    default: undefined,
    defaultText: 'only interfaces already carrying a managed group',
    doc: 'the origin instance, whose network interfaces receive the managed groups',
    parse: awsId('instance'),
    toEnv: (v) => v,
  },
  ipRangesAllowedUrls: {
    env: 'IP_RANGES_ALLOWED_URLS',
    flag: 'ip-ranges-allowed-urls',
    configPath: 'guard.ipRangesAllowedUrls',
    type: 'http(s) URLs',
    default: [],
    defaultText: 'none',
    doc: `URLs accepted besides the official \`${OFFICIAL_IP_RANGES_URL}\``,
    parse: urlList(),
    toEnv: list,
  },
  // Last, and absent from the environment while unset: deployed functions without it keep their variables and their settings hash.
  instanceSecurityGroupId: {
    env: 'INSTANCE_SECURITY_GROUP_ID',
    flag: 'group-id',
    flagAliases: ['instance-security-group-id'],
    configPath: 'instanceSecurityGroupId',
    type: '`sg-…`',
    default: undefined,
    defaultText: 'none',
    doc: "the instance's own security group: the guard never writes it, even tagged `PREFIX_NAME` (`FOREIGN_GROUP_TAGGED`), and it is the one group besides the guard's that the function's policy lets an ENI's list name (unset: any untagged group, so another team's group on the ENI goes unrefused); `open-ingest` and `import` put the ingest rules there",
    parse: awsId('securityGroup'),
    toEnv: (v) => v,
  },
  // After it, absent while the default: deployed functions keep their variables and their settings hash.
  ingestRules: {
    env: 'INGEST_RULES',
    flag: 'ingest-rules',
    configPath: 'ingest.rules',
    type: 'list of `1935/udp`, `8000-8010/tcp`, `1945/tcp@203.0.113.0/24` (from `0.0.0.0/0` unless `@CIDR`); may be empty',
    default: DEFAULT_INGEST,
    defaultText: DEFAULT_INGEST_TEXT,
    doc: "the ingest rules expected on the instance's own group, which the exposure audit never counts (the Lambda's run line, `drift`, `status`); from the config, `ingest.rules` (its default while unset, none when `ingest.enabled` is false)",
    parse: ingestRuleList(),
    toEnv: (v) => (ingestText(v) === ingestText(DEFAULT_INGEST) ? undefined : ingestText(v)),
  },
};

export const SETTING_NAMES = Object.keys(SETTINGS) as GuardSettingName[];

/** Setting name -> Lambda environment variable. The CLI reads the same names prefixed `CFGUARD_`. */
export const ENV_NAMES = Object.fromEntries(SETTING_NAMES.map((n) => [n, SETTINGS[n].env])) as { readonly [K in GuardSettingName]: string };

/** The settings the config file's `guard` block holds itself (the others come from the top level). */
export const GUARD_BLOCK_SETTINGS = SETTING_NAMES.filter((n) => SETTINGS[n].configPath === `guard.${n}`);

/**
 * The Lambda function's own sizing, which the config's `guard` block also holds: defaults used by
 * the schema, the construct and the README alike.
 */
export const FUNCTION_DEFAULTS = { timeoutSeconds: 120, memorySizeMb: 256, logRetentionDays: 30, schedule: true, mode: 'lambda' } as const;
