/**
 * The README is the user's manual; these checks keep it true: every npm script it names exists,
 * every cfguard command and flag it names is accepted (shown by --help), and the Troubleshooting
 * table lists exactly the error codes the code can emit.
 */
import { spawnSync } from 'child_process';
import { readFileSync, readdirSync, statSync } from 'fs';
import path from 'path';
import { buildGuardPolicy } from '../constructs/guard-iam';
import { ERROR_CODES } from '../lambda-src/core/errors';
import { FINDING_CODES } from '../lambda-src/core/findings';

const ROOT = path.resolve(__dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SCRIPTS = Object.keys(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts);
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

/** Inline code spans and fenced code lines: where commands are written. */
function codeFragments(text: string): string[] {
  const fenced = [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
  const inline = [...text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...fenced, ...inline];
}

function section(title: string): string {
  const start = README.indexOf(`## ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 3);
  return README.slice(start, end < 0 ? undefined : end);
}

/** `cfguard <command> [--flag ...]` uses, from any fragment (`npx cfguard` too). */
function cfguardUses(): { command: string; flags: string[] }[] {
  const uses: { command: string; flags: string[] }[] = [];
  for (const fragment of codeFragments(README)) {
    for (const m of fragment.matchAll(/(?:^|\s|\()(?:npx )?cfguard ([a-z][a-z-]*)((?:\s+\[?--?[a-z][a-z0-9-]*[^\]\s]*\]?(?:\s+[^-\s`][^\s`]*)?)*)/g)) {
      // `cfguard help settings` / `cfguard help drift` name a help page, not a command (checked in __tests__/cli/help-layout.test.ts).
      if (m[1] === 'help') continue;
      uses.push({ command: m[1], flags: [...m[2].matchAll(/--[a-z][a-z0-9-]*/g)].map((f) => f[0]) });
    }
  }
  return uses;
}

const help = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args, '--help'], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, out: r.stdout + r.stderr };
};

describe('the README is true to the code', () => {
  test('every `npm run <script>` it names exists in package.json', () => {
    const named = [...new Set([...README.matchAll(/npm run ([a-z][a-z0-9:-]*)/g)].map((m) => m[1]))];
    expect(named.length).toBeGreaterThanOrEqual(4);
    expect(named.filter((s) => !SCRIPTS.includes(s))).toEqual([]);
  });

  test('it opens with the two commands a new user needs, and .ci/run runs exactly the install and test ones', () => {
    const quick = section('Quick start');
    expect(quick).toMatch(/npm ci\nnpm test/);
    expect(quick).toMatch(/npm ci\nnpm run synth/);
    const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .filter((l) => /^npm /.test(l));
    expect(ci).toEqual(['npm ci', 'npm test']);
  });

  const uses = cfguardUses();
  const commands = [...new Set(uses.map((u) => u.command))].sort();

  test('it names every cfguard command there is, and only those', () => {
    const root = help([]);
    const commandsBlock = root.out.slice(root.out.indexOf('Commands:'), root.out.indexOf('\n\n', root.out.indexOf('Commands:')));
    const listed = [...commandsBlock.matchAll(/^ {2}cfguard ([a-z-]+)/gm)].map((m) => m[1]).sort();
    expect(listed.length).toBeGreaterThanOrEqual(8);
    expect(commands).toEqual(listed);
  });

  test.each(commands)('every flag the README gives `cfguard %s` is accepted by it (its --help shows it)', (command) => {
    const { code, out } = help([command]);
    expect(code).toBe(0);
    const flags = [...new Set(uses.filter((u) => u.command === command).flatMap((u) => u.flags))];
    expect(flags.filter((f) => !new RegExp(`(^|\\s|, )${f}(\\s|,|$)`, 'm').test(out))).toEqual([]);
  });

  test('every flag in the Configuration and CLI sections is a real cfguard flag', () => {
    // inline code only: fenced blocks also hold aws CLI commands, and their cfguard lines are checked above
    const text = (section('Configuration') + section('The `cfguard` CLI')).replace(/```[\s\S]*?```/g, '');
    const flags = [...new Set(codeFragments(text).flatMap((f) => [...f.matchAll(/(?:^|[\s[])(--[a-z][a-z0-9-]*)/g)].map((m) => m[1])))];
    expect(flags.length).toBeGreaterThan(15);
    const everyHelp = ['', ...commands].map((c) => help(c ? [c] : []).out).join('\n');
    expect(flags.filter((f) => !everyHelp.includes(f))).toEqual([]);
  });

  test('Troubleshooting lists exactly the error codes and the warning (finding) codes the code defines', () => {
    const listed = [...section('Troubleshooting').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual([...new Set([...Object.keys(ERROR_CODES), ...FINDING_CODES])].sort());
  });

  test('every error code raised anywhere in the source is defined (and so listed)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    for (const dir of ['lambda-src', 'constructs', 'cli']) walk(path.join(ROOT, dir));
    walk(ROOT + '/emulator'); // the emulator's codes are EC2's, not ours: excluded below
    const raised = new Set<string>();
    for (const f of files.filter((x) => !x.includes('/emulator/'))) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/(?:guardError|new GuardError)\(\s*'([A-Z_]+)'/g)) raised.add(m[1]);
      for (const m of src.matchAll(/\bcode: '([A-Z][A-Z_]+)'/g)) raised.add(m[1]);
    }
    expect(raised.size).toBeGreaterThan(10);
    expect([...raised].filter((c) => !(c in ERROR_CODES) && !(FINDING_CODES as readonly string[]).includes(c))).toEqual([]);
  });

  test('the Security model describes every statement of the IAM policy, and no other', () => {
    const input = {
      partition: 'aws',
      accountId: '123456789012',
      region: 'eu-north-1',
      functionName: 'f',
      prefixName: 'AUTOUPDATE_CF',
      vpcId: 'vpc-0123456789abcdef0',
      instanceId: 'i-0123456789abcdef0',
      failedEventsQueueArn: 'arn:aws:sqs:eu-north-1:123456789012:q',
    };
    // with and without the instance's own group: each has one statement the other lacks
    const withOwn = buildGuardPolicy({ ...input, ownGroupIds: ['sg-0123456789abcdef0'] });
    const policy = { Statement: [...buildGuardPolicy(input).Statement, ...withOwn.Statement.filter((st) => st.Sid === 'NameOwnGroupOnInterface')] };
    const described = [...section('Security model').matchAll(/^\| `([A-Z][A-Za-z0-9]+)`(?: \+ `([A-Z][A-Za-z0-9]+)`)? \|/gm)]
      .flatMap((m) => [m[1], m[2]])
      .filter(Boolean)
      .sort();
    expect(described).toEqual(policy.Statement.map((st) => st.Sid).sort());
  });
});
