import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../main';
import { GUARD_BUNDLE, MINIMAL, tempDir } from '../support/app-fixtures';
import { startStandin, type Standin } from '../support/terraform-standin/server';
import { atLeast, localCopy, terraform, terraformVersion } from '../support/terraform-standin/run-terraform';

jest.setTimeout(240_000);

const VERSION = terraformVersion();
const USABLE = VERSION !== undefined && atLeast(VERSION, '1.11.0');
if (!USABLE) {
  console.warn(
    `terraform-verdict.test: ${VERSION ? `terraform ${VERSION} is older than 1.11` : 'no terraform on PATH'}; Terraform's own init/validate/plan check of the synthesized stacks is skipped (install terraform >= 1.11 to run it)`,
  );
}
const maybe = USABLE ? describe : describe.skip;

/** Synthesizes `config` as `cdktf synth` would (main()), returning the stack's folder. */
function synthesize(config: Record<string, unknown>): string {
  const dir = tempDir();
  const configPath = path.join(dir, 'cfguard.config.json');
  fs.writeFileSync(configPath, JSON.stringify(config));
  const outdir = path.join(dir, 'cdktf.out');
  const errors: string[] = [];
  expect({ code: main({ configPath, bundlePath: GUARD_BUNDLE, outdir, env: {}, stderr: (l) => errors.push(l) }), errors }).toEqual({ code: 0, errors: [] });
  return path.join(outdir, 'stacks', config.name as string);
}

let standin: Standin;
beforeAll(async () => {
  if (USABLE) standin = await startStandin();
});
afterAll(async () => {
  await standin?.stop();
});

const STEPS = [['init', '-input=false'], ['validate'], ['plan', '-input=false', '-lock=false']];

/** Runs init, validate and plan in a local-backend copy of the stack; stops at the first that fails. */
async function verdict(stackDir: string): Promise<{ step: string; code: number; output: string }> {
  const copy = localCopy(stackDir);
  try {
    let last = { step: '', code: 0, output: '' };
    for (const args of STEPS) {
      last = { step: args[0], ...(await terraform(copy.dir, args, standin.reattach)) };
      if (last.code !== 0) break;
    }
    return last;
  } finally {
    copy.remove();
  }
}

/** THEN terraform planned it: every step passed, and the plan adds resources (it did not stop early). */
function expectPlanned(result: { step: string; code: number; output: string }): void {
  expect({ step: result.step, code: result.code, output: result.code === 0 ? '' : result.output }).toEqual({ step: 'plan', code: 0, output: '' });
  expect(result.output).toMatch(/Plan: [1-9]\d* to add, 0 to change, 0 to destroy\./);
}

maybe(`Terraform's own verdict (terraform ${VERSION}, against a schema-only stand-in for hashicorp/aws)`, () => {
  test('the default configuration passes init, validate and plan', async () => {
    expectPlanned(await verdict(synthesize({ ...MINIMAL })));
    // Terraform asked the stand-in for the schema, validated each block with it, and planned through it.
    for (const rpc of ['GetSchema', 'ValidateResourceTypeConfig', 'PlanResourceChange', 'ReadDataSource']) expect(standin.calls.get(rpc)).toBeGreaterThan(0);
  });
});
