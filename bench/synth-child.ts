/**
 * Runs in a fresh node process: synthesizes either the example app or a bare stack with the same
 * imports (the construct library, so the provider modules it pulls in are loaded either way), and
 * reports the timings.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { performance } from 'perf_hooks';

const t0 = performance.now();
/* eslint-disable @typescript-eslint/no-require-imports */
const { App, TerraformStack } = require('cdktf') as typeof import('cdktf');
const { AwsProvider } = require('@cdktf/provider-aws/lib/provider') as typeof import('@cdktf/provider-aws/lib/provider');
// The product as built (dist/), as `cdktf synth` loads it; tsconfig.bench.json compiles only bench/ and the emulator.
const DIST = path.resolve(__dirname, '..', '..', 'dist');
require(path.join(DIST, 'constructs'));
const { buildStack } = require(path.join(DIST, 'main')) as typeof import('../main');
/* eslint-enable @typescript-eslint/no-require-imports */
const loaded = performance.now();

const outdir = mkdtempSync(path.join(tmpdir(), 'cfguard-synth-'));
try {
  const app = new App({ outdir });
  if (process.argv[2] === 'bare') {
    const stack = new TerraformStack(app, 'bare');
    new AwsProvider(stack, 'aws', { region: 'eu-north-1' });
    new AwsProvider(stack, 'aws-us-east-1', { region: 'us-east-1', alias: 'us_east_1' });
  } else {
    buildStack(app, { configPath: path.resolve(__dirname, '..', '..', 'cfguard.config.json') });
  }
  app.synth();
  const done = performance.now();
  process.stdout.write(`${JSON.stringify({ loadMs: loaded - t0, synthMs: done - loaded, sinceProcessStartMs: process.uptime() * 1000 })}\n`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
