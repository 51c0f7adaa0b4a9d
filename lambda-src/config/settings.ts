import { badValueMessage, guardError, type GuardError } from '../core/errors';
import { EC2_RULES_TIMES_GROUPS_LIMIT } from '../core/quota';
import { SettingProblem } from './setting-parsers';
import { ENV_NAMES, SETTING_NAMES, SETTINGS, type GuardSettingName, type GuardSettings } from './settings-table';

export { EC2_RULES_TIMES_GROUPS_LIMIT };
export { AMAZON_IP_SPACE_CHANGED_TOPIC, DEFAULT_PREFIX_NAME, ENV_NAMES, OFFICIAL_IP_RANGES_URL, SETTINGS, type GuardSettingName, type GuardSettings } from './settings-table';

/** `'<name>[i]' must be <rule>, got <value>`: the one error for a bad setting, named as the user gave it. */
export function settingError(name: string, problem: SettingProblem): GuardError {
  const at = name + problem.path.map((i) => `[${i}]`).join('');
  return guardError('CONFIG_INVALID', `${badValueMessage(at, problem.rule, problem.value)}; fix the setting and run again`, 'usage', { setting: name });
}

/** One setting through its row's parser (the only one, whichever front end gave the value). */
export function parseSetting<K extends GuardSettingName>(setting: K, value: unknown, name: string): GuardSettings[K] {
  try {
    return SETTINGS[setting].parse(value);
  } catch (e) {
    throw e instanceof SettingProblem ? settingError(name, e) : e;
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
  const values: Record<string, unknown> = {};
  for (const setting of SETTING_NAMES) {
    const value = raw[setting];
    values[setting] = value === undefined ? SETTINGS[setting].default : parseSetting(setting, value, label(setting));
  }
  const settings = values as unknown as GuardSettings;
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
  const raw: Record<string, unknown> = {};
  for (const setting of SETTING_NAMES) {
    const value = env[envPrefix + ENV_NAMES[setting]];
    if (value !== undefined) raw[setting] = value;
  }
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
