/**
 * The README's "Deploy for real" steps, in their written order, on a fresh clone: the tracked files
 * copied to a new folder with the installed node_modules linked in (what `npm ci` leaves) and no
 * dist/. Each `npx cfguard` step runs the package's bin exactly as npx does, before anything was
 * built; `cfguard preflight` runs for real against the emulators. The deploy itself needs terraform
 * and an AWS account, so that step is checked for its script only.
 */
import { execFileSync, spawn } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { MANIFEST, rangesPath } from '../emulator/shared-data';
import { startAccount } from './support/account-fixture';

const ROOT = path.resolve(__dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The numbered steps under "Deploy for real", each with the commands it names in backticks. */
function deploySteps(): { step: number; commands: string[] }[] {
  const block = README.slice(README.indexOf('Deploy for real'), README.indexOf('Other scripts:'));
  return [...block.matchAll(/^(\d+)\. ([\s\S]*?)(?=^\d+\. |$(?![\s\S]))/gm)].map((m) => ({
    step: Number(m[1]),
    commands: [...m[2].matchAll(/`((?:npm|npx) [^`]+)`/g)].map((c) => c[1]),
  }));
}

function freshClone(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cfguard-clone-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(path.join(ROOT, f)));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(dir, f));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the README's deploy steps", () => {
  const steps = deploySteps();

  test("are numbered in order: install, (import,) preflight, deploy, drift, close the tutorial's public ports", () => {
    expect(steps.map((s) => s.step)).toEqual(steps.map((_, i) => i + 1));
    const order = steps.flatMap((s) => s.commands);
    expect(order).toEqual(['npm ci', 'npx cfguard import', 'npx cfguard preflight', 'npm run deploy', 'npx cfguard drift', 'npx cfguard open-ingest --close-public 22,80 --apply']);
  });

  test('no step before the deploy needs a build: `npx cfguard` runs a committed launcher', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin.cfguard).toBe('bin/cfguard.js');
    const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'bin'], { cwd: ROOT, encoding: 'utf8' });
    expect(tracked.split('\n')).toContain('bin/cfguard.js');
    expect(pkg.scripts.deploy).toMatch(/^npm run build && npm run bundle && /);
  });

  test('run in their order on a fresh clone: the first cfguard step builds the CLI, preflight reads the account', async () => {
    const clone = freshClone();
    expect(existsSync(path.join(clone, 'dist'))).toBe(false);
    const bin = path.join(clone, 'bin', 'cfguard.js');
    const account = await startAccount();
    try {
      writeFileSync(
        path.join(clone, 'cfguard.config.json'),
        JSON.stringify({ name: 'media', region: 'eu-north-1', instanceId: account.origin.instanceId, instanceSecurityGroupId: account.origin.ownGroupId }),
      );
      const importHelp = await run(clone, [bin, 'import', '--help']);
      expect([importHelp.code, importHelp.stderr.split('\n')[0]]).toEqual([0, 'cfguard: first run in this clone: building the CLI with `npm run bundle` (once)']);
      expect(importHelp.stdout).toContain('cfguard import');
      expect(existsSync(path.join(clone, 'dist', 'cli', 'bundle', 'cfguard.mjs'))).toBe(true);
      const preflight = await run(clone, [bin, 'preflight', '--json', '--ip-ranges', rangesPath(MANIFEST[0].file), '--endpoint-url', account.origin.emu.endpoint], account.env);
      expect(preflight.stderr).not.toContain('building the CLI');
      expect([preflight.code, JSON.parse(preflight.stdout).status]).toEqual([0, 'ready']);
    } finally {
      await account.close();
    }
  }, 240_000);
});
