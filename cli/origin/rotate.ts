import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { guardError } from '../../lambda-src/core/errors';
import { checkHttp, type HttpOutcome } from '../../lambda-src/aws/origin-http-check';
import type { StoredSecret } from '../../lambda-src/aws/ssm-secret-store';
import type { SentHeader } from '../../lambda-src/aws/distribution-header';
import type { OriginSecretTarget } from './target';
import { headerFor } from './verify';

/*
 * Rotation without downtime, in two phases with a verified wait between them:
 *   1. stage: write version N+1 = {current: new, previous: <what CloudFront sends>}; the origin's
 *      refresh picks it up and accepts both values; wait until it provably does.
 *   2. switch: deploy with originSecret.secretVersion at N+1, so CloudFront sends the new value; the
 *      config keeps N+1 only once CloudFront is seen sending it.
 * `retire` (separately, after the switch): drop the previous value, so the old secret stops working.
 * "What CloudFront sends" is always read from CloudFront (the origin's custom header in the
 * distribution's configuration), never inferred from the config file, which a failed or skipped
 * deploy leaves ahead of what is deployed.
 */

/**
 * - `steady`: CloudFront sends the newest version's value, the only one the origin accepts;
 * - `previous-still-accepted`: CloudFront sends the newest value and the origin still accepts an older one;
 * - `staged`: the newest version holds a new value with the one CloudFront sends as previous (phase 1 done);
 * - `unaccepted`: the newest version holds neither value CloudFront sends: after its next refresh the
 *   origin refuses CloudFront (a parameter written by hand); staging repairs it.
 */
export type RotationState = 'steady' | 'staged' | 'previous-still-accepted' | 'unaccepted';

