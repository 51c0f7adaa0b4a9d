/**
 * Runs the SHIPPED CLI (the bundle `dist/cli/bundle/cfguard.mjs`, built by `npm run bundle` before jest)
 * as a child process, the way an operator does (`npx cfguard` runs that bundle). Asynchronous on purpose: the EC2 emulator it talks to lives in this process.
 */
import { spawn } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import type { Origin } from './origin-fixture';

export const CLI_PATH = path.resolve(__dirname, '../../dist/cli/bundle/cfguard.mjs');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed: the command's one JSON document. */
  json<T = Record<string, any>>(): T;
}

export interface CliOptions {
  /** Layered over the test environment; undefined removes a variable. CFGUARD_* from outside never leak in. */
  readonly env?: Record<string, string | undefined>;
  /** @default a fresh empty folder, so no cfguard.config.json is picked up by accident */
  readonly cwd?: string;
  /** Close the read end of stdout at once, as `cfguard … | head -0` does: every write then fails with EPIPE. @default false */
  readonly closeStdout?: boolean;
}

export function tempDir(prefix = 'cfguard-cli-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  for (const key of Object.keys(env)) if (key.startsWith('CFGUARD_') || key === 'AWS_ENDPOINT_URL_EC2') delete env[key];
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: opts.cwd ?? tempDir(), env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  if (opts.closeStdout) child.stdout.destroy();
  else child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`stdout is not one JSON document (exit ${code}):\n${stdout}\n--- stderr ---\n${stderr}`);
          }
        },
      }),
    );
  });
}

/** The flags that point the CLI at an origin fixture: emulator endpoint, region, VPC, instance. */
export function originFlags(origin: Pick<Origin, 'emu' | 'vpcId' | 'instanceId'>): string[] {
  return ['--endpoint-url', origin.emu.endpoint, '--region', 'eu-north-1', '--vpc-id', origin.vpcId, '--instance-id', origin.instanceId];
}

/** Writes a config file into `dir` and returns its path. */
export function writeConfig(dir: string, config: object, name = 'cfguard.config.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}
