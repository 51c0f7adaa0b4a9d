import { readFileSync } from 'node:fs';
import { startCloudFrontEmulator } from '../../emulator/cloudfront';
import { runCli } from '../support/cli-harness';
import { decodeOriginSecret } from '../../lambda-src/config/origin-secret';
import {
  DISTRIBUTION,
  expectNoSecretIn,
  expectNothingRefusedAfterAnyWrite,
  FIRST_SECRET,
  getThrough,
  HEADER,
  ORIGIN_ID,
  PARAMETER,
  refusedSends,
  startWorld,
  watchEveryWrite,
  type World,
} from './fixtures';

/**
 * `cfguard rotate-origin-secret` end to end: the built CLI, SSM and CloudFront through the real
 * clients to their emulators, an origin and a CloudFront stand-in on 127.0.0.1 that sends what the
 * emulated distribution's configuration says, and a deploy that updates that distribution as
 * terraform does. After every write (the CLI's, the deploy's, the test's): the origin accepts
 * every value CloudFront may send. After every run: what the parameter holds, what the config names,
 * what CloudFront sends, and that the distribution still serves.
 */

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const secretVersionIn = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { originSecret: { secretVersion: number } }).originSecret.secretVersion;
const valueAt = (w: World, version?: number) => decodeOriginSecret(w.emu.value(PARAMETER, version) ?? '')!;
const withHeader = (v: string) => ({ [HEADER]: v });
const sentNow = (w: World) => w.cloudfront.mayBeSent(DISTRIBUTION, HEADER);
const FAST = ['--poll-seconds', '0.1', '--wait-seconds', '5'];

test('GIVEN no --apply THEN the plan reads what CloudFront sends, lists both phases, exits 2, and writes nothing', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['rotate-origin-secret', ...world.rotateArgs]);
  expect(run.code).toBe(2);
  const doc = run.json();
  expect(doc).toMatchObject({
    command: 'rotate-origin-secret',
    status: 'planned',
    state: 'steady',
    distributionId: DISTRIBUTION,
    distributionStatus: 'Deployed',
    sentVersion: 1,
    latestVersion: 1,
    exitCode: 2,
  });
  expect(doc.steps.map((s: string) => s.split(':')[0])).toEqual(['stage', 'wait', 'switch', 'check', 'later']);
  expect(world.emu.latestVersion(PARAMETER)).toBe(1);
  expect(secretVersionIn(world.configFile)).toBe(1);
  expect(world.cloudfront.calls).toEqual([
    { action: 'GetDistributionConfig', id: DISTRIBUTION },
    { action: 'GetDistribution', id: DISTRIBUTION },
  ]);
});

test('GIVEN AWS_ENDPOINT_URL_CLOUDFRONT instead of the flag THEN the CLI reads the emulated distribution', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['rotate-origin-secret', ...world.args, '--distribution-id', DISTRIBUTION], { env: { AWS_ENDPOINT_URL_CLOUDFRONT: world.cloudfront.endpoint } });
  expect(run.code).toBe(2);
  expect(run.json()).toMatchObject({ state: 'steady', distributionId: DISTRIBUTION });
  expect(world.cloudfront.calls.map((c) => c.action)).toEqual(['GetDistributionConfig', 'GetDistribution']);
});

