/**
 * `bin/cfguard.js`, the command `npx cfguard` runs: it builds the CLI bundle when there is none, and
 * rebuilds it when any source it is built from is newer (after a `git pull`), so the CLI never runs
 * older code than the Lambda `npm run deploy` ships; it runs the bundle in its own process. Exercised
 * on a tiny project of the same layout (a tsconfig, the CLI's entry source, the real scripts/bundle.js
 * and esbuild), so each build takes a second.
 */
import { spawnSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

let project: string;
const cliSource = () => path.join(project, 'cli', 'cfguard.ts');
const built = () => path.join(project, 'dist', 'cli', 'bundle', 'cfguard.mjs');

/** The CLI source prints `says` (and its arguments) and exits with `exitCode`; `secondsFromNow` sets its modification time. */
function writeSource(says: string, secondsFromNow: number, exitCode = 0): void {
  writeFileSync(cliSource(), `process.stdout.write([${JSON.stringify(says)}, ...process.argv.slice(2)].join(' ') + '\\n');\nprocess.exitCode = ${exitCode};\n`);
  const at = Date.now() / 1000 + secondsFromNow;
  utimesSync(cliSource(), at, at);
}

/** The build as it stood a minute ago. */
function backdateBuild(): void {
  const past = Date.now() / 1000 - 60;
  utimesSync(built(), past, past);
}

function npxCfguard(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(project, 'bin', 'cfguard.js'), ...args], { cwd: project, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  project = mkdtempSync(path.join(os.tmpdir(), 'cfguard-launcher-'));
  mkdirSync(path.join(project, 'bin'));
  mkdirSync(path.join(project, 'cli'));
  mkdirSync(path.join(project, 'scripts'));
  copyFileSync(path.join(ROOT, 'bin', 'cfguard.js'), path.join(project, 'bin', 'cfguard.js'));
  copyFileSync(path.join(ROOT, 'scripts', 'bundle.js'), path.join(project, 'scripts', 'bundle.js'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', outDir: 'dist', rootDir: '.', types: ['node'] }, include: ['cli/**/*.ts'] }),
  );
  const past = Date.now() / 1000 - 120;
  for (const file of ['tsconfig.json', path.join('scripts', 'bundle.js')]) utimesSync(path.join(project, file), past, past);
  writeSource('v1', -120);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('npx cfguard (bin/cfguard.js)', () => {
  test('GIVEN no dist/ THEN it builds once, says so, and runs the build', () => {
    const first = npxCfguard();
    expect(first).toEqual({ code: 0, stdout: 'v1\n', stderr: 'cfguard: first run in this clone: building the CLI with `npm run bundle` (once)\n' });
  });

  test('GIVEN dist/ newer than every source THEN it runs it without building', () => {
    const before = statSync(built()).mtimeMs;
    expect(npxCfguard()).toEqual({ code: 0, stdout: 'v1\n', stderr: '' });
    expect(statSync(built()).mtimeMs).toBe(before);
  });

  test('GIVEN a source changed after the build (a git pull) THEN it rebuilds, names the file, and runs the new code', () => {
    // As after a pull: the build is from before, the pulled source from now.
    backdateBuild();
    writeSource('v2', 0);
    const run = npxCfguard();
    expect(run).toEqual({ code: 0, stdout: 'v2\n', stderr: `cfguard: ${path.join('cli', 'cfguard.ts')} is newer than the CLI bundle: rebuilding with \`npm run bundle\`\n` });
    expect(npxCfguard()).toEqual({ code: 0, stdout: 'v2\n', stderr: '' });
  });

  test("GIVEN arguments and an exit code THEN the bundle, run in the launcher's own process, gets the arguments and the process exits with its code", () => {
    backdateBuild();
    writeSource('v3', 0, 2);
    expect(npxCfguard('drift', '--json').code).toBe(2);
    expect(npxCfguard('drift', '--json')).toEqual({ code: 2, stdout: 'v3 drift --json\n', stderr: '' });
  });

  test('GIVEN a source that no longer compiles THEN it says the build failed and exits 1, running nothing', () => {
    backdateBuild();
    writeFileSync(cliSource(), 'const x: number = ;\n');
    const run = npxCfguard();
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('v2');
    expect(run.stderr).toContain("cfguard: building the CLI failed (output above); run 'npm run bundle' to see why");
  });
});
