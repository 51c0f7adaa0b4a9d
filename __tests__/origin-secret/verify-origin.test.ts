import { readFileSync, writeFileSync } from 'node:fs';
import { startFakeOrigin, type FakeOrigin, type OriginPolicy } from '../support/fake-origin';
import { runCli } from '../support/cli-harness';
import { acceptingListener, refusingPort, silentListener, type Listener } from '../support/tcp-listeners';
import { expectNoSecretIn, FIRST_SECRET, PARAMETER, startWorld, type World } from './fixtures';

/** `cfguard verify-origin` end to end: the built CLI, SSM through the real client to the emulator, HTTP servers on 127.0.0.1. */

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

test('GIVEN an origin that enforces the header WHEN verify-origin runs THEN exit 0, each check as expected, and the secret is never printed', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['verify-origin', ...world.args]);
  expect(run.code).toBe(0);
  const doc = run.json();
  expect(doc).toMatchObject({ command: 'verify-origin', status: 'enforced', exitCode: 0, parameter: PARAMETER, header: 'X-Origin-Verify', sentVersion: 1, latestVersion: 1 });
  expect(doc.checks.withoutHeader).toMatchObject({ outcome: 'denied', status: 403 });
  expect(doc.checks.withSentValue).toMatchObject({ outcome: 'accepted', status: 200 });
  expect(doc.checks.throughDistribution).toMatchObject({ outcome: 'accepted', status: 200 });
  expect(doc.checks.withStagedValue).toBeUndefined();
  // The header really went out: the origin saw CloudFront's value, from the CLI and through the stand-in distribution.
  expect(world.origin.seen.filter((v) => v === FIRST_SECRET).length).toBeGreaterThanOrEqual(2);
  expectNoSecretIn(run.stdout + run.stderr, world.emu);
  // After the seed (the first deploy's write): two reads, no write.
  expect(world.emu.calls.slice(1).map((c) => c.action)).toEqual(['GetParameter', 'GetParameter']);
  expect(world.emu.latestVersion(PARAMETER)).toBe(1);
});

test('GIVEN the text output THEN it is a table of checks and a verdict, without the secret', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['verify-origin', ...world.args.filter((a) => a !== '--json')]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^origin, no header\t.*\tdenied \(HTTP 403\)\tdenied\tok$/m);
  expect(run.stdout).toContain('origin enforces the header');
  expectNoSecretIn(run.stdout + run.stderr, world.emu);
});

test('GIVEN an origin that does not check the header (mode on) THEN exit 2 with "origin does not check the header yet"', async () => {
  world = await startWorld({ policy: 'not-enforcing' });
  const run = await runCli(['verify-origin', ...world.args]);
  expect(run.code).toBe(2);
  const doc = run.json();
  expect(doc.status).toBe('not-enforced');
  expect(doc.checks.withoutHeader.outcome).toBe('accepted');
  expect(doc.notes.join('\n')).toContain('origin does not check the header yet');
  expectNoSecretIn(run.stdout + run.stderr, world.emu);
});

test("GIVEN mode 'required' and an origin that does not check THEN exit 2 naming the open bypass", async () => {
  world = await startWorld({ policy: 'not-enforcing', originSecret: { mode: 'required' } });
  const run = await runCli(['verify-origin', ...world.args]);
  expect(run.code).toBe(2);
  expect(run.json().notes.join('\n')).toContain("'required' but the origin serves");
});

test('GIVEN mid-rotation with the origin enforcing only the old value THEN CloudFront still gets in (exit 0) and the staged value is reported refused', async () => {
  world = await startWorld({ policy: 'frozen' });
  world.emu.put(PARAMETER, JSON.stringify({ current: 'N'.repeat(43), previous: FIRST_SECRET }));
  const run = await runCli(['verify-origin', ...world.args]);
  expect(run.code).toBe(0);
  const doc = run.json();
  expect(doc).toMatchObject({ status: 'enforced', sentVersion: 1, latestVersion: 2 });
  expect(doc.checks.withStagedValue).toMatchObject({ outcome: 'denied', status: 403 });
  expect(doc.notes.join('\n')).toContain('do not deploy secretVersion 2');
  expectNoSecretIn(run.stdout + run.stderr, world.emu);
});

