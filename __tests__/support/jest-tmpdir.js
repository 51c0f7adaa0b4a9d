// One temp directory per `npm test` run. Global setup points TMPDIR (inherited by every jest worker and every
// child process a test starts) at a fresh `cfguard-jest-*` folder; global teardown removes it and fails the run,
// naming the leftovers, if any test or child process left something behind. Per-file cleanup is the job of
// jest-environment.js; what reaches teardown here is litter nobody removed.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// Not CFGUARD_*: the CLI refuses CFGUARD_ variables it does not know, and child CLIs inherit this.
const KEY = 'JEST_SUITE_TMPDIR_OF_CFGUARD';

function setup() {
  const parent = os.tmpdir();
  const dir = fs.mkdtempSync(path.join(parent, 'cfguard-jest-'));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
  process.env.TMP = dir;
  process.env.TEMP = dir;
}

function teardown() {
  const dir = process.env[KEY];
  if (!dir || !fs.existsSync(dir)) return;
  const left = fs.readdirSync(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    const shown = left.slice(0, 20).join(', ') + (left.length > 20 ? `, … (${left.length} in all)` : '');
    throw new Error(`tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp directory: ${shown}; remove what each test or harness makes`);
  }
}

module.exports = { setup, teardown, KEY };
