#!/usr/bin/env node
// Bundles the Lambda handler into the one file that ships, for the runtime that tests run on (node20),
// so the replay tests exercise exactly the artifact that is deployed.
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
