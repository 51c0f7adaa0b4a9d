import { LAMBDA_SPELLING, type SettingSpelling } from '../lambda-src/core/errors';

/**
 * How this run's user gave each setting (the flag, the variable, or the file and its key; else the
 * flag): the CLI's spelling. The core names settings by id; the CLI applies this where it prints.
 * Kept apart from cli/settings.ts so that main.ts reads it without loading the config schema.
 */
let spelling: SettingSpelling | undefined;

/** Set once per run by the settings resolver; returns the spelling for its own use. */
export function useSpelling(spell: SettingSpelling): SettingSpelling {
  spelling = spell;
  return spell;
}

/** Before any settings are resolved, the core's own spelling stands. */
export function cliSpelling(): SettingSpelling {
  return spelling ?? LAMBDA_SPELLING;
}

/** How the CLI names a setting in its own messages. */
export function settingLabel(setting: string): string {
  return cliSpelling()(setting);
}
