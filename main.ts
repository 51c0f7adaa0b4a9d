import * as path from 'path';
import { App } from 'cdktf';
import { isGuardError } from './lambda-src/core/errors';
import { DEFAULT_CONFIG_FILE, loadAppConfig } from './lambda-src/config/app-config';
import { OriginGuardStack } from './constructs/stack';

/*
 * The CDKTF app: one stack from one config file. `cdktf synth` runs `node dist/main.js` (cdktf.json);
 * the config is CFGUARD_CONFIG, else cfguard.config.json in the working directory.
 */

export interface BuildOptions {
  /** The config file. @default - CFGUARD_CONFIG, else cfguard.config.json */
  readonly configPath?: string;
  /** Folder holding the bundled guard handler. @default - dist/lambda */
  readonly bundlePath?: string;
  /** Environment (CFGUARD_CONFIG, TF_CLOUD_ORGANIZATION, TF_WORKSPACE). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function configPathFrom(env: Readonly<Record<string, string | undefined>>): string {
  return path.resolve(env.CFGUARD_CONFIG || DEFAULT_CONFIG_FILE);
}

/** Adds the configured stack to `app`; throws GuardError on a bad config. */
export function buildStack(app: App, options: BuildOptions = {}): OriginGuardStack {
  const env = options.env ?? process.env;
  const configPath = path.resolve(options.configPath ?? configPathFrom(env));
  const config = loadAppConfig(configPath);
  return new OriginGuardStack(app, { config, configDir: path.dirname(configPath), bundlePath: options.bundlePath, env });
}

export interface MainOptions extends BuildOptions {
  /** Synth output folder. @default - CDKTF_OUTDIR (set by cdktf), else cdktf.out */
  readonly outdir?: string;
  /** Where error messages go. @default process.stderr */
  readonly stderr?: (line: string) => void;
}

/** Synthesizes; returns the exit code. A GuardError prints its message only (no stack trace). */
export function main(options: MainOptions = {}): number {
  const stderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  try {
    const app = new App({ outdir: options.outdir });
    buildStack(app, options);
    app.synth();
    return 0;
  } catch (e) {
    if (!isGuardError(e)) throw e;
    stderr(`cfguard: ${e.message} [${e.code}]`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main();
