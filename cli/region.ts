import { existsSync, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { guardError, type GuardError } from '../lambda-src/core/errors';

/*
 * The region when neither `--region`, CFGUARD_REGION nor the config file names one, resolved as the
 * aws CLI resolves it: AWS_REGION, AWS_DEFAULT_REGION, then the selected profile's `region` in the
 * shared config file (AWS_CONFIG_FILE, else ~/.aws/config). The profile is `--profile`, else
 * AWS_PROFILE, else `default`. Without this, `AWS_PROFILE=media` would plan in the wrong region.
 */

export interface FoundRegion {
  readonly region: string;
  /** Where it came from, as an error should name it. */
  readonly source: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function sharedConfigFile(env: Env): string {
  return env.AWS_CONFIG_FILE || path.join(env.HOME || os.homedir(), '.aws', 'config');
}

export function selectedProfile(profile: string | undefined, env: Env): string {
  return profile || env.AWS_PROFILE || 'default';
}

/** A profile's `region` in a shared config file: section `[profile <name>]`, or `[default]`. */
export function profileRegion(text: string, profile: string): string | undefined {
  const wanted = new Set(profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`]);
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      inSection = wanted.has(section[1].replace(/\s+/g, ' '));
      continue;
    }
    const setting = /^region\s*=\s*(\S+)$/.exec(line);
    if (inSection && setting && !/^\s/.test(raw)) return setting[1];
  }
  return undefined;
}

export function regionFromAwsConfig(profile: string | undefined, env: Env): FoundRegion | undefined {
  if (env.AWS_REGION) return { region: env.AWS_REGION, source: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' };
  const file = sharedConfigFile(env);
  if (!existsSync(file)) return undefined;
  const name = selectedProfile(profile, env);
  const region = profileRegion(readFileSync(file, 'utf8'), name);
  return region ? { region, source: `region of profile '${name}' in ${file}` } : undefined;
}

export function missingRegionError(profile: string | undefined, env: Env): GuardError {
  const name = selectedProfile(profile, env);
  return guardError(
    'CONFIG_INVALID',
    `no AWS region is set; pass --region (or CFGUARD_REGION), set 'region' in cfguard.config.json, export AWS_REGION, or add 'region = <region>' to profile '${name}' in ${sharedConfigFile(env)}`,
    'usage',
    { setting: 'region', profile: name },
  );
}
