#!/usr/bin/env node
// Bundles the Lambda handler into the one file that ships. The syntax target is node20, the oldest
// Node the project supports and the one the tests run on, so the replay tests exercise exactly the
// artifact that is deployed; the Lambda's runtime (GUARD_RUNTIME) is a newer Node, which runs it as is.
const esbuild = require('esbuild');
const path = require('path');

esbuild
  .build({
    entryPoints: [path.join(__dirname, '..', 'lambda-src', 'function', 'handler.ts')],
    outfile: path.join(__dirname, '..', 'dist', 'lambda', 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // The SDK's ES modules tree-shake; its CommonJS build would drag in every EC2 command.
    mainFields: ['module', 'main'],
    // import('node:http') becomes require(): the same in Lambda, and loadable inside jest's VM, so tests run this very file.
    supported: { 'dynamic-import': false },
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
