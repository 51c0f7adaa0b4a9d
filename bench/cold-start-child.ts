/** Runs in a fresh node process: load the bundle, handle one event, report the timings on stdout. */
import { performance } from 'perf_hooks';

async function main() {
  const event = JSON.parse(process.env.BENCH_EVENT ?? '{}');
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(process.env.BENCH_BUNDLE ?? '');
  const loaded = performance.now();
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  const result = await handler(event);
  const handled = performance.now();
  process.stdout.write = write;
  write(`${JSON.stringify({ loadMs: loaded - t0, handleMs: handled - loaded, sinceProcessStartMs: process.uptime() * 1000, outcome: result.outcome, rssMb: process.memoryUsage().rss / 2 ** 20 })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e?.message ?? e}\n`);
  process.exit(1);
});
