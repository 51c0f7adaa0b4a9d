/**
 * Every usage error of the built CLI: exit 1, one line `error CODE: message` on stderr naming what is
 * wrong and how to fix it, nothing on stdout. No AWS is reached for any of these.
 */
import { writeFileSync } from 'fs';
import path from 'path';
import { COMMANDS } from '../../cli/command-list';
import { runCli, tempDir, writeConfig } from '../support/cli-harness';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const FILE = rangesPath(MANIFEST[0].file);
const HELP_HINT = " Run 'cfguard --help' for the commands and options.";

describe('cfguard usage errors', () => {
  test.each([
    ['an unknown command gets the nearest one', ['drif'], {}, `error USAGE: unknown command 'drif'. Did you mean drift?${HELP_HINT}`],
    ['a mistyped flag gets the nearest flag', ['ranges', '--prefx-name', 'X'], {}, `error USAGE: unknown option '--prefx-name' (did you mean --prefix-name?).${HELP_HINT}`],
    ["another command's flag is unknown here", ['ranges', '--close-public', '22'], {}, `error USAGE: unknown option '--close-public'.${HELP_HINT}`],
    ['no command at all', [], {}, `error USAGE: name a command: ${COMMANDS.map((c) => c.command).join(', ')}.${HELP_HINT}`],
    ['a stray positional argument', ['reconcile', 'now'], {}, `error USAGE: unexpected argument 'now'.${HELP_HINT}`],
    [
      'a CFGUARD_* variable that is no setting',
      ['ranges'],
      { CFGUARD_PREFIXNAME: 'X' },
      `error USAGE: environment variable CFGUARD_PREFIXNAME is not a cfguard setting; unset it (did you mean CFGUARD_PREFIX_NAME?).${HELP_HINT}`,
    ],
    [
      'a non-numeric quota flag names the flag',
      ['ranges', '--rules-per-group', 'lots'],
      {},
      'error CONFIG_INVALID: \'--rules-per-group\' must be a whole number from 1 to 1000, got "lots"; fix the setting and run again',
    ],
    [
      'a hexadecimal quota in the environment names the variable',
      ['ranges'],
      { CFGUARD_RULES_PER_GROUP: '0x3c' },
      'error CONFIG_INVALID: \'CFGUARD_RULES_PER_GROUP\' must be a whole number from 1 to 1000, got "0x3c"; fix the setting and run again',
    ],
    [
      'a quota in exponent notation is refused',
      ['ranges', '--groups-per-interface', '1e1'],
      {},
      'error CONFIG_INVALID: \'--groups-per-interface\' must be a whole number from 1 to 16, got "1e1"; fix the setting and run again',
    ],
    [
      "a quota out of range, judged by the Lambda's own validator",
      ['ranges', '--groups-per-interface', '17'],
      {},
      /^error CONFIG_INVALID: '--groups-per-interface' must be a whole number from 1 to 16, got "17"; fix the setting and run again$/,
    ],
    [
      'a bad setting in the environment names the variable',
      ['ranges'],
      { CFGUARD_SERVICE: 'S3' },
      /^error CONFIG_INVALID: 'CFGUARD_SERVICE' must list only CLOUDFRONT_ORIGIN_FACING and\/or CLOUDFRONT, got "S3"; fix the setting and run again$/,
    ],
    [
      "quotas whose product exceeds EC2's limit",
      ['ranges', '--rules-per-group', '200', '--groups-per-interface', '10'],
      {},
      /^error QUOTA_PRODUCT_LIMIT: '--rules-per-group' \(200\) x '--groups-per-interface' \(10\) = 2000, above EC2's limit of 1000/,
    ],
    ['a missing --config', ['ranges', '--config', 'missing.json'], {}, /^error CONFIG_INVALID: config file '.*missing\.json' does not exist; create it from the example cfguard\.config\.json/],
    ['a bad --concurrency', ['drift', '--concurrency', '0'], {}, "error USAGE: '--concurrency' must be a whole number of at least 1, got '0'"],
    [
      'an empty item in --close-public (a port left out?)',
      ['open-ingest', '--close-public', '22,,80'],
      {},
      "error USAGE: '--close-public' must be a comma-separated list of ports 1-65535 like '22,80', got '22,,80'",
    ],
    ['an unreadable --ip-ranges file', ['ranges', '--ip-ranges', 'nope.json'], {}, /^error CONFIG_INVALID: the ip-ranges file must be a readable file, got '.*nope\.json' \(ENOENT\)/],
    [
      'a bad --distribution-id',
      ['import', '--distribution-id', 'dist-1'],
      {},
      "error USAGE: '--distribution-id' must be a CloudFront distribution id: 'E' and 13 or 14 uppercase letters and digits, like 'E2QWRUHEXAMPLE' (the console's ID column), got 'dist-1'",
    ],
  ])('%s', async (_name, args, env, expected) => {
    const run = await runCli(args as string[], { env: env as Record<string, string> });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    if (typeof expected === 'string') expect(run.stderr).toBe(`${expected}\n`);
    else expect(run.stderr.trimEnd()).toMatch(expected);
  });

  test('a flag given twice takes its last value, not an INTERNAL error', async () => {
    const run = await runCli(['ranges', '--json', '--ip-ranges', 'nope.json', '--ip-ranges', FILE]);
    expect(run.code).toBe(0);
    expect(run.json().document.source).toBe(FILE);
  });

  test('an invalid config file is one CONFIG_INVALID naming the file, the JSON path, the rule and the value', async () => {
    const dir = tempDir();
    writeConfig(dir, { name: 'streaming-origin', region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', guard: { rulesPerGroup: 'lots' } });
    // Picked up from the working directory, without --config.
    const run = await runCli(['ranges', '--ip-ranges', FILE], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error CONFIG_INVALID: .*cfguard\.config\.json: 'guard\.rulesPerGroup' must be a whole number from 1 to 1000, got "lots"; fix it in .*cfguard\.config\.json and run again\n$/,
    );
    writeFileSync(path.join(dir, 'broken.json'), '{ "name": ');
    const broken = await runCli(['ranges', '--config', 'broken.json'], { cwd: dir });
    expect(broken.stderr).toMatch(/^error CONFIG_INVALID: config file '.*broken\.json' must be valid JSON/);
  });

  test('--debug adds the stack; --json adds one error document on stdout', async () => {
    const debug = await runCli(['ranges', '--debug', '--ip-ranges', 'nope.json']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^error CONFIG_INVALID: the ip-ranges file/);
    expect(debug.stderr).toMatch(/\n\s+at .*ip-ranges-fetch\.ts/);
    const json = await runCli(['ranges', '--json', '--ip-ranges', 'nope.json']);
    expect(json.code).toBe(1);
    expect(json.json()).toEqual({
      command: 'ranges',
      status: 'error',
      exitCode: 1,
      error: { code: 'CONFIG_INVALID', kind: 'usage', message: expect.stringMatching(/^the ip-ranges file must be a readable file/), details: expect.objectContaining({ code: 'ENOENT' }) },
    });
  });

  test('--help documents the commands, the settings and the exit codes; each command has its own help', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    for (const command of ['reconcile', 'drift', 'status', 'import', 'open-ingest', 'cleanup', 'test-event', 'ranges']) expect(help.stdout).toMatch(new RegExp(`^  cfguard ${command} `, 'm'));
    expect(help.stdout).toContain('Exit codes (as terraform plan -detailed-exitcode):');
    expect(help.stdout).toMatch(/^\s+2\s+changes pending or drift found/m);
    expect(help.stdout).toMatch(/--rules-per-group\s+EC2 quota/);
    const drift = await runCli(['drift', '--help']);
    expect(drift.code).toBe(0);
    expect(drift.stdout).toMatch(/--targets\s+JSON file/);
    expect(drift.stdout).toMatch(/cfguard drift --targets accounts\.json --json/);
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