test('GIVEN a deploy that switches WHEN --apply, then --retire-previous --apply THEN stage, wait, deploy, switch seen, retire; CloudFront is accepted after every write', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const watch = watchEveryWrite(world);
  const run = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', ...FAST, '--deploy-command', world.deploy('switch')]);
  expect(run.code).toBe(0);
  expect(run.json()).toMatchObject({ status: 'switched', stagedVersion: 2, configUpdated: true, distributionStatus: 'Deployed', throughDistribution: 'accepted', exitCode: 0 });

  // Phase 1 wrote version 2: a new 256-bit value, the value CloudFront sent kept as previous.
  const v2 = valueAt(world, 2);
  expect(v2.previous).toBe(FIRST_SECRET);
  expect(v2.current).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);
  // The deploy switched the distribution; the config keeps version 2 because that switch was seen.
  expect(sentNow(world)).toEqual([v2.current]);
  expect(world.cloudfront.originHeaders(DISTRIBUTION)).toEqual([{ originId: ORIGIN_ID, headers: [{ name: HEADER, value: v2.current }] }]);
  expect(secretVersionIn(world.configFile)).toBe(2);
  expect(world.distribution.seen.at(-1)).toBe(v2.current);
  expect(await getThrough(world.distribution.url)).toBe(200);
  expect(await getThrough(world.origin.url, withHeader(FIRST_SECRET))).toBe(200);
  expect(await getThrough(world.origin.url)).toBe(403);
  expectNoSecretIn(run.stdout + run.stderr, world.emu);

  const retire = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--retire-previous', '--apply']);
  expect(retire.code).toBe(0);
  expect(retire.json()).toMatchObject({ status: 'retired', writtenVersion: 3, configUpdated: false });
  expect(valueAt(world, 3)).toEqual({ current: v2.current, previous: v2.current });
  expect(await getThrough(world.origin.url, withHeader(FIRST_SECRET))).toBe(403);
  expect(await getThrough(world.distribution.url)).toBe(200);
  expectNoSecretIn(retire.stdout + retire.stderr, world.emu);
  // Writes: stage (v2), the deploy's UpdateDistribution, its deployment finishing, retire (v3).
  expect(expectNothingRefusedAfterAnyWrite(watch)).toBe(4);
});

test('GIVEN a failed deploy THEN DEPLOY_COMMAND_FAILED, the config still names what CloudFront sends, a retire is refused, and a rerun resumes with the same staged version', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const watch = watchEveryWrite(world);
  const failed = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', ...FAST, '--deploy-command', world.deploy('fail')]);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toMatch(/^error DEPLOY_COMMAND_FAILED: the deploy command '.*' failed \(exit code 3\); distribution EDFDVBD6EXAMPLE still sends the old value/m);
  expect(failed.stderr).toContain('originSecret.secretVersion is back as it was');
  // CloudFront still sends version 1; the config says so; the origin accepts both.
  expect(sentNow(world)).toEqual([FIRST_SECRET]);
  expect(secretVersionIn(world.configFile)).toBe(1);
  const v2 = valueAt(world, 2);
  expect(v2.previous).toBe(FIRST_SECRET);
  expect(await getThrough(world.distribution.url)).toBe(200);

  // Retiring now would drop the value CloudFront sends: refused, nothing written.
  const retire = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--retire-previous', '--apply']);
  expect(retire.code).toBe(1);
  expect(retire.stderr).toMatch(/^error ROTATION_NOT_SWITCHED: distribution EDFDVBD6EXAMPLE still sends a value other than version 2's current one/m);
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);

  // A rerun that fails again stages nothing new: version 2 still keeps what CloudFront sends as previous.
  const again = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', ...FAST, '--deploy-command', world.deploy('fail')]);
  expect(again.code).toBe(1);
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);
  expect(valueAt(world).previous).toBe(FIRST_SECRET);

  // The deploy fixed: the rerun resumes with version 2 and switches.
  const rerun = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', ...FAST, '--deploy-command', world.deploy('switch')]);
  expect(rerun.code).toBe(0);
  expect(rerun.json()).toMatchObject({ status: 'switched', state: 'staged', stagedVersion: 2, configUpdated: true });
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);
  expect(sentNow(world)).toEqual([v2.current]);
  expect(secretVersionIn(world.configFile)).toBe(2);
  expect(await getThrough(world.distribution.url)).toBe(200);
  expectNoSecretIn(failed.stderr + retire.stderr + again.stderr + rerun.stdout + rerun.stderr, world.emu);
  // Writes: stage (v2), the switch's update and its deployment finishing.
  expect(expectNothingRefusedAfterAnyWrite(watch)).toBe(3);
});

test('GIVEN a deploy that fails after updating CloudFront THEN DEPLOY_COMMAND_FAILED says CloudFront already sends the new value, and the config keeps it', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const watch = watchEveryWrite(world);
  const run = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', ...FAST, '--deploy-command', world.deploy('fail-after')]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(
    /^error DEPLOY_COMMAND_FAILED: the deploy command '.*' failed \(exit code 4\), but distribution EDFDVBD6EXAMPLE already sends version 2's value \(originSecret.secretVersion stays 2\)/m,
  );
  expect(sentNow(world)).toEqual([valueAt(world, 2).current]);
  expect(secretVersionIn(world.configFile)).toBe(2);
  expect(expectNothingRefusedAfterAnyWrite(watch)).toBe(3);
});

