#!/usr/bin/env node
// Bundles the Lambda handler into the one file that ships. The syntax target is node20, the oldest
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

module.exports = { bundleOptions, UNREACHED_CREDENTIAL_PROVIDERS };

if (require.main === module) {
  esbuild.build(bundleOptions).catch(() => process.exit(1));
}
