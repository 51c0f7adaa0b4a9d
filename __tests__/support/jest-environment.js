// The node test environment, plus: every folder a test file makes with fs.mkdtemp* under the temp directory
// (its own, or cdktf's `cdktf.outdir.*`) is removed when the file ends, after all its afterAll hooks have run.
// Jest hands test files the real `fs` module, so patching it here covers the tests and the libraries they load.
// For the IAM proof (iam-proof.ts): it tallies the tests that failed or were skipped, and runs the proof's root
// afterAll after the test file's own (jest-circus runs a block's afterAll hooks in the order they were added,
// and the setup file adds its hook before the test file is loaded).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

class CleaningEnvironment extends TestEnvironment {
  made = new Set();
  originals = {};

  async setup() {
    await super.setup();
    const made = this.made;
    const record = (dir) => {
      if (typeof dir === 'string' && path.resolve(dir).startsWith(path.resolve(os.tmpdir()) + path.sep)) made.add(dir);
      return dir;
    };
    this.originals.mkdtempSync = fs.mkdtempSync;
    fs.mkdtempSync = (...args) => record(this.originals.mkdtempSync.apply(fs, args));
    this.originals.mkdtemp = fs.mkdtemp;
    fs.mkdtemp = (prefix, ...rest) => {
      const callback = rest.pop();
      return this.originals.mkdtemp.call(fs, prefix, ...rest, (err, dir) => callback(err, err ? dir : record(dir)));
    };
    this.originals.promisesMkdtemp = fs.promises.mkdtemp;
    fs.promises.mkdtemp = async (...args) => record(await this.originals.promisesMkdtemp.apply(fs.promises, args));
  }

  tally = { failed: 0, skipped: 0 };

  handleTestEvent(event, state) {
    if (event.name === 'run_start') {
      const hooks = state.rootDescribeBlock.hooks;
      const last = hooks.filter((h) => h.fn[Symbol.for('cfguard.afterAllRunsLast')]);
      hooks.splice(0, hooks.length, ...hooks.filter((h) => !last.includes(h)), ...last);
      this.global[Symbol.for('cfguard.testTally')] = this.tally;
    }
    if (event.name === 'test_done' && event.test.errors.length > 0) this.tally.failed++;
    if (event.name === 'test_skip' || event.name === 'test_todo') this.tally.skipped++;
  }

  async teardown() {
    fs.mkdtempSync = this.originals.mkdtempSync;
    fs.mkdtemp = this.originals.mkdtemp;
    fs.promises.mkdtemp = this.originals.promisesMkdtemp;
    for (const dir of this.made) fs.rmSync(dir, { recursive: true, force: true });
    await super.teardown();
  }
}

module.exports = CleaningEnvironment;
