#!/usr/bin/env node
/*
 * The `cfguard` command as npm links it. It runs the built CLI (dist/cli/main.js), and builds it
 * first when there is nothing built yet (a fresh clone, right after `npm ci`) or when any source the
 * build compiles is newer than the build (after a `git pull` or an edit), so `npx cfguard` never runs
 * an older CLI than the Lambda `npm run deploy` ships. The README's steps work in their written order:
 * `npx cfguard preflight` comes before `npm run deploy` builds anything.
 * No `prepare` script: `npm ci` stays as fast as before for those who only run the tests.
 */
'use strict';
const { existsSync, readdirSync, statSync } = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');
/** What tsconfig.json compiles (its "include"), and the config itself. */
const SOURCE_DIRS = ['constructs', 'lambda-src', 'cli', 'examples'];
const SOURCE_FILES = ['main.ts', 'tsconfig.json'];

/** The newest modification time among the build's inputs, and the file that has it (0 when none is here: an installed package). */
function newestSource() {
  let newest = { mtimeMs: 0, file: undefined };
  const consider = (file) => {
    const { mtimeMs } = statSync(file);
    if (mtimeMs > newest.mtimeMs) newest = { mtimeMs, file };
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) consider(full);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  for (const file of SOURCE_FILES) if (existsSync(path.join(root, file))) consider(path.join(root, file));
  return newest;
}

/** Why dist/ must be built now, or undefined when it is up to date. */
function buildReason() {
  if (!existsSync(cli)) return 'first run in this clone: building dist/ with `npm run build` (once)';
  const newest = newestSource();
  if (newest.mtimeMs > statSync(cli).mtimeMs) return `${path.relative(root, newest.file)} is newer than dist/: rebuilding with \`npm run build\``;
  return undefined;
}

const reason = buildReason();
if (reason) {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    if (existsSync(cli)) {
      process.stderr.write(`cfguard: warning: ${reason.replace(/: rebuilding.*$/, '')}, and TypeScript is not installed to rebuild it; running the older build (run 'npm ci' in ${root})\n`);
    } else {
      process.stderr.write("cfguard: cannot build the CLI: TypeScript is not installed; run 'npm ci' in " + root + ' first\n');
      process.exit(1);
    }
  }
  if (tsc) {
    process.stderr.write(`cfguard: ${reason}\n`);
    const build = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: ['ignore', 2, 2] });
    if (build.status !== 0 || !existsSync(cli)) {
      process.stderr.write("cfguard: building the CLI failed (output above); run 'npm run build' to see why\n");
      process.exit(1);
    }
  }
}

// A child process, so the CLI's own handling of exit codes, signals and closed pipes applies unchanged.
const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
if (run.signal) process.kill(process.pid, run.signal);
process.exit(run.status ?? 1);
