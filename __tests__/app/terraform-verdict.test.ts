import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../main';
import { GUARD_BUNDLE, MINIMAL, tempDir } from '../support/app-fixtures';
import { startStandin, type Standin } from '../support/terraform-standin/server';
import { atLeast, localCopy, terraform, terraformVersion } from '../support/terraform-standin/run-terraform';

/*
 * Terraform's own verdict on the synthesized stacks: the real `terraform init`, `validate` and
 * `plan`, against a schema-only stand-in for hashicorp/aws (attached with TF_REATTACH_PROVIDERS,
 * so nothing is downloaded). Terraform does the judging; the stand-in only serves the schema.
 */

jest.setTimeout(300_000);

const VERSION = terraformVersion();
const USABLE = VERSION !== undefined && atLeast(VERSION, '1.11.0');
if (!USABLE) {
  console.warn(
    `terraform-verdict.test: ${VERSION ? `terraform ${VERSION} is older than 1.11` : 'no terraform on PATH'}; Terraform's own init/validate/plan check of the synthesized stacks is skipped (install terraform >= 1.11 to run it)`,
  );
}
const maybe = USABLE ? describe : describe.skip;

// Concurrent tests start before beforeAll hooks finish, so the server is a promise each test awaits.
let standinStarted: Promise<Standin> | undefined;
const standin = () => (standinStarted ??= startStandin());
afterAll(async () => {
  if (standinStarted) await (await standinStarted).stop();
});

/** At most this many terraform processes at once: the machine is shared. */
const PARALLEL = 3;
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Synthesizes `config` as `cdktf synth` does (main()), with `neighbours` written beside the config; returns the stack's folder. */
function synthesize(config: Record<string, unknown>, neighbours: Record<string, unknown> = {}): string {
  const dir = tempDir();
  const configPath = path.join(dir, 'cfguard.config.json');
  fs.writeFileSync(configPath, JSON.stringify(config));
  for (const [file, body] of Object.entries(neighbours)) fs.writeFileSync(path.join(dir, file), JSON.stringify(body));
  const outdir = path.join(dir, 'cdktf.out');
  const errors: string[] = [];
  expect({ code: main({ configPath, bundlePath: GUARD_BUNDLE, outdir, env: {}, stderr: (l) => errors.push(l) }), errors }).toEqual({ code: 0, errors: [] });
  return path.join(outdir, 'stacks', config.name as string);
}

type Verdict = { step: string; code: number; output: string };
const STEPS = [['init', '-input=false'], ['validate'], ['plan', '-input=false', '-lock=false']];

/** Runs init, validate and plan in a local-backend copy of the stack; stops at the first that fails. */
function verdict(stackDir: string, edit?: (stack: Record<string, any>) => void): Promise<Verdict> {
  return slot(async () => {
    const { reattach } = await standin();
    const copy = localCopy(stackDir, edit);
    try {
      let last: Verdict = { step: '', code: 0, output: '' };
      for (const args of STEPS) {
        last = { step: args[0], ...(await terraform(copy.dir, args, reattach)) };
        if (last.code !== 0) break;
      }
      return last;
    } finally {
      copy.remove();
    }
  });
}

/** THEN terraform planned it: every step passed, and the plan creates resources (it did not stop early). */
function expectPlanned(result: Verdict, imports = 0): void {
  expect({ step: result.step, code: result.code, output: result.code === 0 ? '' : result.output }).toEqual({ step: 'plan', code: 0, output: '' });
  expect(result.output).toMatch(/Plan: (?:\d+ to import, )?[1-9]\d* to add, \d+ to change, 0 to destroy\./);
  if (imports > 0) expect(result.output).toContain(`Plan: ${imports} to import,`);
}

const IMPORTS = {
  'streaming-origin/origin/elastic-ip/eip': 'eipalloc-0abc1234def567890',
  'streaming-origin/origin/distribution/distribution': 'E2QWRUHEXAMPLE',
};

