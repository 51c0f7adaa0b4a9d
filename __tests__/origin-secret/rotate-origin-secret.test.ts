import { readFileSync } from 'node:fs';
import { runCli } from '../support/cli-harness';
import { decodeOriginSecret } from '../../lambda-src/config/origin-secret';
import { expectNoSecretIn, FIRST_SECRET, getThrough, PARAMETER, startWorld, type World } from './fixtures';

/**
 * `cfguard rotate-origin-secret` end to end: the built CLI, SSM through the real client to the emulator, an origin
 * and a CloudFront stand-in on 127.0.0.1. After every phase: what the parameter holds, what the config names, what
 * CloudFront sends, and that the distribution still serves (no downtime).
 */

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const secretVersionIn = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { originSecret: { secretVersion: number } }).originSecret.secretVersion;
const valueAt = (w: World, version?: number) => decodeOriginSecret(w.emu.value(PARAMETER, version) ?? '')!;
const withHeader = (v: string) => ({ 'X-Origin-Verify': v });

test('GIVEN no --apply THEN the plan lists both phases, exits 2, and writes nothing', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['rotate-origin-secret', ...world.args]);
  expect(run.code).toBe(2);
  const doc = run.json();
  expect(doc).toMatchObject({ command: 'rotate-origin-secret', status: 'planned', state: 'steady', sentVersion: 1, latestVersion: 1, exitCode: 2 });
  expect(doc.steps.map((s: string) => s.split(':')[0])).toEqual(['stage', 'wait', 'switch', 'check', 'later']);
  expect(world.emu.latestVersion(PARAMETER)).toBe(1);
  expect(secretVersionIn(world.configFile)).toBe(1);
});

test('GIVEN an enforcing origin and a deploy command WHEN --apply THEN stage, verified wait, switch, check; CloudFront serves throughout', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['rotate-origin-secret', ...world.args, '--apply', '--poll-seconds', '0.1', '--wait-seconds', '5', '--deploy-command', world.deployCommand]);
  expect(run.code).toBe(0);
  expect(run.json()).toMatchObject({ status: 'switched', stagedVersion: 2, configUpdated: true, throughDistribution: 'accepted', exitCode: 0 });

  // Phase 1 wrote version 2: a new 256-bit value, the old one kept as previous.
  const v2 = valueAt(world, 2);
  expect(v2.previous).toBe(FIRST_SECRET);
  expect(v2.current).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);
  // Phase 2 pointed the config at version 2 and the deploy applied it: CloudFront now sends the new value.
  expect(secretVersionIn(world.configFile)).toBe(2);
  expect(secretVersionIn(world.deployedFile)).toBe(2);
  expect(world.distribution.seen.at(-1)).toBe(v2.current);
  expect(await getThrough(world.distribution.url)).toBe(200);
  // Both values work at the origin until the previous one is retired; no header still does not.
  expect(await getThrough(world.origin.url, withHeader(FIRST_SECRET))).toBe(200);
  expect(await getThrough(world.origin.url)).toBe(403);
  expectNoSecretIn(run.stdout + run.stderr, world.emu);

  const retire = await runCli(['rotate-origin-secret', ...world.args, '--retire-previous', '--apply']);
  expect(retire.code).toBe(0);
  expect(retire.json()).toMatchObject({ status: 'retired', writtenVersion: 3 });
  expect(valueAt(world, 3)).toEqual({ current: v2.current, previous: v2.current });
  expect(await getThrough(world.origin.url, withHeader(FIRST_SECRET))).toBe(403);
  expect(await getThrough(world.distribution.url)).toBe(200);
  expectNoSecretIn(retire.stdout + retire.stderr, world.emu);
});