test('GIVEN a deploy that succeeds without switching CloudFront THEN DEPLOY_DID_NOT_SWITCH and the config is put back', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const watch = watchEveryWrite(world);
  const run = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', ...FAST, '--deploy-command', world.deploy('no-op')]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error DEPLOY_DID_NOT_SWITCH: the deploy command '.*' succeeded but distribution EDFDVBD6EXAMPLE still sends the old X-Origin-Verify value/m);
  expect(sentNow(world)).toEqual([FIRST_SECRET]);
  expect(secretVersionIn(world.configFile)).toBe(1);
  expect(expectNothingRefusedAfterAnyWrite(watch)).toBe(1);
});

test('GIVEN no deploy command THEN exit 2 with the config unchanged; a retire is refused until CloudFront is seen sending the new value, Deployed; then it retires and points the config at it', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const watch = watchEveryWrite(world);
  const run = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', ...FAST]);
  expect(run.code).toBe(2);
  expect(run.json()).toMatchObject({ status: 'awaiting-deploy', stagedVersion: 2, configUpdated: false });
  expect(run.json().next).toContain('set originSecret.secretVersion to 2');
  expect(secretVersionIn(world.configFile)).toBe(1);
  expect(sentNow(world)).toEqual([FIRST_SECRET]);

  const early = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--retire-previous', '--apply']);
  expect(early.code).toBe(1);
  expect(early.stderr).toMatch(/^error ROTATION_NOT_SWITCHED:/m);
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);

  // The operator deploys by hand (the config file untouched); while it propagates, edges send either value.
  world.cloudfront.deploymentReads = Infinity;
  const v2 = valueAt(world, 2);
  world.cloudfront.setOriginHeader(DISTRIBUTION, ORIGIN_ID, HEADER, v2.current);
  expect(sentNow(world).sort()).toEqual([FIRST_SECRET, v2.current].sort());
  const deploying = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--retire-previous', '--apply']);
  expect(deploying.code).toBe(1);
  expect(deploying.stderr).toMatch(/^error DISTRIBUTION_DEPLOYING: distribution EDFDVBD6EXAMPLE is deploying \(Status InProgress\)/m);
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);

  world.cloudfront.finishDeployment(DISTRIBUTION);
  const retire = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--retire-previous', '--apply']);
  expect(retire.code).toBe(0);
  expect(retire.json()).toMatchObject({ status: 'retired', writtenVersion: 3, configUpdated: true });
  expect(valueAt(world, 3)).toEqual({ current: v2.current, previous: v2.current });
  // The config named version 1, which CloudFront no longer sends: a later deploy must not bring it back.
  expect(secretVersionIn(world.configFile)).toBe(2);
  expect(await getThrough(world.distribution.url)).toBe(200);
  expect(refusedSends(world)).toEqual([]);
  // Writes: stage (v2), the deploy by hand, its deployment finishing, retire (v3).
  expect(expectNothingRefusedAfterAnyWrite(watch)).toBe(4);
});

test('GIVEN the distribution is deploying WHEN --apply THEN DISTRIBUTION_DEPLOYING and nothing is written', async () => {
  world = await startWorld({ policy: 'enforcing' });
  world.cloudfront.deploymentReads = Infinity;
  world.cloudfront.setOriginHeader(DISTRIBUTION, ORIGIN_ID, HEADER, FIRST_SECRET);
  const run = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', ...FAST, '--deploy-command', world.deploy('switch')]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error DISTRIBUTION_DEPLOYING:.*aws cloudfront wait distribution-deployed --id EDFDVBD6EXAMPLE/m);
  expect(world.emu.latestVersion(PARAMETER)).toBe(1);
  expect(world.cloudfront.calls.filter((c) => c.action === 'UpdateDistribution')).toEqual([]);
});

test('GIVEN a parameter whose newest version holds neither value CloudFront sends THEN the plan says so and --apply repairs it: previous is what CloudFront sends', async () => {
  world = await startWorld({ policy: 'enforcing' });
  world.emu.put(PARAMETER, JSON.stringify({ current: 'N'.repeat(43), previous: 'P'.repeat(43) }));
  expect(refusedSends(world)).toHaveLength(1);
  const plan = await runCli(['rotate-origin-secret', ...world.rotateArgs]);
  expect(plan.json()).toMatchObject({ state: 'unaccepted', sentVersion: null, latestVersion: 2 });
  expect(plan.json().steps[0]).toContain('repairs version 2');
  const watch = watchEveryWrite(world);
  const run = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', ...FAST]);
  expect(run.code).toBe(2);
  expect(valueAt(world, 3).previous).toBe(FIRST_SECRET);
  expect(expectNothingRefusedAfterAnyWrite(watch)).toBe(1);
});

