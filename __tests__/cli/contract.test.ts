/**
 * The CLI's contract, for every command, under the conditions operators' scripts meet:
 * GIVEN the tutorial's origin in the EC2 emulator
 * WHEN the built CLI runs each command with stdout closed early, the endpoint down, no credentials,
 * a bad region, an unknown flag, and `--json` with a usage error
 * THEN the exit code is the one promised (0 nothing to do, 1 error, 2 changes), stdout holds exactly
 * one JSON document (with --json) or nothing, and stderr holds exactly one `error CODE: message` line.
 */
import { writeFileSync } from 'fs';
import path from 'path';
import { COMMANDS } from '../../cli/command-list';
import { originFlags, runCli, tempDir, writeConfig, type CliRun } from '../support/cli-harness';
import { startAccount, type Account } from '../support/account-fixture';
import { writes, type Origin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';
import { refusingPort } from '../support/tcp-listeners';

const FILE = rangesPath(MANIFEST[0].file);
const NAMES = COMMANDS.map((c) => c.command);

/** How each command reaches AWS: the EC2 endpoint (the origin's flags), STS first (preflight), SSM (the origin secret), CloudFront first (what the distribution sends), or not at all. */
type Reach = 'ec2' | 'sts' | 'ssm' | 'cloudfront' | 'offline';
const REACH: Record<string, Reach> = {
  preflight: 'sts',
  reconcile: 'ec2',
  drift: 'ec2',
  status: 'ec2',
  import: 'ec2',
  'open-ingest': 'ec2',
  cleanup: 'ec2',
  'verify-origin': 'ssm',
  'rotate-origin-secret': 'cloudfront',
  ranges: 'offline',
  'test-event': 'offline',
};
const ONLINE = NAMES.filter((n) => REACH[n] !== 'offline');
const OFFLINE = NAMES.filter((n) => REACH[n] === 'offline');

function errorLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((l) => /^error [A-Z_]+: /.test(l));
}

/** stdout: nothing in text mode, exactly one JSON document with a top-level error in --json mode; stderr: one error line, no stack. */
function expectOneError(run: CliRun, json: boolean, code: string | RegExp, command: string | null): void {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: expect.any(String) });
  const lines = errorLines(run);
  expect(lines).toHaveLength(1);
  expect(lines[0].split(':')[0]).toMatch(typeof code === 'string' ? new RegExp(`^error ${code}$`) : code);
  expect(run.stderr).not.toMatch(/\n\s+at |EPIPE|Error: /);
  if (!json) {
    expect(run.stdout).toBe('');
    return;
  }
  const doc = run.json();
  expect(doc).toMatchObject({ command, status: 'error', exitCode: 1, error: { code: lines[0].split(':')[0].replace('error ', ''), message: expect.any(String) } });
  expect(lines[0]).toBe(`error ${doc.error.code}: ${doc.error.message}`);
}

/** How the endpoint a command calls first is overridden, as its error names it. */
const OVERRIDE: Record<Exclude<Reach, 'offline'>, string> = { ec2: '--endpoint-url', ssm: '--ssm-endpoint-url', sts: 'AWS_ENDPOINT_URL_STS', cloudfront: '--cloudfront-endpoint-url' };