test('GIVEN an origin that enforces only the old value WHEN --apply THEN the wait times out, CloudFront keeps the old value and serves; a rerun after the refresh resumes without a new version', async () => {
  world = await startWorld({ policy: 'frozen' });
  const run = await runCli(['rotate-origin-secret', ...world.args, '--apply', '--poll-seconds', '0.1', '--wait-seconds', '0.5', '--deploy-command', world.deployCommand]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error ROTATION_WAIT_TIMEOUT: the origin did not accept both the new value \(version 2\) and the old one within 0\.5s \(new: denied, old: accepted\)/m);
  // Staged, not switched: the config and the deployed config still say 1, CloudFront sends the old value and is served.
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);
  expect(valueAt(world, 2).previous).toBe(FIRST_SECRET);
  expect(secretVersionIn(world.configFile)).toBe(1);
  expect(secretVersionIn(world.deployedFile)).toBe(1);
  expect(await getThrough(world.distribution.url)).toBe(200);
  expect(world.distribution.seen.at(-1)).toBe(FIRST_SECRET);

  // The origin's refresh catches up; the rerun finds version 2 staged and finishes with it.
  world.origin.policy = 'enforcing';
  const plan = await runCli(['rotate-origin-secret', ...world.args]);
  expect(plan.json()).toMatchObject({ state: 'staged', sentVersion: 1, latestVersion: 2 });
  expect(plan.json().steps[0]).toMatch(/^wait:/);
  const rerun = await runCli(['rotate-origin-secret', ...world.args, '--apply', '--poll-seconds', '0.1', '--wait-seconds', '5', '--deploy-command', world.deployCommand]);
  expect(rerun.code).toBe(0);
  expect(rerun.json()).toMatchObject({ status: 'switched', stagedVersion: 2 });
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);
  expect(world.distribution.seen.at(-1)).toBe(valueAt(world, 2).current);
  expect(await getThrough(world.distribution.url)).toBe(200);
  expectNoSecretIn(run.stdout + run.stderr + rerun.stdout + rerun.stderr, world.emu);
});

test('GIVEN no deploy command WHEN --apply THEN it stages, waits, updates the config and exits 2 saying to deploy', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['rotate-origin-secret', ...world.args, '--apply', '--poll-seconds', '0.1', '--wait-seconds', '5']);
  expect(run.code).toBe(2);
  expect(run.json()).toMatchObject({ status: 'awaiting-deploy', stagedVersion: 2, configUpdated: true });
  expect(run.json().next).toContain('deploy now');
  expect(secretVersionIn(world.configFile)).toBe(2);
  expect(secretVersionIn(world.deployedFile)).toBe(1);
  expect(await getThrough(world.distribution.url)).toBe(200);
});

test('GIVEN a staged rotation not yet deployed WHEN --retire-previous --apply THEN ROTATION_NOT_SWITCHED and nothing is written', async () => {
  world = await startWorld({ policy: 'enforcing' });
  world.emu.put(PARAMETER, JSON.stringify({ current: 'N'.repeat(43), previous: FIRST_SECRET }));
  const run = await runCli(['rotate-origin-secret', ...world.args, '--retire-previous', '--apply']);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error ROTATION_NOT_SWITCHED: CloudFront still sends version 1 but version 2/m);
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);
  expect(await getThrough(world.distribution.url)).toBe(200);
});

test('GIVEN a deploy command that fails THEN DEPLOY_COMMAND_FAILED, and the origin still accepts both values', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['rotate-origin-secret', ...world.args, '--apply', '--poll-seconds', '0.1', '--wait-seconds', '5', '--deploy-command', 'node -e "process.exit(3)"']);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('error DEPLOY_COMMAND_FAILED: the deploy command \'node -e "process.exit(3)"\' failed (exit code 3)');
  expect(await getThrough(world.origin.url, withHeader(FIRST_SECRET))).toBe(200);
  expect(await getThrough(world.origin.url, withHeader(valueAt(world, 2).current))).toBe(200);
  expect(await getThrough(world.distribution.url)).toBe(200);
});

test('GIVEN a bad --wait-seconds THEN exit 1 USAGE before any SSM call', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['rotate-origin-secret', ...world.args, '--apply', '--wait-seconds', '-1']);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error USAGE: --wait-seconds must be from 0 to 86400, got -1/m);
  expect(world.emu.calls.slice(1)).toEqual([]);
});
