#!/usr/bin/env node
/*
 * The `cfguard` command as npm links it. It runs the built CLI (dist/cli/main.js) and, on a fresh
 * clone where nothing was built yet (right after `npm ci`), builds it first, so the README's steps
 * work in their written order: `npx cfguard preflight` comes before `npm run deploy` builds anything.
 * No `prepare` script: `npm ci` stays as fast as before for those who only run the tests.
 */
'use strict';
const { existsSync } = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');

if (!existsSync(cli)) {
  process.stderr.write('cfguard: first run in this clone: building dist/ with `npm run build` (once)\n');
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    process.stderr.write("cfguard: cannot build the CLI: TypeScript is not installed; run 'npm ci' in " + root + ' first\n');
    process.exit(1);
  }
  const build = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: ['ignore', 2, 2] });
  if (build.status !== 0 || !existsSync(cli)) {
    process.stderr.write("cfguard: building the CLI failed (output above); run 'npm run build' to see why\n");
    process.exit(1);
  }
}

// A child process, so the CLI's own handling of exit codes, signals and closed pipes applies unchanged.
const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
if (run.signal) process.kill(process.pid, run.signal);
process.exit(run.status ?? 1);
