/**
 * The CLI bundle (dist/cli/bundle/, what `npx cfguard` and the CLI tests run) is split so each run
 * loads what it uses: the entry chunk and its static imports are the root help and main(); yargs
 * comes in a chunk loaded when a command is parsed, the AWS SDK and zod in chunks loaded when a
 * command runs. The esbuild metafile (rebuilt with the shipped options) says which modules put bytes
 * in which chunk and how the chunks import one another; the shipped files say what they load from outside.
 */
import { readdirSync, readFileSync } from 'fs';
import { builtinModules } from 'module';
import path from 'path';
import { build, type Metafile } from 'esbuild';

const ROOT = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cliBundleOptions, CLI_BUNDLE_PATH } = require(path.join(ROOT, 'scripts', 'bundle.js'));

let outputs: Metafile['outputs'];
const rel = (file: string) => path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join('/');

beforeAll(async () => {
  const result = await build({ ...cliBundleOptions, write: false, metafile: true });
  outputs = Object.fromEntries(Object.entries((result.metafile as Metafile).outputs).map(([file, output]) => [rel(file), output]));
});

function packageOf(file: string): string | undefined {
  return /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
}

/** The packages that put bytes into the given chunks. */
function packagesIn(chunks: readonly string[]): Set<string> {
  const packages = new Set<string>();
  for (const chunk of chunks) for (const [file, input] of Object.entries(outputs[chunk].inputs)) if (input.bytesInOutput > 0 && packageOf(file)) packages.add(packageOf(file)!);
  return packages;
}

/** The entry chunk and every chunk it loads through static imports: what any run, even `--help`, loads. */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const imported of outputs[queue.shift()!].imports) {
      const chunk = rel(imported.path);
      if (imported.kind === 'import-statement' && !imported.external && !seen.has(chunk)) {
        seen.add(chunk);
        queue.push(chunk);
      }
    }
  }
  return [...seen];
}

const entry = () => rel(CLI_BUNDLE_PATH);

test('the bundle holds no cdktf, constructs, provider or bundler package', () => {
  const packages = packagesIn(Object.keys(outputs).filter((f) => f.endsWith('.mjs')));
  expect([...packages].filter((p) => /^(cdktf|constructs|@cdktf\/.*|esbuild|typescript)$/.test(p))).toEqual([]);
  // Sanity: the metafile really lists the bundle's packages.
  for (const used of ['yargs', 'zod', '@aws-sdk/client-ec2', '@aws-sdk/credential-providers']) expect(packages.has(used)).toBe(true);
});

test('what every run loads (the entry and its static imports) holds neither yargs, nor the AWS SDK, nor zod', () => {
  const closure = staticClosure(entry());
  expect(closure).toContain(entry());
  const eager = [...packagesIn(closure)].filter((p) => /^(yargs.*|@aws-sdk\/.*|@smithy\/.*|zod)$/.test(p));
  expect(eager).toEqual([]);
  // They are in the bundle, behind dynamic imports.
  const lazy = Object.keys(outputs).filter((f) => f.endsWith('.mjs') && !closure.includes(f));
  expect(packagesIn(lazy).has('yargs')).toBe(true);
  expect(packagesIn(lazy).has('@aws-sdk/client-ec2')).toBe(true);
});

test('the EC2 client is tree-shaken across chunks: the CLI serializes its own calls, not the whole EC2 schema', () => {
  const shipped = bundleFiles()
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  for (const op of ['DescribeSecurityGroups', 'DescribeInstances', 'DescribeSecurityGroupRules', 'AuthorizeSecurityGroupIngress'])
    expect({ op, present: shipped.includes(`"${op}Request"`) }).toEqual({ op, present: true });
  for (const op of ['RunInstances', 'TerminateInstances', 'CreateVpnConnection', 'DescribeImages']) expect({ op, present: shipped.includes(`"${op}Request"`) }).toEqual({ op, present: false });
});

/**
 * SigV4a's signer, which the SDK loads only to sign for a multi-region endpoint (S3 access points and
 * the like) and asks the user to install then; no call the CLI makes needs it.
 */
const OPTIONAL_SDK_PEERS = ['@aws-sdk/signature-v4-crt'];

test('the chunks load only Node built-ins and one another at run time: nothing from node_modules', () => {
  const external = new Set<string>();
  for (const output of Object.values(outputs)) for (const imported of output.imports) if (imported.external) external.add(imported.path);
  // esbuild leaves a require() it cannot resolve inside try/catch as is, unrecorded: the shipped text shows those.
  for (const file of bundleFiles()) for (const m of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) external.add(m[1]);
  const packages = [...external].filter((name) => !name.startsWith('node:') && !builtinModules.includes(name));
  expect(packages.sort()).toEqual(OPTIONAL_SDK_PEERS);
});

/** The shipped files: the entry and its chunks, as `npm run bundle` left them. */
function bundleFiles(): string[] {
  const dir = path.dirname(CLI_BUNDLE_PATH);
  return [CLI_BUNDLE_PATH, ...readdirSync(path.join(dir, 'chunks')).map((f) => path.join(dir, 'chunks', f))];
}