test("GIVEN an origin that refuses CloudFront's value THEN exit 1 ORIGIN_REJECTS_SECRET", async () => {
  world = await startWorld({ policy: 'frozen', seed: (e) => e.put(PARAMETER, JSON.stringify({ current: 'O'.repeat(43), previous: '' })) });
  world.emu.put(PARAMETER, JSON.stringify({ current: 'P'.repeat(43), previous: '' }));
  const run = await runCli(['verify-origin', ...world.args, '--secret-version', '2']);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error ORIGIN_REJECTS_SECRET: the origin refuses the value CloudFront sends \(version 2/m);
  expect(run.json()).toMatchObject({ status: 'error', error: { code: 'ORIGIN_REJECTS_SECRET' } });
  expectNoSecretIn(run.stdout + run.stderr, world.emu);
});

test('GIVEN an origin URL where nothing listens THEN exit 1 ORIGIN_UNREACHABLE with the way to run it on the instance', async () => {
  world = await startWorld({ policy: 'enforcing' });
  await world.origin.close();
  const run = await runCli(['verify-origin', ...world.args]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error ORIGIN_UNREACHABLE: the origin at http:\/\/127\.0\.0\.1:\d+\/live\/index\.m3u8 did not answer \(refused ECONNREFUSED\).*--origin-url http:\/\/127\.0\.0\.1/m);
});

test('GIVEN a secretVersion that does not exist THEN exit 1 ORIGIN_SECRET_INVALID naming the version', async () => {
  world = await startWorld({ policy: 'enforcing' });
  const run = await runCli(['verify-origin', ...world.args, '--secret-version', '7']);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`error ORIGIN_SECRET_INVALID: version 7 of parameter '${PARAMETER}' does not exist`);
});