export interface RotationPlan {
  readonly state: RotationState;
  readonly distributionId: string;
  readonly distributionStatus: string;
  /** The newest version when CloudFront sends its value; null when CloudFront sends an older version's value. */
  readonly sentVersion: number | null;
  readonly latestVersion: number;
  readonly steps: readonly string[];
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The one secret the distribution sends, without the `Bearer ` of the bearer shape; refused when it sends none or several. */
export function sentSecret(target: OriginSecretTarget, sent: SentHeader): string {
  if (sent.values.length === 0)
    throw guardError(
      'ORIGIN_HEADER_NOT_SENT',
      `distribution ${sent.distributionId} sends no ${target.headerName} header to its origins, so there is no secret to rotate: check --distribution-id (terraform output distribution_id) and --header-name / --header-shape, or deploy with originSecret.mode 'on'`,
      'usage',
      { distributionId: sent.distributionId, headerName: target.headerName },
    );
  if (sent.values.length > 1)
    throw guardError(
      'ORIGIN_HEADERS_DIFFER',
      `distribution ${sent.distributionId} sends ${sent.values.length} different ${target.headerName} values to its origins (${sent.originIds.join(', ')}): one rotation can keep only one of them accepted; deploy so every origin sends the value of one secretVersion, then rotate`,
      'usage',
      { distributionId: sent.distributionId, originIds: sent.originIds },
    );
  return secretIn(target, sent.values[0]);
}

/** The secret a header value carries: the value itself, or what follows `Bearer ` in the bearer shape. */
export function secretIn(target: Pick<OriginSecretTarget, 'headerShape'>, headerValue: string): string {
  return target.headerShape === 'bearer' && headerValue.startsWith('Bearer ') ? headerValue.slice('Bearer '.length) : headerValue;
}

export function rotationState(sent: string, latest: StoredSecret): RotationState {
  if (latest.value.current === sent) return latest.value.previous !== latest.value.current ? 'previous-still-accepted' : 'steady';
  return latest.value.previous === sent ? 'staged' : 'unaccepted';
}

/** Deployed and both reads saw one configuration: every edge sends what the configuration says. */
export function isSettled(sent: SentHeader): boolean {
  return sent.settled && sent.status === 'Deployed';
}

export function planRotation(target: OriginSecretTarget, sent: SentHeader, latest: StoredSecret, retire: boolean): RotationPlan {
  const value = sentSecret(target, sent);
  const state = rotationState(value, latest);
  const base = {
    state,
    distributionId: sent.distributionId,
    distributionStatus: sent.status,
    sentVersion: state === 'staged' || state === 'unaccepted' ? null : latest.version,
    latestVersion: latest.version,
  };
  if (retire) {
    if (state === 'staged' || state === 'unaccepted')
      throw guardError(
        'ROTATION_NOT_SWITCHED',
        `distribution ${sent.distributionId} still sends a value other than version ${latest.version}'s current one of '${target.parameterName}': retiring the previous value would cut CloudFront off; finish the rotation first (cfguard rotate-origin-secret --apply --deploy-command '<your deploy>'), then retire`,
        'usage',
        { distributionId: sent.distributionId, latestVersion: latest.version },
      );
    return {
      ...base,
      steps: state === 'steady' ? [] : [`retire: write version ${latest.version + 1} of ${target.parameterName} with the previous value dropped; the origin stops accepting it at its next refresh`],
    };
  }
  const next = state === 'staged' ? latest.version : latest.version + 1;
  const steps = [
    ...(state === 'staged'
      ? []
      : [
          `stage: write version ${next} of ${target.parameterName} = {current: <new random 256-bit value>, previous: <the value distribution ${sent.distributionId} sends now>}${state === 'unaccepted' ? `, which also repairs version ${latest.version}: it holds neither value CloudFront sends` : ''}`,
        ]),
    `wait: until ${target.originUrl} accepts the new value and still accepts the old one (the origin's refresh timer), and still refuses requests without ${target.headerName}`,
    `switch: deploy with originSecret.secretVersion ${next}, so CloudFront sends the new value; the config keeps ${next} once distribution ${sent.distributionId} is seen sending it`,
    ...(target.distributionUrl ? [`check: ${target.distributionUrl} through CloudFront`] : []),
    'later: cfguard rotate-origin-secret --retire-previous --apply drops the old value',
  ];
  return { ...base, steps };
}

/** Some edges may still send the previous configuration's value: no write is safe until every edge has the current one. */
export function deploying(target: OriginSecretTarget, sent: SentHeader) {
  return guardError(
    'DISTRIBUTION_DEPLOYING',
    `distribution ${sent.distributionId} is deploying (Status ${sent.status}${sent.settled ? '' : ', changed while it was read'}): some edges may still send the previous ${target.headerName} value, so nothing was written; wait until it is Deployed ('aws cloudfront wait distribution-deployed --id ${sent.distributionId}') and run again`,
    'external',
    { distributionId: sent.distributionId, status: sent.status },
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

/** Points the config file's originSecret.secretVersion at `version`, keeping every other key as written; returns a function that puts the file back as it was. */
export function writeSecretVersion(configFile: string, version: number): () => void {
  const before = readFileSync(configFile, 'utf8');
  const raw = JSON.parse(before) as Record<string, unknown>;
  const block = (raw.originSecret ?? {}) as Record<string, unknown>;
  raw.originSecret = { ...block, secretVersion: version };
  writeFileSync(configFile, `${JSON.stringify(raw, null, 2)}\n`);
  return () => writeFileSync(configFile, before);
}

/** Runs the operator's deploy command in a shell; its output goes to stderr, so stdout stays the report. */
export function runDeployCommand(command: string, cwd: string, env: NodeJS.ProcessEnv, stderr: { write(s: string): unknown }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => stderr.write(d.toString()));
    child.stderr.on('data', (d: Buffer) => stderr.write(d.toString()));
    child.on('error', (e) => reject(new DeployCommandFailure(command, e.message)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new DeployCommandFailure(command, `exit code ${code}`))));
  });
}

export class DeployCommandFailure extends Error {
  constructor(
    readonly command: string,
    readonly why: string,
  ) {
    super(`the deploy command '${command}' failed (${why})`);
  }
}
