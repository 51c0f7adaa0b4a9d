/**
 * The help screens: each command's own options first, the shared settings after them and on their
 * own page (`cfguard help settings`), plain text only, and one naming rule for the variables that
 * holds for every setting (CFGUARD_ + the Lambda's variable name; the flag's spelling works too).
 */
import { main } from '../../cli/main';
import { COMMANDS } from '../../cli/command-list';
import { buildParser, commandOptionKeys } from '../../cli/parser';
import { GLOBAL_GROUP, SETTING_FLAG_NAMES, settingOptions } from '../../cli/options';
import type { CliIo } from '../../cli/output';
import { SETTINGS } from '../../lambda-src/config/settings';

async function helpOf(args: string[]): Promise<string> {
  let out = '';
  const io: CliIo = { stdout: { write: (s: string) => (out += s), isTTY: false }, stderr: { write: () => true, isTTY: false }, cwd: process.cwd(), env: {} };
  expect(await main(args, io)).toBe(0);
  return out;
}

/** A group's heading line (`Global options:`) and the `--flag` names listed under it, in order. */
function groups(help: string): Array<{ heading: string; flags: string[] }> {
  return help
    .split('\n\n')
    .map((block) => block.split('\n'))
    .filter((lines) => /:$/.test(lines[0]) && lines[0] !== 'Examples:' && lines.slice(1).some((l) => /^\s+(-\w, )?--/.test(l)))
    .map((lines) => ({ heading: lines[0], flags: lines.slice(1).flatMap((l) => [...l.matchAll(/^ {2,6}(?:-\w, )?(--[a-z0-9-]+)/g)].map((m) => m[1])) }));
}

const commandsWithOptions = COMMANDS.map((c) => c.command).filter((c) => commandOptionKeys(c).length > 0);

describe('<command> --help', () => {
  test.each(commandsWithOptions)("%s --help lists the command's own options first, then the global options, then the settings", async (command) => {
    const help = await helpOf([command, '--help']);
    const shown = groups(help);
    expect(shown.map((g) => g.heading)).toEqual([`${command} options:`, GLOBAL_GROUP, expect.stringMatching(/^Settings \(.*cfguard help settings\):$/)]);
    expect(shown[0].flags).toEqual(commandOptionKeys(command).map((k) => `--${k}`));
  });

  test.each(COMMANDS.map((c) => c.command))('cfguard help %s is %s --help', async (command) => {
    expect(await helpOf(['help', command])).toBe(await helpOf([command, '--help']));
  });
});

describe('cfguard help settings', () => {
  test('lists every setting flag with its variable, CFGUARD_ + the Lambda name, and states the rule', async () => {
    const page = await helpOf(['help', 'settings']);
    expect(page).toContain("Names: each setting's variable is CFGUARD_ + the Lambda's variable name");
    for (const name of SETTING_FLAG_NAMES) {
      const row = SETTINGS[name];
      expect(page).toMatch(new RegExp(`^  --${row.flag}\\b.*\\[env CFGUARD_${row.env}; config ${row.configPath.replace('.', '\\.')}\\]`, 'm'));
    }
  });

  test('the root help points at it', async () => {
    expect(await helpOf(['--help'])).toContain('cfguard help settings lists them');
  });
});

describe('help is plain text', () => {
  const screens = ['--help', 'help settings', ...COMMANDS.map((c) => `${c.command} --help`)];
  test.each(screens)('cfguard %s has no Markdown (links, code spans, emphasis)', async (screen) => {
    const help = await helpOf(screen.split(' '));
    expect(help).not.toMatch(/\]\(|`|\*\*/);
  });

  test("the settings table's Markdown (a README link) becomes the section's name", () => {
    expect(settingOptions().services.describe).toContain('see README: Quotas)');
  });
});

describe('one naming rule for every setting variable', () => {
  /** argv as yargs parses `ranges` with these variables set (yargs reads process.env itself). */
  async function parsedWith(env: Record<string, string>): Promise<Record<string, unknown>> {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      let failure: string | undefined;
      const argv = await buildParser(['ranges'], (m, e) => (failure = m ?? e?.message)).parseAsync(['ranges'], { cli: { defer: () => undefined } });
      expect(failure).toBeUndefined();
      return argv as Record<string, unknown>;
    } finally {
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }
  const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const sample = (name: (typeof SETTING_FLAG_NAMES)[number]) => (SETTINGS[name].switch ? 'true' : `value-of-${name}`);

  test.each(SETTING_FLAG_NAMES)("%s: CFGUARD_ + the Lambda's variable sets it", async (name) => {
    const row = SETTINGS[name];
    const argv = await parsedWith({ [`CFGUARD_${row.env}`]: sample(name) });
    expect(argv[camel(row.flag)]).toBe(row.switch ? true : sample(name));
  });

  test.each(SETTING_FLAG_NAMES)("%s: the flag's own spelling as a variable keeps working", async (name) => {
    const row = SETTINGS[name];
    const argv = await parsedWith({ [`CFGUARD_${row.flag.replace(/-/g, '_').toUpperCase()}`]: sample(name) });
    expect(argv[camel(row.flag)]).toBe(row.switch ? true : sample(name));
  });
});
