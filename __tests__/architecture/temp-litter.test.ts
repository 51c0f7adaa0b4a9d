/**
 * Tests clean up after themselves (issue 23): the suite runs in its own TMPDIR, each test file's mkdtemp folders go
 * when the file ends, and the run fails naming anything left behind. Proven here on a tiny jest project that uses the
 * repository's own environment and global hooks.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SUPPORT = path.join(ROOT, '__tests__', 'support');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

function project(testBody: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfguard-litter-'));
  const config = {
    rootDir: dir,
    cacheDirectory: path.join(dir, '.jest-cache'),
    testMatch: ['**/*.test.js'],
    testEnvironment: path.join(SUPPORT, 'jest-environment.js'),
    globalSetup: path.join(SUPPORT, 'jest-global-setup.js'),
    globalTeardown: path.join(SUPPORT, 'jest-global-teardown.js'),
  };
  fs.writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify(config));
  fs.writeFileSync(path.join(dir, 'scratch.test.js'), `const fs = require('fs'), os = require('os'), path = require('path');\n${testBody}\n`);
  return dir;
}

function runJest(dir: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [JEST, '--config', path.join(dir, 'jest.config.json'), '--ci'], { encoding: 'utf8', cwd: dir });
  return { status: run.status, output: run.stdout + run.stderr };
}

test('GIVEN a test that makes temp folders with mkdtemp (sync, callback and promise) THEN the run passes and they are gone', () => {
  const marker = path.join(os.tmpdir(), `cfguard-litter-marker-${process.pid}`);
  const dir = project(
    `const made = [];\n` +
      `test('makes', async () => {\n` +
      `  made.push(fs.mkdtempSync(path.join(os.tmpdir(), 'a-')));\n` +
      `  made.push(await new Promise((ok, no) => fs.mkdtemp(path.join(os.tmpdir(), 'b-'), (e, d) => (e ? no(e) : ok(d)))));\n` +
      `  made.push(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'c-')));\n` +
      `  fs.writeFileSync(path.join(made[0], 'inside'), 'x');\n` +
      `  fs.writeFileSync(${JSON.stringify(marker)}, JSON.stringify(made));\n` +
      `});`,
  );
  const run = runJest(dir);
  expect(run.output).toContain('1 passed');
  expect(run.status).toBe(0);
  const made: string[] = JSON.parse(fs.readFileSync(marker, 'utf8'));
  fs.rmSync(marker);
  expect(made).toHaveLength(3);
  for (const d of made) expect(fs.existsSync(d)).toBe(false);
});

test('GIVEN a test that leaves a file in the temp directory THEN the run fails naming it', () => {
  const dir = project(`test('litters', () => { fs.writeFileSync(path.join(os.tmpdir(), 'left-behind.txt'), 'x'); });`);
  const run = runJest(dir);
  expect(run.status).not.toBe(0);
  expect(run.output).toContain('tests left 1 entry in the temp directory: left-behind.txt');
});
