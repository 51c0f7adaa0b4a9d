import type { Options } from 'yargs';
import type { GuardSettingName } from '../lambda-src/config/settings';

/*
 * Global flags and one flag per reconciler setting. Type-only imports: this module is loaded for
 * `--help`, so it must not pull in zod or the SDK. Setting flags are strings (as the Lambda's
 * environment carries them) and have no yargs default, so that an unset flag lets the
 * `CFGUARD_*` variable or the config file decide, and the Lambda's own validator judges the value.
 */

export interface GlobalArgs {
  readonly config?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly ipRanges?: string;
  readonly json: boolean;
  readonly debug: boolean;
  readonly region?: string;
  readonly ports?: string | string[];
  readonly services?: string | string[];
  readonly prefixName?: string;
  readonly vpcId?: string;
  readonly instanceId?: string;
  readonly ipv6?: boolean;
  readonly rulesPerGroup?: string;
  readonly groupsPerInterface?: string;
  readonly maxRevokeFraction?: string;
  readonly snsTopicArn?: string;
  readonly ipRangesAllowedUrls?: string | string[];
}

interface SettingFlag {
  readonly flag: string;
  /** The Lambda's env name; the CLI reads it prefixed `CFGUARD_`. */
  readonly env: string;
  /** Where the config file holds it. */
  readonly configPath: string;
  readonly describe: string;
  readonly defaultText: string;
  readonly boolean?: boolean;
  readonly alias?: string;
}

/** Every reconciler setting as a flag; `debug` is the global `--debug`. */
export const SETTING_FLAGS: Readonly<Record<Exclude<GuardSettingName, 'debug'>, SettingFlag>> = {
  region: { flag: 'region', env: 'REGION', configPath: 'region', describe: "AWS region of the instance and its groups", defaultText: "config, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's region" },
  ports: { flag: 'ports', env: 'PORTS', configPath: 'guard.ports', describe: "Ports opened to CloudFront, e.g. '80/tcp,443/tcp'", defaultText: '80/tcp' },
  services: { flag: 'services', alias: 'service', env: 'SERVICE', configPath: 'guard.services', describe: 'ip-ranges.json services whose ranges are opened (CLOUDFRONT_ORIGIN_FACING, CLOUDFRONT)', defaultText: 'CLOUDFRONT_ORIGIN_FACING' },
  prefixName: { flag: 'prefix-name', env: 'PREFIX_NAME', configPath: 'guard.prefixName', describe: 'Value of the PREFIX_NAME tag marking managed groups, and their name prefix', defaultText: 'AUTOUPDATE_CF' },
  vpcId: { flag: 'vpc-id', env: 'VPC_ID', configPath: 'vpcId', describe: 'VPC of the instance and the managed groups', defaultText: "the region's default VPC" },
  instanceId: { flag: 'instance-id', env: 'INSTANCE_ID', configPath: 'instanceId', describe: 'The origin instance, whose interfaces carry the managed groups', defaultText: 'config' },
  ipv6: { flag: 'ipv6', env: 'IPV6', configPath: 'distribution.originIpAddressType', describe: 'Open the IPv6 ranges too (CloudFront reaches the origin over IPv6)', defaultText: 'false', boolean: true },
  rulesPerGroup: { flag: 'rules-per-group', env: 'RULES_PER_GROUP', configPath: 'guard.rulesPerGroup', describe: "EC2 quota 'Inbound or outbound rules per security group' (per address family)", defaultText: '60' },
  groupsPerInterface: { flag: 'groups-per-interface', env: 'GROUPS_PER_INTERFACE', configPath: 'guard.groupsPerInterface', describe: "EC2 quota 'Security groups per network interface'", defaultText: '5' },
  maxRevokeFraction: { flag: 'max-revoke-fraction', env: 'MAX_REVOKE_FRACTION', configPath: 'guard.maxRevokeFraction', describe: 'Blast-radius guard: revocations above this fraction of managed rules are held', defaultText: '0.5' },
  snsTopicArn: { flag: 'sns-topic-arn', env: 'SNS_TOPIC_ARN', configPath: 'guard.snsTopicArn', describe: 'The SNS topic whose notifications the Lambda accepts (test-event uses it)', defaultText: 'AmazonIpSpaceChanged' },
  ipRangesAllowedUrls: { flag: 'ip-ranges-allowed-urls', env: 'IP_RANGES_ALLOWED_URLS', configPath: 'guard.ipRangesAllowedUrls', describe: 'URLs the document may be fetched from besides the official one', defaultText: 'none' },
};

export const SETTINGS_GROUP = 'Settings (flag > CFGUARD_<NAME> environment variable > config file):';
export const GLOBAL_GROUP = 'Global options:';

export const GLOBAL_OPTIONS: Readonly<Record<string, Options>> = {
  config: { type: 'string', describe: 'The app configuration file [env CFGUARD_CONFIG]', default: undefined, defaultDescription: 'cfguard.config.json, if present' },
  profile: { type: 'string', describe: 'AWS shared-config profile (the standard credential chain otherwise)', default: undefined, defaultDescription: 'AWS_PROFILE / default chain' },
  'endpoint-url': { type: 'string', describe: 'EC2 endpoint override (AWS_ENDPOINT_URL_EC2 is honoured too)', default: undefined, defaultDescription: 'AWS_ENDPOINT_URL_EC2, else AWS' },
  'ip-ranges': { type: 'string', describe: 'ip-ranges.json to use: an http(s) URL or a local file', default: undefined, defaultDescription: 'the official URL' },
  json: { type: 'boolean', describe: 'Print one JSON document on stdout; everything else goes to stderr', default: false },
  debug: { type: 'boolean', describe: 'Stack traces on errors, and debug lines on stderr [env CFGUARD_DEBUG]', default: false },
};

/** The yargs options for the setting flags. */
export function settingOptions(): Record<string, Options> {
  const options: Record<string, Options> = {};
  for (const s of Object.values(SETTING_FLAGS)) {
    options[s.flag] = {
      type: s.boolean ? 'boolean' : 'string',
      describe: `${s.describe} [env CFGUARD_${s.env}; config ${s.configPath}]`,
      default: undefined,
      defaultDescription: s.defaultText,
      ...(s.alias ? { alias: s.alias } : {}),
    };
  }
  return options;
}

/** How an error names a setting given on the command line or in the environment. */
export function flagName(setting: string): string {
  if (setting === 'debug') return '--debug / CFGUARD_DEBUG';
  const s = (SETTING_FLAGS as Record<string, SettingFlag>)[setting];
  return s ? `--${s.flag} / CFGUARD_${s.env}` : setting;
}

export function configPathOf(setting: string): string {
  return (SETTING_FLAGS as Record<string, SettingFlag>)[setting]?.configPath ?? `guard.${setting}`;
}

/** The ingest openings, shared by `open-ingest` and `drift`. */
export const INGEST_OPTIONS: Readonly<Record<string, Options>> = {
  'ingest-ports': { type: 'string', describe: "Ingest ports on the instance's own group, e.g. '1935/udp,1945/tcp'", default: undefined, defaultDescription: 'config ingest.rules, else 1935/udp,1945/tcp' },
  'ingest-cidrs': { type: 'string', describe: 'Sources allowed on the ingest ports (with --ingest-ports)', default: undefined, defaultDescription: '0.0.0.0/0' },
};

export interface IngestArgs {
  readonly ingestPorts?: string;
  readonly ingestCidrs?: string;
}
