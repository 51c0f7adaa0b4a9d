import { copyFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startSsmEmulator, type SsmEmulator } from '../../emulator/ssm';
import { tempDir } from '../support/cli-harness';
import { startFakeDistribution, startFakeOrigin, type FakeOrigin, type FakeServer, type OriginPolicy } from '../support/fake-origin';

/** One world per test: SSM emulator, a config file, the origin and CloudFront stand-ins, and a recorded "deploy". */

export const PARAMETER = '/cfguard/live/origin-secret';
/** What the first deploy writes: 64 hex characters, no previous. */
export const FIRST_SECRET = 'a1b2c3d4'.repeat(8);

export interface World {
  readonly emu: SsmEmulator;
  readonly dir: string;
  readonly configFile: string;
  /** The config as last deployed: the fake distribution reads its secretVersion. */
  readonly deployedFile: string;
  /** A deploy command: copies the config to what CloudFront reads. */
  readonly deployCommand: string;
  readonly origin: FakeOrigin;
  readonly distribution: FakeServer;
  /** Arguments every run needs: config, SSM endpoint, the two URLs, a short timeout. */
  readonly args: string[];
  close(): Promise<void>;
}

export async function startWorld(o: { policy: OriginPolicy; seed?: (emu: SsmEmulator) => void; originSecret?: Record<string, unknown> }): Promise<World> {
  const emu = await startSsmEmulator();
  (o.seed ?? ((e) => e.put(PARAMETER, JSON.stringify({ current: FIRST_SECRET, previous: '' }))))(emu);
  const dir = tempDir('cfguard-origin-secret-');
  const configFile = path.join(dir, 'cfguard.config.json');
  writeFileSync(
    configFile,
    `${JSON.stringify({ name: 'live', region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', instanceSecurityGroupId: 'sg-0123456789abcdef0', originSecret: { secretVersion: 1, ...o.originSecret } }, null, 2)}\n`,
  );
  const deployedFile = path.join(dir, 'deployed.json');
  copyFileSync(configFile, deployedFile);
  const origin = await startFakeOrigin(emu, PARAMETER, { policy: o.policy });
  const distribution = await startFakeDistribution(emu, PARAMETER, origin, deployedFile);
  const deployCommand = `node -e "require('fs').copyFileSync('cfguard.config.json', 'deployed.json')"`;
  return {
    emu,
    dir,
    configFile,
    deployedFile,
    deployCommand,
    origin,
    distribution,
    args: ['--config', configFile, '--ssm-endpoint-url', emu.endpoint, '--origin-url', origin.url, '--distribution-url', distribution.url, '--timeout-ms', '2000', '--json'],
    async close() {
      await origin.close();
      await distribution.close();
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

export async function getThrough(url: string, header?: Record<string, string>): Promise<number> {
  return (await fetch(url, { headers: header })).status;
}
