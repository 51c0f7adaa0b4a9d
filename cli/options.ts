import type { CamelCaseKey, InferredOptionType, Options } from 'yargs';
import { SETTING_NAMES, SETTINGS, type GuardSettingName } from '../lambda-src/config/settings';

/*
 * Global flags and one flag per reconciler setting, derived from the settings table. No zod or SDK
 * here: this module is loaded for `--help`. Setting flags have no yargs default, so that an unset
 * flag lets the `CFGUARD_*` variable or the config file decide, and the table's parser judges the value.
 */

/** The settings that are flags of their own (`debug` is the global `--debug`). */
export type SettingFlagName = Exclude<GuardSettingName, 'debug'>;

/** A setting flag's value as yargs gives it: text (a boolean for `--ipv6`), parsed by the table. */
export type SettingArgs = { readonly [K in Exclude<SettingFlagName, 'ipv6'>]?: string } & { readonly ipv6?: boolean };

/** Option tables, declared `as const satisfies OptionTable` so that FlagsOf can read each flag's type off its option. */
export type OptionTable = Readonly<Record<string, Options>>;

/** A table's flags as a run reads them: the type yargs infers from each option (its `type`, `choices`, `default`), camel-cased. */
export type FlagsOf<T extends OptionTable> = { readonly [K in keyof T as CamelCaseKey<K>]: InferredOptionType<T[K]> };

/** Written out, not FlagsOf<typeof GLOBAL_OPTIONS>: callers outside yargs (the tests) give only some of these. */
export interface GlobalArgs extends SettingArgs {
  readonly config?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly ipRanges?: string;
  readonly json: boolean;
  readonly debug: boolean;
  /** Tables print their header line, piped too; `--no-header` drops it for scripts. @default true */
  readonly header?: boolean;
}

export const SETTING_FLAG_NAMES = SETTING_NAMES.filter((n): n is SettingFlagName => n !== 'debug');

export const SETTINGS_GROUP = 'Settings (a flag beats its [env] variable, which beats the config file; cfguard help settings):';

/**
 * The one naming rule for the settings' variables: `CFGUARD_` + the Lambda's own variable
 * (`CFGUARD_PORTS`, `CFGUARD_SERVICE`, `CFGUARD_INSTANCE_SECURITY_GROUP_ID`). yargs reads a variable
 * for a flag or an alias of it, so each setting gets the Lambda name as an alias when its flag is
 * spelt otherwise; the flag's own spelling (`CFGUARD_SERVICES`, `CFGUARD_GROUP_ID`) keeps working.
 */
export const VARIABLE_RULE = "each setting's variable is CFGUARD_ + the Lambda's variable name (CFGUARD_PORTS, CFGUARD_SERVICE, CFGUARD_INSTANCE_SECURITY_GROUP_ID)";

/** The flag spelling of a Lambda variable name: `INSTANCE_SECURITY_GROUP_ID` -> `instance-security-group-id`. */
const flagSpelling = (env: string) => env.toLowerCase().replace(/_/g, '-');

/**
 * Help text is read in a terminal: the settings table's Markdown (written for the README) becomes
 * plain text. A link to a README section names the section; code spans lose their backticks.
 */
export function plainText(markdown: string): string {
  return markdown.replace(/\[([^\]]+)\]\(#[^)]*\)/g, 'README: $1').replace(/`([^`]*)`/g, '$1');
}
export const GLOBAL_GROUP = 'Global options:';

/**
 * A text flag without a yargs default: unset, the run reads undefined and takes the value from the
 * config file or its own rule, which `shown` says in --help.
 */
export function textFlag(describe: string, shown: string) {
  return { type: 'string', describe, default: undefined, defaultDescription: shown } as const;
}

export const GLOBAL_OPTIONS: OptionTable = {
  config: textFlag('The app configuration file [env CFGUARD_CONFIG]', 'cfguard.config.json, if present'),
  profile: textFlag('AWS shared-config profile (the standard credential chain otherwise)', 'AWS_PROFILE / default chain'),
  'endpoint-url': textFlag(
    'EC2 endpoint override, EC2 only (AWS_ENDPOINT_URL_EC2 too); STS, Service Quotas, Lambda and SSM follow AWS_ENDPOINT_URL_STS, _SERVICE_QUOTAS, _LAMBDA, _SSM',
    'AWS_ENDPOINT_URL_EC2, else AWS',
  ),
  'ip-ranges': textFlag('ip-ranges.json to use: an http(s) URL or a local file', 'the official URL'),
  json: { type: 'boolean', describe: 'Print one JSON document on stdout; everything else goes to stderr', default: false },
  header: { type: 'boolean', describe: "Tables' header line, kept when piped too; --no-header drops it (for cut, awk)", default: true },
  debug: { type: 'boolean', describe: 'Stack traces on errors, and debug lines on stderr [env CFGUARD_DEBUG]', default: false },
};

/** The yargs options for the setting flags. */
export function settingOptions(): Record<string, Options> {
  const options: Record<string, Options> = {};
  for (const name of SETTING_FLAG_NAMES) {
    const row = SETTINGS[name];
    const aliases = [...(row.flagAliases ?? [])];
    if (flagSpelling(row.env) !== row.flag && !aliases.includes(flagSpelling(row.env))) aliases.push(flagSpelling(row.env));
    options[row.flag] = {
      type: row.switch ? 'boolean' : 'string',
      describe: plainText(`${row.doc} [env CFGUARD_${row.env}; config ${row.configPath}]`),
      default: undefined,
      defaultDescription: plainText(row.defaultText),
      ...(aliases.length > 0 ? { alias: aliases } : {}),
    };
  }
  return options;
}

/** `--rules-per-group`. */
export function flagOf(setting: GuardSettingName): string {
  return `--${SETTINGS[setting].flag}`;
}

/** `CFGUARD_RULES_PER_GROUP`. */
export function cliEnvOf(setting: GuardSettingName): string {
  return `CFGUARD_${SETTINGS[setting].env}`;
}

/** The ingest openings, shared by `open-ingest` and `drift`. */
export const INGEST_OPTIONS = {
  'ingest-ports': textFlag("Ingest ports on the instance's own group, e.g. '1935/udp,1945/tcp'", 'config ingest.rules, else 1935/udp,1945/tcp'),
  'ingest-cidrs': textFlag('Sources allowed on the ingest ports (with --ingest-ports)', '0.0.0.0/0'),
} as const satisfies OptionTable;

export type IngestArgs = FlagsOf<typeof INGEST_OPTIONS>;
