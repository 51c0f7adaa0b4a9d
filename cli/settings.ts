import { existsSync } from 'fs';
import path from 'path';
import { DEFAULT_CONFIG_FILE, guardSettingsFromConfig, loadAppConfig, type AppConfig } from '../lambda-src/config/app-config';
import { guardError } from '../lambda-src/core/errors';
import { ENV_NAMES, resolveGuardSettings, settingsToEnv, type GuardSettingName, type GuardSettings } from '../lambda-src/config/settings';
import { configPathOf, flagName, SETTING_FLAGS, type GlobalArgs } from './options';
import type { CliIo } from './output';
import { missingRegionError, regionFromAwsConfig } from './region';

/*
 * One resolver for every command: flag > CFGUARD_* environment variable (yargs merges both into
 * argv) > config file > the Lambda's defaults. Validation is the Lambda's own
 * (`resolveGuardSettings`), so the CLI can never accept a value the deployed function would refuse.
 */

const NUMERIC: ReadonlySet<string> = new Set(['rulesPerGroup', 'groupsPerInterface', 'maxRevokeFraction']);

export interface LoadedConfig {
  readonly config: AppConfig;
  /** Absolute path of the file. */
  readonly path: string;
}

/** `--config` (or CFGUARD_CONFIG) must exist; the default `cfguard.config.json` is used only when present. */
export function loadCliConfig(argv: Pick<GlobalArgs, 'config'>, io: Pick<CliIo, 'cwd'>): LoadedConfig | undefined {
  if (argv.config !== undefined && argv.config !== '') {
    const file = path.resolve(io.cwd, argv.config);
    return { config: loadAppConfig(file), path: file };
  }
  const file = path.resolve(io.cwd, DEFAULT_CONFIG_FILE);
  return existsSync(file) ? { config: loadAppConfig(file), path: file } : undefined;
}

/** A setting's value as one target of `drift --targets` gives it, named the way the targets file spells it. */
export interface SettingOverride {
  readonly value: unknown;
  readonly source: string;
}

function rawFromConfig(loaded: LoadedConfig, io: Pick<CliIo, 'cwd'>): { raw: Record<string, unknown>; from: Record<string, string> } {
  const env = settingsToEnv(guardSettingsFromConfig(loaded.config));
  const raw: Record<string, unknown> = {};
  const from: Record<string, string> = {};
  const shown = path.relative(io.cwd, loaded.path) || loaded.path;
  for (const [name, envName] of Object.entries(ENV_NAMES)) {
    if (env[envName] === undefined) continue;
    raw[name] = env[envName];
    from[name] = `${shown}: ${configPathOf(name)}`;
  }
  return { raw, from };
}

/**
 * `regionRequired: false` (commands that make no AWS call) keeps the Lambda's default region instead
 * of refusing to run without one.
 */
export function resolveCliSettings(
  argv: GlobalArgs,
  loaded: LoadedConfig | undefined,
  io: Pick<CliIo, 'cwd' | 'env'>,
  overrides: Partial<Record<GuardSettingName, SettingOverride>> = {},
  { regionRequired = true }: { readonly regionRequired?: boolean } = {},
): GuardSettings {
  const { raw, from } = loaded ? rawFromConfig(loaded, io) : { raw: {} as Record<string, unknown>, from: {} as Record<string, string> };
  const args = argv as unknown as Record<string, unknown>;
  for (const name of Object.keys(SETTING_FLAGS)) {
    const value = args[name];
    if (value === undefined) continue;
    if (NUMERIC.has(name) && (typeof value !== 'string' || !/^\s*\d+(\.\d+)?\s*$/.test(value))) {
      // The shared validator would say "expected number, received NaN"; name the flag and the value instead.
      throw guardError('CONFIG_INVALID', `'${flagName(name)}' must be a number, got '${String(value)}'; fix the flag or the variable and run again`, 'usage', { setting: flagName(name) });
    }
    raw[name] = value;
    from[name] = flagName(name);
  }
  if (argv.debug) raw.debug = true;
  for (const [name, override] of Object.entries(overrides)) {
    if (override === undefined || override.value === undefined) continue;
    raw[name] = override.value;
    from[name] = override.source;
  }
  if (raw.region === undefined) {
    const found = regionFromAwsConfig(argv.profile, io.env);
    if (found) {
      raw.region = found.region;
      from.region = found.source;
    } else if (regionRequired) {
      throw missingRegionError(argv.profile, io.env);
    }
  }
  return resolveGuardSettings(raw, (name) => from[name] ?? flagName(name));
}
