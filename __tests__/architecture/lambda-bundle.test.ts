/**
 * The Lambda bundle carries what the Lambda runs and nothing else: no cdktf, constructs or CLI
 * code, no CLI-only AWS reads, and from the EC2 client only the shapes of the calls it makes.
 * The esbuild metafile says which modules put bytes in the output; the shipped file says which
 * EC2 operations it can still serialize and which modules it loads from outside.
 */
import { readFileSync } from 'fs';
import { builtinModules } from 'module';
import path from 'path';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_PATH } from '../support/lambda-harness';

const ROOT = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleOptions, UNREACHED_CREDENTIAL_PROVIDERS } = require(path.join(ROOT, 'scripts', 'bundle.js'));

/** The calls the reconciler and teardown make (lambda-src/aws/apply.ts, ec2-state.ts, teardown-run.ts). */
const LAMBDA_EC2_CALLS = [
  'DescribeVpcs',
  'DescribeSecurityGroups',
  'DescribeNetworkInterfaces',
  'CreateSecurityGroup',
  'AuthorizeSecurityGroupIngress',
  'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress',
  'ModifyNetworkInterfaceAttribute',
  'CreateTags',
  'DeleteSecurityGroup',
];
/** A sample of the ~750 EC2 operations the Lambda never calls, the CLI-only reads among them. */
const NEVER_CALLED = ['RunInstances', 'TerminateInstances', 'CreateVpnConnection', 'ModifyVpcAttribute', 'DescribeImages', 'DescribeInstances', 'DescribeSecurityGroupRules'];

let modules: string[];
let shipped: string;

beforeAll(async () => {
  const result = await build({ ...bundleOptions, write: false, metafile: true });
  const output = Object.values((result.metafile as Metafile).outputs)[0];
  modules = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join('/'));
  shipped = readFileSync(BUNDLE_PATH, 'utf8');
});

function packageOf(file: string): string | undefined {
  return /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
}

test('the bundle holds no cdktf, constructs, provider or CLI packages', () => {
  const packages = new Set(modules.map(packageOf).filter((p) => p !== undefined));
  const unwanted = [...packages].filter((p) => /^(cdktf|constructs|@cdktf\/.*|yargs.*|esbuild)$/.test(p!));
  expect(unwanted).toEqual([]);
  // Sanity: the metafile really lists the bundle's packages.
  expect(packages).toContain('@aws-sdk/client-ec2');
});

test('the project code in the bundle is the Lambda, the core, the settings and the AWS shell only', () => {
  const own = modules.filter((f) => packageOf(f) === undefined);
  expect(own).toContain('lambda-src/function/handler.ts');
  const outside = own.filter((f) => !/^lambda-src\/(function|core|config|aws)\//.test(f));
  expect(outside).toEqual([]);
  // The CLI's reads, the app config and the construct-side rule ids are not the Lambda's.
  const cliOnly = own.filter((f) => /^lambda-src\/(aws\/ec2-reads|config\/(app-config|import-paths|ingest-rule-ids|alerting-rules|config-errors))\.ts$/.test(f));
  expect(cliOnly).toEqual([]);
});

test('the shipped bundle serializes exactly the EC2 calls the Lambda makes, not the whole EC2 schema', () => {
  for (const op of LAMBDA_EC2_CALLS) expect({ op, present: shipped.includes(`"${op}Request"`) }).toEqual({ op, present: true });
  for (const op of NEVER_CALLED) expect({ op, present: shipped.includes(`"${op}Request"`) }).toEqual({ op, present: false });
});

test('the shipped bundle requires only Node built-ins and the credential links Lambda never reaches', () => {
  const required = new Set([...shipped.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
  const packages = [...required].filter((name) => !name.startsWith('node:') && !builtinModules.includes(name));
  expect(packages.sort()).toEqual([...UNREACHED_CREDENTIAL_PROVIDERS].sort());
  // The chain's first link, the one Lambda uses, is inside the bundle.
  expect(modules.some((f) => packageOf(f) === '@aws-sdk/credential-provider-env')).toBe(true);
});
