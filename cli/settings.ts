import { existsSync } from 'fs';
import path from 'path';
import { DEFAULT_CONFIG_FILE, loadAppConfig, rawSettingsFromConfig, type AppConfig } from '../lambda-src/config/app-config';
import { resolveGuardSettings, SETTINGS, type GuardSettingName, type GuardSettings } from '../lambda-src/config/settings';
import { flagOf, SETTING_FLAG_NAMES, type GlobalArgs } from './options';
import type { CliIo } from './output';
import { missingRegionError, regionFromAwsConfig } from './region';
import { guardPortsForOrigin } from '../lambda-src/config/origin-port';
import { useSpelling } from './spelling';
import { guardedInstancesFromEnv } from '../lambda-src/config/guarded-instances';
import type { GuardedInstanceSettings } from '../lambda-src/core/ownership';

/*
 * One resolver for every command: flag > CFGUARD_* environment variable (yargs merges both into
 * argv) > config file > the table's defaults. Each value goes once through its settings-table
 * parser, the Lambda's own, so the CLI can never accept a value the deployed function would refuse;
 * errors name it the way the user gave it (the flag, the variable, or the file and its key).
 */

export interface LoadedConfig {
  readonly config: AppConfig;
  /** Absolute path of the file. */
  readonly path: string;
}

/** `--config` (or CFGUARD_CONFIG) must exist; the default `cfguard.config.json` is used only when present. */
export function loadCliConfig(argv: Pick<GlobalArgs, 'config'>, io: Pick<CliIo, 'cwd'>): LoadedConfig | undefined {
  const file = path.resolve(io.cwd, argv.config || DEFAULT_CONFIG_FILE);
  return argv.config || existsSync(file) ? { config: loadAppConfig(file), path: file } : undefined;
}

/** A setting's value as one target of `drift --targets` gives it, named the way the targets file spells it. */
export interface SettingOverride {
  readonly value: unknown;
  readonly source: string;
}

/** Which of the variables yargs reads for this setting holds exactly this value, if one does. */
function variableGiving(setting: GuardSettingName, value: unknown, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const row = SETTINGS[setting];
  const spellings = [row.env, row.flag, ...(row.flagAliases ?? [])].map((n) => `CFGUARD_${n.replace(/-/g, '_').toUpperCase()}`);
  return spellings.find((name) => env[name] !== undefined && env[name] === String(value));
}

/**
 * `regionRequired: false` (commands that make no AWS call) keeps the Lambda's default region instead
 * of refusing to run without one. `probeOnly: true` (verify-origin) reads `--ports` as the ports to
 * probe from where the command runs, not as the guard's ports, so it need not include the origin's.
 */
export function resolveCliSettings(
  argv: GlobalArgs,
  loaded: LoadedConfig | undefined,
  io: Pick<CliIo, 'cwd' | 'env'>,
  overrides: Partial<Record<GuardSettingName, SettingOverride>> = {},
  { regionRequired = true, probeOnly = false }: { readonly regionRequired?: boolean; readonly probeOnly?: boolean } = {},
): GuardSettings & GuardedInstanceSettings {
  const raw: Partial<Record<GuardSettingName, unknown>> = {};
  const from: Partial<Record<GuardSettingName, string>> = {};
  const give = (setting: GuardSettingName, value: unknown, source: string) => {
    raw[setting] = value;
    from[setting] = source;
  };
  if (loaded) {
    const shown = shownPath(loaded, io);
    for (const [setting, value] of Object.entries(rawSettingsFromConfig(loaded.config)) as [GuardSettingName, unknown][]) {
      if (value !== undefined) give(setting, value, `${shown}: ${SETTINGS[setting].configPath}`);
    }
  }
  for (const setting of SETTING_FLAG_NAMES) {
    const value = argv[setting];
    if (value !== undefined) give(setting, value, variableGiving(setting, value, io.env) ?? flagOf(setting));
  }
  if (argv.debug) give('debug', true, '--debug');
  for (const [setting, override] of Object.entries(overrides) as [GuardSettingName, SettingOverride | undefined][]) {
    if (override !== undefined && override.value !== undefined) give(setting, override.value, override.source);
  }
  if (raw.region === undefined) {
    const found = regionFromAwsConfig(argv.profile, io.env);
    if (found) give('region', found.region, found.source);
    else if (regionRequired) throw missingRegionError(argv.profile, io.env);
  }
  const spell = useSpelling((setting) => from[setting as GuardSettingName] ?? flagOf(setting as GuardSettingName));
  const settings = resolveGuardSettings(raw, spell);
  if (loaded && !probeOnly) guardPortsForOrigin(settings.ports, loaded.config.distribution, { ports: from.ports ?? flagOf('ports'), distribution: `${shownPath(loaded, io)}: distribution.` });
  return { ...settings, ...guardedInstancesOf(settings, loaded, io.env) };
}

/**
 * Every origin instance the stack guards, as the deployed function's GUARDED_INSTANCE_IDS lists
 * them: CFGUARD_GUARDED_INSTANCE_IDS when set, else the config's instance and its
 * `secondaryOrigin.instanceId` (when the instance is the config's, not another one given by flag).
 * None of these: `instanceId` alone, as before. The secondary's own group (GUARDED_OWN_GROUP_IDS)
 * comes the same way: CFGUARD_GUARDED_OWN_GROUP_IDS, else `secondaryOrigin.instanceSecurityGroupId`.
 */
function guardedInstancesOf(settings: GuardSettings, loaded: LoadedConfig | undefined, env: Readonly<Record<string, string | undefined>>): GuardedInstanceSettings {
  const fromEnv = guardedInstancesFromEnv(env, settings.instanceId, 'CFGUARD_');
  const secondary = loaded?.config.secondaryOrigin;
  const isConfigs = secondary?.instanceId !== undefined && settings.instanceId === loaded?.config.instanceId;
  const ownGroups = fromEnv.guardedOwnGroupIds ?? (isConfigs && secondary?.instanceSecurityGroupId ? [secondary.instanceSecurityGroupId] : undefined);
  const instances = fromEnv.guardedInstanceIds ?? (isConfigs ? [settings.instanceId!, secondary!.instanceId!] : undefined);
  return { ...(instances ? { guardedInstanceIds: instances } : {}), ...(ownGroups ? { guardedOwnGroupIds: ownGroups } : {}) };
}

/** The config file as messages name it: relative to the working directory. */
export function shownPath(loaded: LoadedConfig, io: Pick<CliIo, 'cwd'>): string {
  return path.relative(io.cwd, loaded.path) || loaded.path;
}