test('GIVEN an origin that enforces only the old value WHEN --apply THEN the wait times out, CloudFront keeps the old value and serves; a rerun after the refresh resumes without a new version', async () => {
  world = await startWorld({ policy: 'frozen' });
  const run = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', '--poll-seconds', '0.1', '--wait-seconds', '0.5', '--deploy-command', world.deployCommand]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error ROTATION_WAIT_TIMEOUT: the origin did not accept both the new value \(version 2\) and the old one within 0\.5s \(new: denied, old: accepted\)/m);
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);
  expect(valueAt(world, 2).previous).toBe(FIRST_SECRET);
  expect(secretVersionIn(world.configFile)).toBe(1);
  expect(sentNow(world)).toEqual([FIRST_SECRET]);
  expect(await getThrough(world.distribution.url)).toBe(200);

  world.origin.policy = 'enforcing';
  const plan = await runCli(['rotate-origin-secret', ...world.rotateArgs]);
  expect(plan.json()).toMatchObject({ state: 'staged', sentVersion: null, latestVersion: 2 });
  expect(plan.json().steps[0]).toMatch(/^wait:/);
  const rerun = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--apply', ...FAST, '--deploy-command', world.deployCommand]);
  expect(rerun.code).toBe(0);
  expect(rerun.json()).toMatchObject({ status: 'switched', stagedVersion: 2 });
  expect(world.emu.latestVersion(PARAMETER)).toBe(2);
  expect(sentNow(world)).toEqual([valueAt(world, 2).current]);
  expect(await getThrough(world.distribution.url)).toBe(200);
  expectNoSecretIn(run.stdout + run.stderr + rerun.stdout + rerun.stderr, world.emu);
});

test.each([
  ['no --distribution-id', [], /^error USAGE: --distribution-id is required: the rotation reads the header CloudFront sends from the distribution itself/m],
  ['a malformed --distribution-id', ['--distribution-id', 'd111111abcdef8'], /^error USAGE: --distribution-id must be a CloudFront distribution id like 'EDFDVBD6EXAMPLE'/m],
  ['a bad --wait-seconds', ['--distribution-id', DISTRIBUTION, '--apply', '--wait-seconds', '-1'], /^error USAGE: --wait-seconds must be from 0 to 86400, got -1/m],
])('GIVEN %s THEN exit 1 USAGE before any SSM or CloudFront call', async (_what, extra, message) => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['rotate-origin-secret', ...world.args, '--cloudfront-endpoint-url', world.cloudfront.endpoint, ...extra]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(message);
  expect(world.emu.calls.slice(1)).toEqual([]);
  expect(world.cloudfront.calls).toEqual([]);
});

test('GIVEN a distribution CloudFront does not have THEN DISTRIBUTION_NOT_FOUND, naming the flag, and nothing is written', async () => {
  world = await startWorld({ policy: 'enforcing' });
  // Another account's CloudFront, say: it has no such distribution (the id stays the one the operator policy names).
  const empty = await startCloudFrontEmulator();
  try {
    const run = await runCli(['rotate-origin-secret', ...world.args, '--cloudfront-endpoint-url', empty.endpoint, '--distribution-id', DISTRIBUTION, '--apply']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error DISTRIBUTION_NOT_FOUND: CloudFront has no distribution 'EDFDVBD6EXAMPLE' \(GetDistributionConfig: NoSuchDistribution\); pass --distribution-id/m);
    expect(world.emu.latestVersion(PARAMETER)).toBe(1);
  } finally {
    await empty.close();
  }
});

test('GIVEN a distribution that sends no secret header THEN ORIGIN_HEADER_NOT_SENT and nothing is written', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['rotate-origin-secret', ...world.rotateArgs, '--header-name', 'X-Other-Header', '--apply']);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error ORIGIN_HEADER_NOT_SENT: distribution EDFDVBD6EXAMPLE sends no X-Other-Header header to its origins/m);
  expect(world.emu.latestVersion(PARAMETER)).toBe(1);
});