describe('the cfguard contract, command by command', () => {
  let account: Account;
  let origin: Origin;
  let flags: string[];
  let deadEndpoint: string;
  let importConfig: string;
  /** No credentials anywhere: no variables, empty shared files, no instance metadata, a fresh HOME. */
  let noCredentials: Record<string, string | undefined>;
  /** Credentials, and STS, Service Quotas and Lambda at their emulators (preflight's). */
  let credentials: Record<string, string>;

  /** The command and what it needs besides the origin's flags; SSM and the origin URL are loopback ports where nothing listens. */
  const withArgs = (command: string): string[] => {
    if (command === 'import') return [command, '--config', importConfig]; // it maps construct paths named in the config
    const secret = [command, '--parameter-name', '/cfguard/contract/origin-secret', '--origin-url', `${deadEndpoint}/live/index.m3u8`, '--ssm-endpoint-url', deadEndpoint];
    if (REACH[command] === 'ssm') return secret;
    if (REACH[command] === 'cloudfront') return [...secret, '--distribution-id', 'EDFDVBD6EXAMPLE', '--cloudfront-endpoint-url', deadEndpoint];
    return [command];
  };
  /** The same run with the command's AWS endpoint replaced by `endpoint`. */
  const endpointDown = (command: string, endpoint: string): string[] => {
    const base = [...withArgs(command), ...flags];
    const flag = REACH[command] === 'ssm' ? '--ssm-endpoint-url' : REACH[command] === 'cloudfront' ? '--cloudfront-endpoint-url' : '--endpoint-url';
    return [...base.filter((_a, i) => base[i] !== flag && base[i - 1] !== flag), flag, endpoint];
  };

  beforeAll(async () => {
    account = await startAccount();
    origin = account.origin;
    credentials = { AWS_ACCESS_KEY_ID: 'AKIDCONTRACT', AWS_SECRET_ACCESS_KEY: 'contract', ...account.env };
    flags = [...originFlags(origin), '--ip-ranges', FILE];
    deadEndpoint = `http://127.0.0.1:${await refusingPort()}`;
    importConfig = writeConfig(tempDir(), { name: 'streaming-origin', region: 'eu-north-1', instanceId: origin.instanceId });
    const home = tempDir();
    writeFileSync(path.join(home, 'credentials'), '');
    writeFileSync(path.join(home, 'config'), '');
    noCredentials = {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
      AWS_CONFIG_FILE: path.join(home, 'config'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      HOME: home,
      ...account.env,
    };
  });
  afterAll(() => account.close());

  test('the table covers every command the CLI has', () => {
    expect(Object.keys(REACH).sort()).toEqual([...NAMES].sort());
  });

  test.each(NAMES)('%s: stdout closed early ends quietly with the exit code (and error line) it would have had', async (command) => {
    const open = await runCli([...withArgs(command), ...flags], { env: credentials });
    if (REACH[command] !== 'ssm' && REACH[command] !== 'cloudfront') {
      expect([0, 2]).toContain(open.code);
      expect(open.stdout).not.toBe('');
    }
    for (const json of [false, true]) {
      const closed = await runCli([...withArgs(command), ...flags, ...(json ? ['--json'] : [])], { env: credentials, closeStdout: true });
      expect({ json, code: closed.code, errors: errorLines(closed) }).toEqual({ json, code: open.code, errors: errorLines(open) });
      expect(closed.stderr).not.toMatch(/EPIPE|\n\s+at /);
    }
  });

  test.each(ONLINE)('%s: the endpoint down is one ENDPOINT_UNREACHABLE naming the endpoint flag, exit 1', async (command) => {
    const endpoint = `http://127.0.0.1:${await refusingPort()}`;
    const args = endpointDown(command, endpoint);
    // Every service's endpoint down: the one the command calls first is the one named.
    const env = { ...credentials, AWS_ENDPOINT_URL_STS: endpoint, AWS_ENDPOINT_URL_SERVICE_QUOTAS: endpoint, AWS_ENDPOINT_URL_LAMBDA: endpoint };
    const [text, json] = await Promise.all([runCli(args, { env }), runCli([...args, '--json'], { env })]);
    expectOneError(text, false, 'ENDPOINT_UNREACHABLE', command);
    expectOneError(json, true, 'ENDPOINT_UNREACHABLE', command);
    const flag = OVERRIDE[REACH[command] as Exclude<Reach, 'offline'>];
    expect(errorLines(text)[0]).toMatch(new RegExp(`cannot reach the (EC2|SSM|STS|CloudFront) endpoint ${endpoint} .*ECONNREFUSED.*${flag}`));
  });

  test.each(ONLINE)('%s: missing credentials are one CREDENTIALS_MISSING saying how to provide them, exit 1, no writes', async (command) => {
    const before = origin.emu.snapshot();
    const [text, json] = await Promise.all([runCli([...withArgs(command), ...flags], { env: noCredentials }), runCli([...withArgs(command), ...flags, '--json'], { env: noCredentials })]);
    expectOneError(text, false, 'CREDENTIALS_MISSING', command);
    expectOneError(json, true, 'CREDENTIALS_MISSING', command);
    expect(errorLines(text)[0]).toMatch(/no AWS credentials .*pass --profile NAME, set AWS_PROFILE, export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    expect(origin.emu.snapshot()).toBe(before);
  });

  test.each(OFFLINE)('%s: needs no endpoint and no credentials (exit 0 with both missing)', async (command) => {
    const run = await runCli([command, '--endpoint-url', deadEndpoint, '--ip-ranges', FILE, '--json'], { env: noCredentials });
    expect(run.code).toBe(0);
    expect(run.json().command).toBe(command);
  });

  test.each(NAMES)('%s: a bad region is one error naming --region, exit 1, nothing asked of AWS', async (command) => {
    origin.emu.resetCalls();
    const args = [...withArgs(command), ...flags.filter((a) => a !== 'eu-north-1' && a !== '--region'), '--region', 'mars-central-9x'];
    const [text, json] = await Promise.all([runCli(args, { env: credentials }), runCli([...args, '--json'], { env: credentials })]);
    expectOneError(text, false, /^error [A-Z_]+$/, command);
    expectOneError(json, true, /^error [A-Z_]+$/, command);
    expect(errorLines(text)[0]).toMatch(/--region/);
    expect(origin.emu.calls).toEqual([]);
  });

  test.each(NAMES)('%s: an unknown flag is one USAGE with a did-you-mean, and --json still prints its one document', async (command) => {
    const [text, json] = await Promise.all([runCli([command, '--jsno', ...flags]), runCli([command, '--json', '--endpont-url', 'x', '--ip-ranges', FILE])]);
    expectOneError(text, false, 'USAGE', command);
    expect(errorLines(text)[0]).toBe(`error USAGE: unknown option '--jsno' (did you mean --json?). Run 'cfguard --help' for the commands and options.`);
    expectOneError(json, true, 'USAGE', command);
    expect(json.json().error.message).toMatch(/^unknown option '--endpont-url' \(did you mean --endpoint-url\?\)/);
  });

  test("a command's own flag mistyped gets its did-you-mean too (--aply), with --json", async () => {
    const run = await runCli(['reconcile', '--json', '--aply', ...flags]);
    expectOneError(run, true, 'USAGE', 'reconcile');
    expect(run.json().error.message).toMatch(/^unknown option '--aply' \(did you mean --apply\?\)/);
    expect(writes(origin.emu)).toEqual([]);
  });

  test('--json with no command at all is still one document (command null)', async () => {
    const run = await runCli(['--json']);
    expectOneError(run, true, 'USAGE', null);
  });
});
