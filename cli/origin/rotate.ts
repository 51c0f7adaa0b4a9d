import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { guardError } from '../../lambda-src/core/errors';
import { checkHttp, type HttpOutcome } from '../../lambda-src/aws/origin-http-check';
import type { StoredSecret } from '../../lambda-src/aws/ssm-secret-store';
import type { OriginSecretTarget } from './target';
import { headerFor } from './verify';

/*
 * Rotation without downtime, in two phases with a verified wait between them:
 *   1. stage: write version N+1 = {current: new, previous: <what CloudFront sends>}; the origin's
 *      refresh picks it up and accepts both values; wait until it provably does.
 *   2. switch: point the config's originSecret.secretVersion at N+1 and deploy, so CloudFront sends
 *      the new value; check the path through the distribution.
 * `retire` (separately, after the switch): drop the previous value, so the old secret stops working.
 */

export type RotationState = 'steady' | 'staged' | 'previous-still-accepted';

export interface RotationPlan {
  readonly state: RotationState;
  readonly sentVersion: number;
  readonly latestVersion: number;
  readonly steps: readonly string[];
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function planRotation(target: OriginSecretTarget, sent: StoredSecret, latest: StoredSecret, retire: boolean, configFile?: string): RotationPlan {
  const state: RotationState = latest.value.current !== sent.value.current ? 'staged' : latest.value.previous !== latest.value.current ? 'previous-still-accepted' : 'steady';
  const where = configFile ? `in ${configFile}` : 'in the config';
  if (retire) {
    if (state === 'staged') throw notSwitched(target, sent, latest);
    return {
      state,
      sentVersion: sent.version,
      latestVersion: latest.version,
      steps: state === 'steady' ? [] : [`retire: write version ${latest.version + 1} of ${target.parameterName} with the previous value dropped; the origin stops accepting it at its next refresh`],
    };
  }
  const next = state === 'staged' ? latest.version : latest.version + 1;
  const steps = [
    ...(state === 'staged'
      ? []
      : [`stage: write version ${next} of ${target.parameterName} = {current: <new random 256-bit value>, previous: <the value CloudFront sends now, version ${sent.version}>}`]),
    `wait: until ${target.originUrl} accepts the new value and still accepts the old one (the origin's refresh timer), and still refuses requests without ${target.headerName}`,
    `switch: set originSecret.secretVersion to ${next} ${where} and deploy, so CloudFront sends the new value`,
    ...(target.distributionUrl ? [`check: ${target.distributionUrl} through CloudFront`] : []),
    'later: cfguard rotate-origin-secret --retire-previous --apply drops the old value',
  ];
  return { state, sentVersion: sent.version, latestVersion: latest.version, steps };
}

function notSwitched(target: OriginSecretTarget, sent: StoredSecret, latest: StoredSecret) {
  return guardError(
    'ROTATION_NOT_SWITCHED',
    `CloudFront still sends version ${sent.version} but version ${latest.version} of '${target.parameterName}' holds another value: finish the rotation (set originSecret.secretVersion to ${latest.version} and deploy) before retiring the previous value, or it would cut CloudFront off`,
    'usage',
    { sentVersion: sent.version, latestVersion: latest.version },
  );
}

export interface WaitOptions {
  readonly waitSeconds: number;
  readonly pollSeconds: number;
  readonly progress: (message: string) => void;
}

/** Polls until the origin accepts both values and refuses none; ROTATION_WAIT_TIMEOUT otherwise (nothing else changed). */
export async function waitUntilOriginAccepts(target: OriginSecretTarget, values: { newVersion: number; next: string; old: string }, o: WaitOptions): Promise<void> {
  const deadline = Date.now() + o.waitSeconds * 1000;
  let last: Record<string, HttpOutcome> = {};
  for (;;) {
    const [fresh, old, none] = await Promise.all([
      checkHttp(target.originUrl, headerFor(target, values.next), target.timeoutMs),
      checkHttp(target.originUrl, headerFor(target, values.old), target.timeoutMs),
      checkHttp(target.originUrl, undefined, target.timeoutMs),
    ]);
    last = { newValue: fresh.outcome, oldValue: old.outcome, withoutHeader: none.outcome };
    if (fresh.outcome === 'accepted' && old.outcome === 'accepted') return;
    if (Date.now() >= deadline) break;
    o.progress(`waiting for the origin to accept version ${values.newVersion} (new value: ${fresh.outcome}, old value: ${old.outcome})`);
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(o.pollSeconds * 1000, deadline - Date.now()))));
  }
  throw guardError(
    'ROTATION_WAIT_TIMEOUT',
    `the origin did not accept both the new value (version ${values.newVersion}) and the old one within ${o.waitSeconds}s (new: ${last.newValue}, old: ${last.oldValue}); CloudFront still sends the old value, so nothing is broken: check the origin's refresh (README, "The origin's side") and run rotate-origin-secret --apply again, which resumes here`,
    'external',
    { outcomes: last, version: values.newVersion },
  );
}

/** Points the config file's originSecret.secretVersion at `version`, keeping every other key as written. */
export function writeSecretVersion(configFile: string, version: number): void {
  const raw = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  const block = (raw.originSecret ?? {}) as Record<string, unknown>;
  raw.originSecret = { ...block, secretVersion: version };
  writeFileSync(configFile, `${JSON.stringify(raw, null, 2)}\n`);
}

/** Runs the operator's deploy command in a shell; its output goes to stderr, so stdout stays the report. */
export function runDeployCommand(command: string, cwd: string, env: NodeJS.ProcessEnv, stderr: { write(s: string): unknown }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => stderr.write(d.toString()));
    child.stderr.on('data', (d: Buffer) => stderr.write(d.toString()));
    child.on('error', (e) => reject(deployFailed(command, e.message)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(deployFailed(command, `exit code ${code}`))));
  });
}

function deployFailed(command: string, why: string) {
  return guardError(
    'DEPLOY_COMMAND_FAILED',
    `the deploy command '${command}' failed (${why}); the origin accepts both values, so nothing is broken: fix the deploy and run it, then 'cfguard verify-origin'`,
    'external',
    { command },
  );
}

export async function checkThroughDistribution(target: OriginSecretTarget): Promise<HttpOutcome | undefined> {
  if (!target.distributionUrl) return undefined;
  return (await checkHttp(target.distributionUrl, undefined, target.timeoutMs)).outcome;
}
