/**
 * `main(args, io)` in-process (no spawn): fast checks of the wiring, the settings precedence
 * (flag > CFGUARD_* environment > config file), TTY rendering, and lazy loading for a fast --help.
 */
import { execFileSync } from 'child_process';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/output';
import path from 'path';
import { tempDir, writeConfig } from '../support/cli-harness';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

/** tsc's build of main.ts: Node loads its modules one by one, so require.cache shows what a run loaded (the shipped bundle's split is checked in architecture/cli-bundle.test.ts). */
const TSC_MAIN = path.resolve(__dirname, '../../dist/cli/main.js');

const FILE = rangesPath(MANIFEST[0].file);

function fakeIo(opts: { tty?: boolean; cwd?: string; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (s: string) => out.push(s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
    cwd: opts.cwd ?? tempDir(),
    env: opts.env ?? {},
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** Runs with CFGUARD_* variables set only for the call (yargs reads process.env itself). */
async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('main(args, io) in-process', () => {
  test('--help goes to the given stdout and returns 0', async () => {
    const t = fakeIo();
    expect(await main(['--help'], t.io)).toBe(0);
    expect(t.stdout()).toMatch(/^cfguard <command> \[options\]/);
    expect(t.stderr()).toBe('');
  });

  test('a usage error returns 1 with one line on the given stderr', async () => {
    const t = fakeIo();
    expect(await main(['rangez'], t.io)).toBe(1);
    expect(t.stderr()).toBe("error USAGE: unknown command 'rangez'. Did you mean ranges? Run 'cfguard --help' for the commands and options.\n");
    expect(t.stdout()).toBe('');
  });

  test('ranges --json: the document field by field', async () => {
    const t = fakeIo();
    expect(await main(['ranges', '--json', '--ip-ranges', FILE, '--cidrs'], t.io)).toBe(0);
    const doc = JSON.parse(t.stdout());
    const v = MANIFEST[0];
    expect(Object.keys(doc)).toEqual(['command', 'status', 'exitCode', 'document', 'services', 'selected', 'ports', 'rules', 'quotas', 'groupsNeeded', 'fits', 'cidrs']);
    expect(doc).toMatchObject({ command: 'ranges', status: 'ok', exitCode: 0, ports: ['80/tcp'], quotas: { rulesPerGroup: 60, groupsPerInterface: 5 }, groupsNeeded: 1, fits: true });
    expect(doc.document).toEqual({ source: FILE, syncToken: v.syncToken, createDate: v.createDate, md5: v.md5, bytes: v.bytes });
    expect(doc.services).toEqual({ CLOUDFRONT_ORIGIN_FACING: v.CLOUDFRONT_ORIGIN_FACING });
    expect(doc.selected).toEqual({ ipv4: v.CLOUDFRONT_ORIGIN_FACING.v4, ipv6: 0, ipv6Opened: false });
    expect(doc.rules).toEqual({ ipv4: v.CLOUDFRONT_ORIGIN_FACING.v4, ipv6: 0, total: v.CLOUDFRONT_ORIGIN_FACING.v4 });
    expect(doc.cidrs.ipv4).toHaveLength(v.CLOUDFRONT_ORIGIN_FACING.v4);
    expect(doc.cidrs.ipv6).toEqual([]);
  });

  test('ranges with both services, IPv6 and two ports needs more groups than fit, and says so', async () => {
    const t = fakeIo();
    expect(await main(['ranges', '--json', '--ip-ranges', FILE, '--services', 'CLOUDFRONT_ORIGIN_FACING,CLOUDFRONT', '--ipv6', '--ports', '80/tcp,443/tcp'], t.io)).toBe(0);
    const doc = JSON.parse(t.stdout());
    expect(doc.rules.total).toBe((doc.selected.ipv4 + doc.selected.ipv6) * 2);
    expect(doc.groupsNeeded).toBe(Math.ceil(doc.rules.ipv4 / 60));
    expect(doc.fits).toBe(false);
    expect(t.stderr()).toMatch(/warning: the ranges need \d+ managed groups/);
  });

  test('settings precedence: a flag beats CFGUARD_* which beats the config file, which beats the default', async () => {
    const dir = tempDir();
    writeConfig(dir, { name: 'streaming-origin', region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', guard: { rulesPerGroup: 20, groupsPerInterface: 4 } });
    const quotas = async (args: string[], env: Record<string, string> = {}) => {
      const t = fakeIo({ cwd: dir });
      expect(await withEnv(env, () => main(['ranges', '--json', '--ip-ranges', FILE, ...args], t.io))).toBe(0);
      return JSON.parse(t.stdout()).quotas;
    };
    expect(await quotas([])).toEqual({ rulesPerGroup: 20, groupsPerInterface: 4 });
    expect(await quotas([], { CFGUARD_RULES_PER_GROUP: '30' })).toEqual({ rulesPerGroup: 30, groupsPerInterface: 4 });
    expect(await quotas(['--rules-per-group', '40'], { CFGUARD_RULES_PER_GROUP: '30' })).toEqual({ rulesPerGroup: 40, groupsPerInterface: 4 });
    const t = fakeIo();
    expect(await main(['ranges', '--json', '--ip-ranges', FILE], t.io)).toBe(0);
    expect(JSON.parse(t.stdout()).quotas).toEqual({ rulesPerGroup: 60, groupsPerInterface: 5 });
  });

  test('on a TTY the text output is a coloured table; NO_COLOR turns colour off', async () => {
    const tty = fakeIo({ tty: true });
    await main(['ranges', '--ip-ranges', FILE], tty.io);
    expect(tty.stdout()).toMatch(/\u001b\[1mSERVICE\s+\u001b\[22m\s+\u001b\[1mIPV4/);
    const plain = fakeIo({ tty: true, env: { NO_COLOR: '1' } });
    await main(['ranges', '--ip-ranges', FILE], plain.io);
    expect(plain.stdout()).not.toMatch(/\u001b\[/);
    expect(plain.stdout()).toMatch(/^SERVICE\s+IPV4\s+IPV6$/m);
  });

  test('--help loads neither yargs nor the AWS SDK nor zod nor cdktf (yargs loads for a command, the rest when it runs)', () => {
    const script = `const io={stdout:{write(){}},stderr:{write(){}},cwd:process.cwd(),env:{}};require(${JSON.stringify(TSC_MAIN)}).main(['--help'],io).then(()=>{process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k)=>/node_modules\\/(yargs|yargs-parser|@aws-sdk|zod|cdktf|@cdktf)\\//.test(k))))})`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).toEqual([]);
  });

  test('the root --help (printed without yargs) lists every command, every global and setting flag, the examples and the exit codes', async () => {
    const { COMMANDS, ROOT_EXAMPLES } = await import('../../cli/command-list');
    const { GLOBAL_OPTIONS, settingOptions } = await import('../../cli/options');
    const t = fakeIo();
    expect(await main(['-h'], t.io)).toBe(0);
    const help = t.stdout();
    for (const c of COMMANDS) expect(help).toMatch(new RegExp(`^  cfguard ${c.command} +${c.describe.replace(/[()[\]?.*+]/g, '\\$&')}$`, 'm'));
    for (const flag of [...Object.keys(GLOBAL_OPTIONS), ...Object.keys(settingOptions())]) expect(help).toMatch(new RegExp(`^  --${flag}\\b`, 'm'));
    for (const [example] of ROOT_EXAMPLES) expect(help).toContain(example.replace('$0', 'cfguard'));
    expect(help).toContain('Exit codes (as terraform plan -detailed-exitcode):');
    // Every other help screen is yargs' own, with the command's flags.
    const drift = fakeIo();
    expect(await main(['drift', '--help'], drift.io)).toBe(0);
    expect(drift.stdout()).toMatch(/--targets/);
  });
});