const CONFIGURATIONS: [string, Record<string, unknown>, Record<string, unknown>?, number?][] = [
  ['the default', { ...MINIMAL }],
  ['an opt-in region (the function in us-east-1)', { ...MINIMAL, region: 'ap-east-1' }],
  ['prefix-list mode', { ...MINIMAL, guard: { mode: 'prefix-list' } }],
  [
    'an S3 backend with imports',
    { ...MINIMAL, backend: { type: 's3', bucket: 'acme-state', key: 'cfguard/edge.tfstate', region: 'eu-west-1' }, importsFile: 'cfguard.imports.json' },
    { 'cfguard.imports.json': IMPORTS },
    2,
  ],
  [
    'a Terraform Cloud backend, an HTTPS origin and dual-stack',
    {
      ...MINIMAL,
      backend: { type: 'cloud', organization: 'acme', workspace: 'edge' },
      distribution: { originDomainName: 'media.example.com', originProtocolPolicy: 'https-only', originIpAddressType: 'dualstack' },
    },
  ],
  ['an IPv6 origin', { ...MINIMAL, distribution: { originDomainName: 'media.example.com', originIpAddressType: 'ipv6' } }],
];

maybe(`Terraform's own verdict (terraform ${VERSION}, against a schema-only stand-in for hashicorp/aws)`, () => {
  test.concurrent.each(CONFIGURATIONS)('GIVEN %s THEN terraform init, validate and plan pass', async (_name, config, neighbours, imports) => {
    expectPlanned(await verdict(synthesize(config, neighbours)), imports);
  });

  test('terraform asked the stand-in for the schema, validated each block with it, and planned and read through it', async () => {
    expectPlanned(await verdict(synthesize({ ...MINIMAL, name: 'rpc-check' })));
    const { calls } = await standin();
    const rpcs = ['GetSchema', 'ValidateResourceTypeConfig', 'ValidateDataSourceConfig', 'PlanResourceChange', 'ReadDataSource'];
    expect(rpcs.filter((rpc) => !calls.get(rpc))).toEqual([]);
  });

  describe("a broken copy of the default stack fails with terraform's own error", () => {
    // Synthesized once, on first use (concurrent tests run before beforeAll hooks).
    let stackDir: string | undefined;
    const defaultStack = () => (stackDir ??= synthesize({ ...MINIMAL }));
    /** The name of the first resource of `type` in the stack. */
    const first = (stack: Record<string, any>, type: string) => Object.keys(stack.resource[type])[0];

    test.concurrent.each([
      [
        'a reference to a resource that does not exist',
        (stack: Record<string, any>) => {
          stack.resource.aws_cloudwatch_log_group[first(stack, 'aws_cloudwatch_log_group')].name = '${aws_s3_bucket.nowhere.id}';
        },
        'Reference to undeclared resource',
      ],
      [
        'a dependency cycle',
        (stack: Record<string, any>) => {
          const topic = first(stack, 'aws_sns_topic');
          const queue = first(stack, 'aws_sqs_queue');
          stack.resource.aws_sns_topic[topic].depends_on = [`aws_sqs_queue.${queue}`];
          stack.resource.aws_sqs_queue[queue].depends_on = [`aws_sns_topic.${topic}`];
        },
        'Error: Cycle:',
      ],
      [
        'a value of the wrong type',
        (stack: Record<string, any>) => {
          stack.resource.aws_cloudwatch_log_group[first(stack, 'aws_cloudwatch_log_group')].retention_in_days = { days: 7 };
        },
        'Incorrect attribute value type',
      ],
    ])('GIVEN %s THEN validate fails naming it', async (_name, edit, error) => {
      const result = await verdict(defaultStack(), edit);
      expect({ step: result.step, failed: result.code !== 0 }).toEqual({ step: 'validate', failed: true });
      expect(result.output).toContain(error);
    });
  });
});
