#!/usr/bin/env node
/*
 * The `cfguard` command as npm links it. It runs the CLI bundle (dist/cli/bundle/cfguard.mjs, built by
 * `npm run bundle`), and builds it first when there is none yet (a fresh clone, right after `npm ci`)
 * or when any source it is built from is newer than it (after a `git pull` or an edit), so `npx cfguard`
 * never runs an older CLI than the Lambda `npm run deploy` ships. The README's steps work in their
 * written order: `npx cfguard preflight` comes before `npm run deploy` builds anything.
 * No `prepare` script: `npm ci` stays as fast as before for those who only run the tests.
 */
'use strict';
const { existsSync, readdirSync, statSync } = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { pathToFileURL } = require('url');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli', 'bundle', 'cfguard.mjs');
const bundler = path.join(root, 'scripts', 'bundle.js');
/** What the CLI bundle is built from (esbuild follows the CLI's imports into lambda-src/), its build script, the tsconfig esbuild reads, and package.json (the dependencies it bundles). */
const SOURCE_DIRS = ['cli', 'lambda-src'];
const SOURCE_FILES = ['tsconfig.json', 'package.json', 'scripts/bundle.js'];

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

/** Why the bundle must be built now, or undefined when it is up to date. */
function buildReason() {
  if (!existsSync(cli)) return 'first run in this clone: building the CLI with `npm run bundle` (once)';
  const newest = newestSource();
  if (newest.mtimeMs > statSync(cli).mtimeMs) return `${path.relative(root, newest.file)} is newer than the CLI bundle: rebuilding with \`npm run bundle\``;
  return undefined;
}

const reason = buildReason();
if (reason) {
  let canBuild = existsSync(bundler);
  if (canBuild) {
    try {
      require.resolve('esbuild', { paths: [root] });
    } catch {
      canBuild = false;
    }
  }
  if (!canBuild) {
    if (existsSync(cli)) {
      process.stderr.write(`cfguard: warning: ${reason.replace(/: rebuilding.*$/, '')}, and esbuild is not installed to rebuild it; running the older build (run 'npm ci' in ${root})\n`);
    } else {
      process.stderr.write("cfguard: cannot build the CLI: esbuild is not installed; run 'npm ci' in " + root + ' first\n');
      process.exit(1);
    }
  } else {
    process.stderr.write(`cfguard: ${reason}\n`);
    // The CLI alone: a few seconds, where tsc over the whole project takes half a minute.
    const build = spawnSync(process.execPath, [bundler, 'cli'], { cwd: root, stdio: ['ignore', 2, 2] });
    if (build.status !== 0 || !existsSync(cli)) {
      process.stderr.write("cfguard: building the CLI failed (output above); run 'npm run bundle' to see why\n");
      process.exit(1);
    }
  }
}

// In this process, not a second node: the bundle's entry runs the CLI on process.argv.slice(2), which
// are the user's arguments here too, and sets process.exitCode; signals and closed pipes (EPIPE,
// handled by the CLI's own streams) reach it directly.
import(pathToFileURL(cli).href).catch((e) => {
  process.stderr.write(`cfguard: cannot load the CLI bundle ${cli}: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 1;
});
