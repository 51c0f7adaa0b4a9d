#!/usr/bin/env node
// Builds the two bundles that ship: the Lambda handler (dist/lambda/index.js) and the `cfguard` CLI
// (dist/cli/bundle/cfguard.mjs and its chunks); `node scripts/bundle.js cli` builds the CLI alone
// (bin/cfguard.js does, when the CLI's sources are newer than its bundle).
//
// The Lambda bundle is one file. The syntax target is node20, the oldest
// Node the project supports and the one the tests run on, so the replay tests exercise exactly the
// artifact that is deployed; the Lambda's runtime (DEFAULT_GUARD_RUNTIME or a newer one of GUARD_RUNTIMES) runs it as is.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');

/**
 * The EC2 client keeps the schema of all ~750 EC2 operations in one module. Its shapes are array
 * literals that esbuild would drop when unused, but many hold objects with computed keys
 * (`{ [_xN]: ... }`, `_xN` a module constant such as "xmlName"), which esbuild must assume impure,
 * so the whole 1.3 MB schema stayed in the bundle. Writing those keys as the string literals they
 * are makes the shapes pure: only the operations the Lambda calls remain. Nothing else changes.
 */
const ec2SchemaLiteralKeys = {
  name: 'ec2-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: /client-ec2[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/ }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      const constants = new Map();
      for (const m of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) constants.set(m[1], m[2]);
      const contents = source.replace(/\[(_\w+)\]:/g, (key, name) => (constants.has(name) ? `${constants.get(name)}:` : key));
      return { contents, loader: 'js' };
    });
  },
};

/**
 * Links of the SDK's default credential chain that Lambda never reaches: the function's credentials
 * are always in its environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the
 * chain stops at its first link, fromEnv. The chain loads the later links lazily; left out of the
 * bundle, they would come from the SDK that every Node.js Lambda runtime carries, were one ever asked
 * for. This drops about 115 KB (SSO, shared-config, process and web-identity providers and the STS/SSO
 * clients they use) that the function never runs.
 */
const UNREACHED_CREDENTIAL_PROVIDERS = ['@aws-sdk/credential-provider-sso', '@aws-sdk/credential-provider-ini', '@aws-sdk/credential-provider-process', '@aws-sdk/credential-provider-web-identity'];

/** The esbuild options of the shipped bundle; __tests__/architecture/lambda-bundle.test.ts rebuilds with them to read the metafile. */
const bundleOptions = {
  entryPoints: [path.join(ROOT, 'lambda-src', 'function', 'handler.ts')],
  outfile: path.join(ROOT, 'dist', 'lambda', 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // The SDK's ES modules tree-shake; its CommonJS build would drag in every EC2 command.
  mainFields: ['module', 'main'],
  // import('node:http') becomes require(): the same in Lambda, and loadable inside jest's VM, so tests run this very file.
  supported: { 'dynamic-import': false },
  plugins: [ec2SchemaLiteralKeys],
  external: UNREACHED_CREDENTIAL_PROVIDERS,
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * The CLI, bundled so a command that reaches AWS loads a few files instead of the SDK's hundreds:
 * `cfguard status` against the emulator took ~1.3 s of CPU unbundled, ~0.55 s bundled (bench/cli.ts
 * measures it). An ES module with code splitting, because the CLI loads its heavy parts lazily
 * (`await import()`: yargs for a command, the SDK and zod when it runs): each dynamic import becomes
 * a chunk loaded only then, so `cfguard --help` still reads a few KB, and esbuild tree-shakes across
 * chunks (a single CommonJS file would keep every lazily imported module whole: all ~820 EC2
 * commands, 2.7 MB, parsed on every run, even --help).
 * The SDK's CommonJS dependencies call require(), and parser.ts reads __dirname: the banner gives
 * every chunk both, as CommonJS has them.
 */
const CLI_BANNER = [
  "import { createRequire as __cfguardCreateRequire } from 'node:module';",
  "import { dirname as __cfguardDirname } from 'node:path';",
  "import { fileURLToPath as __cfguardFileURLToPath } from 'node:url';",
  'const require = __cfguardCreateRequire(import.meta.url);',
  'const __dirname = __cfguardDirname(__cfguardFileURLToPath(import.meta.url));',
].join(' ');

/** The esbuild options of the shipped CLI bundle; __tests__/architecture/cli-bundle.test.ts rebuilds with them to read the metafile. */
const cliBundleOptions = {
  entryPoints: { cfguard: path.join(ROOT, 'cli', 'cfguard.ts') },
  outdir: path.join(ROOT, 'dist', 'cli', 'bundle'),
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: { js: CLI_BANNER },
  // The CLI reads profiles and assumes roles: every credential provider stays in.
  plugins: [ec2SchemaLiteralKeys],
  minify: true,
  // `--debug` stacks name the sources (cli/cfguard.ts turns Node's source-map support on for them).
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/** The CLI bundle's entry, what bin/cfguard.js and the tests run. */
const CLI_BUNDLE_PATH = path.join(cliBundleOptions.outdir, 'cfguard.mjs');

module.exports = { bundleOptions, cliBundleOptions, CLI_BUNDLE_PATH, UNREACHED_CREDENTIAL_PROVIDERS };

if (require.main === module) {
  const only = process.argv[2];
  if (only !== undefined && only !== 'cli') {
    process.stderr.write(`bundle: unknown target '${only}'; run 'node scripts/bundle.js' for both bundles or 'node scripts/bundle.js cli' for the CLI alone\n`);
    process.exit(1);
  }
  const builds = only === 'cli' ? [cliBundleOptions] : [bundleOptions, cliBundleOptions];
  // The CLI's chunk names carry content hashes: clear the old ones, so the folder holds one build.
  fs.rmSync(cliBundleOptions.outdir, { recursive: true, force: true });
  Promise.all(builds.map((options) => esbuild.build(options))).catch(() => process.exit(1));
}
