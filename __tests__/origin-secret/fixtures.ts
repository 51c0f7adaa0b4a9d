import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startCloudFrontEmulator, type CloudFrontEmulator } from '../../emulator/cloudfront';
import { startSsmEmulator, type SsmEmulator } from '../../emulator/ssm';
import { decodeOriginSecret } from '../../lambda-src/config/origin-secret';
import { tempDir } from '../support/cli-harness';
import { startFakeDistribution, startFakeOrigin, type FakeOrigin, type FakeServer, type OriginPolicy } from '../support/fake-origin';

/**
 * One world per test: the SSM and CloudFront emulators, a config file, the origin and a CloudFront
 * stand-in that sends what the emulated distribution's configuration says, and a deploy that
 * updates that distribution the way terraform does (__tests__/support/deploy-stand-in.js).
 */

export const PARAMETER = '/cfguard/live/origin-secret';
/** What the first deploy writes: 64 hex characters, no previous. */
export const FIRST_SECRET = 'a1b2c3d4'.repeat(8);
/** AWS's documentation's example id: the README's operator policy names it. */
export const DISTRIBUTION = 'EDFDVBD6EXAMPLE';
export const ORIGIN_ID = 'media-origin';
export const HEADER = 'X-Origin-Verify';

export type DeployMode = 'switch' | 'fail' | 'fail-after' | 'no-op';

export interface World {
  readonly emu: SsmEmulator;
  readonly cloudfront: CloudFrontEmulator;
  readonly dir: string;
  readonly configFile: string;
  /** A deploy command that does `mode` (see deploy-stand-in.js). */
  deploy(mode: DeployMode): string;
  readonly deployCommand: string;
  readonly origin: FakeOrigin;
  readonly distribution: FakeServer;
  /** Arguments every origin-secret command needs: config, SSM endpoint, the two URLs, a short timeout. */
  readonly args: string[];
  /** `args` plus rotate-origin-secret's own: the distribution and the CloudFront endpoint. */
  readonly rotateArgs: string[];
  close(): Promise<void>;
}

const DEPLOY_SCRIPT = path.resolve(__dirname, '..', 'support', 'deploy-stand-in.js');

export async function startWorld(o: { policy: OriginPolicy; seed?: (emu: SsmEmulator) => void; originSecret?: Record<string, unknown> }): Promise<World> {
  const emu = await startSsmEmulator();
  (o.seed ?? ((e) => e.put(PARAMETER, JSON.stringify({ current: FIRST_SECRET, previous: '' }))))(emu);
  const cloudfront = await startCloudFrontEmulator();
  // The first deploy: CloudFront sends version 1's current value (a placeholder when the seed is unreadable).
  const deployed = decodeOriginSecret(emu.value(PARAMETER, 1) ?? '')?.current ?? 'unreadable-parameter-value';
  cloudfront.seed(DISTRIBUTION, [{ id: ORIGIN_ID, domainName: 'ec2-203-0-113-10.eu-north-1.compute.amazonaws.com', customHeaders: { [HEADER]: deployed } }]);
  const dir = tempDir('cfguard-origin-secret-');
  const configFile = path.join(dir, 'cfguard.config.json');
  writeFileSync(
    configFile,
    `${JSON.stringify({ name: 'live', region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', instanceSecurityGroupId: 'sg-0123456789abcdef0', originSecret: { secretVersion: 1, ...o.originSecret } }, null, 2)}\n`,
  );
  const origin = await startFakeOrigin(emu, PARAMETER, { policy: o.policy });
  const distribution = await startFakeDistribution(origin, () => cloudfront.originHeaders(DISTRIBUTION).find((h) => h.originId === ORIGIN_ID)?.headers ?? []);
  const deploy = (mode: DeployMode) => `node "${DEPLOY_SCRIPT}" ${mode} ${cloudfront.endpoint} ${emu.endpoint} ${DISTRIBUTION} ${PARAMETER} ${ORIGIN_ID} ${HEADER}`;
  const args = ['--config', configFile, '--ssm-endpoint-url', emu.endpoint, '--origin-url', origin.url, '--distribution-url', distribution.url, '--timeout-ms', '2000', '--json'];
  return {
    emu,
    cloudfront,
    dir,
    configFile,
    deploy,
    deployCommand: deploy('switch'),
    origin,
    distribution,
    args,
    rotateArgs: [...args, '--distribution-id', DISTRIBUTION, '--cloudfront-endpoint-url', cloudfront.endpoint],
    async close() {
      await origin.close();
      await distribution.close();
      await cloudfront.close();
      await emu.close();
    },
  };
}

/** Every secret the parameter has ever held: none may appear in the CLI's output. */
export function allSecrets(emu: SsmEmulator): string[] {
  const out: string[] = [];
  for (let v = 1; v <= (emu.latestVersion(PARAMETER) ?? 0); v++) {
    const parsed = JSON.parse(emu.value(PARAMETER, v) ?? '{}') as { current?: string; previous?: string };
    for (const s of [parsed.current, parsed.previous]) if (s) out.push(s);
  }
  return out;
}

export function expectNoSecretIn(text: string, emu: SsmEmulator): void {
  for (const s of allSecrets(emu)) expect(text).not.toContain(s);
}

/** Each value some CloudFront edge may send now that the origin would refuse, per the parameter's newest version (what the origin's refresh fetches). */
export function refusedSends(w: Pick<World, 'emu' | 'cloudfront'>): string[] {
  const newest = decodeOriginSecret(w.emu.value(PARAMETER) ?? '');
  const accepted = newest ? [newest.current, newest.previous] : [];
  const sent = w.cloudfront.mayBeSent(DISTRIBUTION, HEADER);
  return sent.length === 0 ? ['<nothing sent>'] : sent.filter((v) => !accepted.includes(v)).map((v) => `${v.slice(0, 6)}…`);
}

export interface WriteWatch {
  /** One entry per write (SSM PutParameter, a change of what CloudFront sends): what the origin refused right after it. */
  readonly afterEachWrite: Array<{ readonly write: string; readonly refused: readonly string[] }>;
}

/**
 * The property every rotation keeps, checked after every write to SSM or CloudFront, whoever made
 * it (the CLI, the deploy, the test): the origin never refuses what CloudFront sends.
 */
export function watchEveryWrite(w: World): WriteWatch {
  const watch: WriteWatch = { afterEachWrite: [] };
  w.emu.onWrite((name) => watch.afterEachWrite.push({ write: `PutParameter ${name}`, refused: refusedSends(w) }));
  w.cloudfront.onChange((id) => watch.afterEachWrite.push({ write: `CloudFront ${id} ${w.cloudfront.status(id)}`, refused: refusedSends(w) }));
  return watch;
}

/** Every write so far, with nothing refused after any of them; returns how many there were. */
export function expectNothingRefusedAfterAnyWrite(watch: WriteWatch): number {
  expect(watch.afterEachWrite.filter((w) => w.refused.length > 0)).toEqual([]);
  return watch.afterEachWrite.length;
}

export async function getThrough(url: string, header?: Record<string, string>): Promise<number> {
  return (await fetch(url, { headers: header })).status;
}