test('GIVEN a parameter of the wrong shape THEN exit 1 ORIGIN_SECRET_INVALID, and its content is not echoed', async () => {
  world = await startWorld({ policy: 'enforcing', seed: (e) => e.put(PARAMETER, 'just-a-bare-secret-value-not-json-0123456789') });
  const run = await runCli(['verify-origin', ...world.args]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('error ORIGIN_SECRET_INVALID:');
  expect(run.stdout + run.stderr).not.toContain('just-a-bare-secret-value');
});

test("GIVEN originSecret.mode 'off' THEN exit 1 CONFIG_INVALID: there is no header to verify", async () => {
  world = await startWorld({ policy: 'enforcing', originSecret: { mode: 'off' } });
  const run = await runCli(['verify-origin', ...world.args]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("error CONFIG_INVALID: 'originSecret.mode' is 'off'");
  expect(world.emu.calls.slice(1)).toEqual([]);
});

test('GIVEN no config and no --origin-url THEN exit 1 USAGE naming the flag', async () => {
  const run = await runCli(['verify-origin', '--parameter-name', PARAMETER]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error USAGE: --origin-url is required/m);
});

describe('the TCP reachability probe from where verify-origin runs', () => {
  const listeners: Listener[] = [];
  afterEach(async () => {
    for (const l of listeners.splice(0)) await l.close();
  });

  test('GIVEN an origin port that accepts a connection from here THEN exit 2 directly-reachable, even with the header enforced', async () => {
    world = await startWorld({ policy: 'enforcing' });
    const open = await acceptingListener();
    listeners.push(open);
    const refused = await refusingPort();
    const run = await runCli(['verify-origin', ...world.args, '--probe-host', '127.0.0.1', '--ports', `${open.port}/tcp,${refused}/tcp,1935/udp`]);
    expect(run.code).toBe(2);
    const doc = run.json();
    expect(doc.status).toBe('directly-reachable');
    expect(doc.checks.tcp.map((t: { port: number; outcome: string }) => [t.port, t.outcome]).sort()).toEqual(
      [
        [open.port, 'open'],
        [refused, 'refused'],
      ].sort(),
    );
    expect(doc.notes.join('\n')).toContain(`TCP 127.0.0.1:${open.port} accepted a connection from this host`);
  });

  test('GIVEN origin ports that refuse or never answer THEN exit 0: the door is shut', async () => {
    world = await startWorld({ policy: 'enforcing' });
    const silent = await silentListener();
    listeners.push(silent);
    const refused = await refusingPort();
    const run = await runCli(['verify-origin', ...world.args.map((a) => (a === '2000' ? '600' : a)), '--probe-host', '127.0.0.1', '--ports', `${silent.port}/tcp,${refused}/tcp`]);
    expect(run.code).toBe(0);
    expect(
      run
        .json()
        .checks.tcp.map((t: { port: number; outcome: string }) => [t.port, t.outcome])
        .sort(),
    ).toEqual(
      [
        [refused, 'refused'],
        [silent.port, 'timeout'],
      ].sort(),
    );
  });

  test('GIVEN a loopback origin URL and no --probe-host THEN no probe runs, and the report says why', async () => {
    world = await startWorld({ policy: 'enforcing' });
    const run = await runCli(['verify-origin', ...world.args]);
    expect(run.json().checks.tcp).toEqual([]);
    expect(run.json().notes.join('\n')).toContain("no TCP probe: the origin URL's host 127.0.0.1 is loopback or private");
  });
});

describe('with a secondary origin in the config', () => {
  let second: FakeOrigin | undefined;
  afterEach(async () => {
    await second?.close();
    second = undefined;
  });
  /** The world's config plus secondaryOrigin; the secondary is another fake origin on 127.0.0.1 with its own policy. */
  async function withSecondary(primary: OriginPolicy, secondary: OriginPolicy) {
    world = await startWorld({ policy: primary });
    second = await startFakeOrigin(world.emu, PARAMETER, { policy: secondary });
    const config = JSON.parse(readFileSync(world.configFile, 'utf8'));
    writeFileSync(world.configFile, JSON.stringify({ ...config, secondaryOrigin: { instanceId: 'i-0fedcba9876543210', instanceSecurityGroupId: 'sg-0fedcba9876543210' } }));
    return second;
  }

  test('GIVEN both origins enforcing THEN exit 0 and each origin reported, the secondary checked at its own URL', async () => {
    const s = await withSecondary('enforcing', 'enforcing');
    const run = await runCli(['verify-origin', ...world!.args, '--secondary-origin-url', s.url]);
    expect(run.code).toBe(0);
    const doc = run.json();
    expect(doc).toMatchObject({ status: 'enforced', exitCode: 0 });
    expect(doc.origins.map((o: { role: string; originUrl: string; status: string }) => [o.role, o.originUrl, o.status])).toEqual([
      ['primary', world!.origin.url, 'enforced'],
      ['secondary', s.url, 'enforced'],
    ]);
    expect(doc.origins[1].checks.withoutHeader).toMatchObject({ url: s.url, outcome: 'denied', status: 403 });
    expect(doc.origins[1].checks.throughDistribution).toBeUndefined();
    expectNoSecretIn(run.stdout + run.stderr, world!.emu);
  });

  test('GIVEN the secondary not checking the header THEN exit 2, the top-level status is the secondary’s, and the text names the secondary', async () => {
    const s = await withSecondary('enforcing', 'not-enforcing');
    const run = await runCli(['verify-origin', ...world!.args, '--secondary-origin-url', s.url]);
    expect(run.code).toBe(2);
    const doc = run.json();
    expect(doc).toMatchObject({ status: 'not-enforced', exitCode: 2 });
    expect(doc.origins.map((o: { status: string }) => o.status)).toEqual(['enforced', 'not-enforced']);
    const text = await runCli(['verify-origin', ...world!.args.filter((a) => a !== '--json'), '--secondary-origin-url', s.url]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('primary: origin enforces the header');
    expect(text.stdout).toContain('secondary: BYPASS OPEN: the origin does not check the header');
    expectNoSecretIn(text.stdout + text.stderr, world!.emu);
  });

  test('GIVEN no URL for the secondary THEN one usage error naming --secondary-origin-url, and nothing is requested', async () => {
    const s = await withSecondary('enforcing', 'enforcing');
    const run = await runCli(['verify-origin', ...world!.args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--secondary-origin-url is required with secondaryOrigin in the config');
    expect(s.seen).toEqual([]);
    expect(world!.origin.seen).toEqual([]);
  });
});
