/**
 * The CLI's contract, for every command, under the conditions operators' scripts meet:
 * GIVEN the tutorial's origin in the EC2 emulator
 * WHEN the built CLI runs each command with stdout closed early, the endpoint down, no credentials,
 * a bad region, an unknown flag, and `--json` with a usage error
 * THEN the exit code is the one promised (0 nothing to do, 1 error, 2 changes), stdout holds exactly
 * one JSON document (with --json) or nothing, and stderr holds exactly one `error CODE: message` line.
 */
import { writeFileSync } from 'fs';
import { createServer } from 'net';
import path from 'path';
import { COMMANDS } from '../../cli/command-list';
import { originFlags, runCli, tempDir, writeConfig, type CliRun } from '../support/cli-harness';
import { startOrigin, writes, type Origin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const FILE = rangesPath(MANIFEST[0].file);

/** Commands that never call EC2 (they read only the ranges document), so a dead endpoint or missing credentials cannot fail them. */
const OFFLINE: ReadonlySet<string> = new Set(['ranges', 'test-event']);
const ONLINE = ['reconcile', 'drift', 'status', 'import', 'open-ingest', 'cleanup'];
const NAMES = COMMANDS.map((c) => c.command);

/** A loopback port with nothing listening: connection refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function errorLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((l) => /^error [A-Z_]+: /.test(l));
}

/** stdout: nothing in text mode, exactly one JSON document with a top-level error in --json mode; stderr: one error line, no stack. */
function expectOneError(run: CliRun, json: boolean, code: string | RegExp, command: string | null): void {
  expect(run.code).toBe(1);
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

describe('the cfguard contract, command by command', () => {
  let origin: Origin;
  let flags: string[];
  let importConfig: string;
  /** The command and what it needs besides the origin's flags. */
  const withArgs = (command: string) => [command, ...(command === 'import' ? ['--config', importConfig] : [])];
  /** No credentials anywhere: no variables, empty shared files, no instance metadata, a fresh HOME. */
  let noCredentials: Record<string, string | undefined>;
  const credentials = { AWS_ACCESS_KEY_ID: 'AKIDCONTRACT', AWS_SECRET_ACCESS_KEY: 'contract' };
  beforeAll(async () => {
    origin = await startOrigin();
    flags = [...originFlags(origin), '--ip-ranges', FILE];
    // `import` maps construct paths named in the config file, so it needs one; the flags above still win.
    importConfig = writeConfig(tempDir(), { name: 'streaming-origin', region: 'eu-north-1', instanceId: origin.instanceId });
    const home = tempDir();
    writeFileSync(path.join(home, 'credentials'), '');
    writeFileSync(path.join(home, 'config'), '');
    noCredentials = {
      AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined,
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'), AWS_CONFIG_FILE: path.join(home, 'config'),
      AWS_EC2_METADATA_DISABLED: 'true', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined, HOME: home,
    };
  });
  afterAll(() => origin.close());

  test('the table covers every command the CLI has', () => {
    expect([...ONLINE, ...OFFLINE].sort()).toEqual([...NAMES].sort());
  });

  test.each(NAMES)('%s: stdout closed early ends quietly with the exit code it would have had', async (command) => {
    const open = await runCli([...withArgs(command), ...flags], { env: credentials });
    expect([0, 2]).toContain(open.code);
    expect(open.stdout).not.toBe('');
    for (const json of [false, true]) {
      const closed = await runCli([...withArgs(command), ...flags, ...(json ? ['--json'] : [])], { env: credentials, closeStdout: true });
      expect({ json, code: closed.code }).toEqual({ json, code: open.code });
      expect(closed.stderr).not.toMatch(/EPIPE|\n\s+at |^error /m);
    }
  });

  test.each(ONLINE)('%s: the endpoint down is one ENDPOINT_UNREACHABLE naming --endpoint-url, exit 1', async (command) => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const args = [...withArgs(command), ...flags.filter((_f, i) => i !== 1 && flags[i - 1] !== '--endpoint-url'), '--endpoint-url', endpoint];
    const [text, json] = await Promise.all([runCli(args, { env: credentials }), runCli([...args, '--json'], { env: credentials })]);
    expectOneError(text, false, 'ENDPOINT_UNREACHABLE', command);
    expectOneError(json, true, 'ENDPOINT_UNREACHABLE', command);
    expect(errorLines(text)[0]).toMatch(new RegExp(`cannot reach the EC2 endpoint ${endpoint} .*ECONNREFUSED.*--endpoint-url`));
  });

  test.each(ONLINE)('%s: missing credentials are one CREDENTIALS_MISSING saying how to provide them, exit 1, no writes', async (command) => {
    const before = origin.emu.snapshot();
    const [text, json] = await Promise.all([runCli([...withArgs(command), ...flags, '--apply'].filter((a) => a !== '--apply' || ['reconcile', 'cleanup', 'open-ingest', 'import'].includes(command)), { env: noCredentials }), runCli([...withArgs(command), ...flags, '--json'], { env: noCredentials })]);
    expectOneError(text, false, 'CREDENTIALS_MISSING', command);
    expectOneError(json, true, 'CREDENTIALS_MISSING', command);
    expect(errorLines(text)[0]).toMatch(/no AWS credentials .*pass --profile NAME, set AWS_PROFILE, export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    expect(origin.emu.snapshot()).toBe(before);
  });

  test.each([...OFFLINE])('%s: needs no endpoint and no credentials (exit 0 with both missing)', async (command) => {
    const run = await runCli([command, '--endpoint-url', `http://127.0.0.1:${await closedPort()}`, '--ip-ranges', FILE, '--json'], { env: noCredentials });
    expect(run.code).toBe(0);
    expect(run.json().command).toBe(command);
  });

  test.each(NAMES)('%s: a bad region is one error naming --region, exit 1, nothing asked of AWS', async (command) => {
    const args = [...withArgs(command), ...flags.filter((_f, i) => flags[i] !== 'eu-north-1'), '--region', 'mars-central-9x'];
    const [text, json] = await Promise.all([runCli(args, { env: credentials }), runCli([...args, '--json'], { env: credentials })]);
    expectOneError(text, false, /^error [A-Z_]+$/, command);
    expectOneError(json, true, /^error [A-Z_]+$/, command);
    expect(errorLines(text)[0]).toMatch(/--region/);
  });

  test.each(NAMES)('%s: an unknown flag is one USAGE with a did-you-mean, and --json still prints its one document', async (command) => {
    const [text, json] = await Promise.all([runCli([command, '--jsno', ...flags]), runCli([command, '--json', '--endpont-url', 'x', '--ip-ranges', FILE])]);
    expectOneError(text, false, 'USAGE', command);
    expect(errorLines(text)[0]).toBe(`error USAGE: unknown option '--jsno' (did you mean --json?). Run 'cfguard --help' for the commands and options.`);
    expectOneError(json, true, 'USAGE', command);
    expect(json.json().error.message).toMatch(/^unknown option '--endpont-url' \(did you mean --endpoint-url\?\)/);
  });

  test('a command\'s own flag mistyped gets its did-you-mean too (--aply), in text and --json', async () => {
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
