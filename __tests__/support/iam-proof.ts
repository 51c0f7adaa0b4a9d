/**
 * The IAM proof, inside each scenario file's own run (jest setupFilesAfterEnv), so no scenario runs twice:
 * when the test file is one of GUARD_SCENARIOS / CLI_SCENARIOS (__tests__/iam/scenarios.ts), every call the
 * emulators receive is recorded, and once the file's tests are done its calls are simulated (iam-proof-checks.ts)
 * and the file fails naming any request denied. What the calls used is left for the run's union checks
 * (iam-proof-union.ts, in the global teardown).
 */
import path from 'path';
import { startRecording } from '../../emulator/recorder';
import { CLI_SCENARIOS, GUARD_SCENARIOS } from '../iam/scenarios';
import { proveGuardCalls, proveOperatorCalls, readmePolicy } from './iam-proof-checks';
import { writeRecord, type ScenarioRecord } from './iam-proof-union';

/** Set by jest-environment.js: the environment moves a root afterAll so marked after the file's own. */
const RUNS_LAST = Symbol.for('cfguard.afterAllRunsLast');
/** Kept by jest-environment.js from jest-circus's events. */
const TALLY = Symbol.for('cfguard.testTally');

interface Tally {
  readonly failed: number;
  readonly skipped: number;
}

const file = path
  .relative(path.join(__dirname, '..'), expect.getState().testPath ?? '')
  .replace(/\.ts$/, '')
  .split(path.sep)
  .join('/');
const guard = GUARD_SCENARIOS.includes(file);
const cli = CLI_SCENARIOS.includes(file);

if (guard || cli) {
  const recorder = startRecording();
  const prove = async () => {
    recorder.stop();
    const tally = (globalThis as unknown as Record<symbol, Tally | undefined>)[TALLY];
    const guardProof = guard ? await proveGuardCalls(recorder.calls) : undefined;
    const operatorProof = cli ? await proveOperatorCalls(recorder.calls, readmePolicy()) : undefined;
    const record: ScenarioRecord = {
      file,
      complete: tally !== undefined && tally.failed === 0 && tally.skipped === 0,
      ...(guardProof ? { guard: { actions: guardProof.actions, requestKeys: guardProof.requestKeys } } : {}),
      ...(operatorProof ? { operator: { used: operatorProof.used } } : {}),
    };
    writeRecord(record);
    const denied = [
      ...(guardProof?.denied ?? []).map((d) => `the guard's role (buildGuardPolicy) denies ${d}`),
      ...(operatorProof?.denied ?? []).map((d) => `the README's operator policy denies ${d}`),
    ];
    if (denied.length > 0) throw new Error(`IAM proof of ${file}: ${denied.length} request(s) its calls made are denied:\n${denied.map((d) => `  - ${d}`).join('\n')}`);
  };
  Object.defineProperty(prove, RUNS_LAST, { value: true });
  // Simulating a file's calls takes seconds to a minute on a loaded machine.
  afterAll(prove, 10 * 60_000);
}
