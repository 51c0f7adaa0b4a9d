/**
 * `npm run bench`: speed and size figures, printed as a table and written to bench-results/bench.json.
 * Targets are stated beside the figures; nothing here fails a build.
 */
import { mkdirSync, writeFileSync } from 'fs';
import path from 'path';
import { benchCli } from './cli';
import { benchDriftTargets } from './cli-targets';
import { benchColdStart } from './cold-start';
import { benchPlanner } from './planner';
import { benchBundle, benchReconciler } from './reconciler';
import { benchSynth } from './synth';
import { printTable, type BenchRow } from './table';

const SECTIONS: { name: string; run: () => Promise<BenchRow[]> | BenchRow[] }[] = [
  { name: 'reconcile', run: benchReconciler },
  { name: 'planner', run: benchPlanner },
  { name: 'bundle', run: benchBundle },
  { name: 'cold start', run: benchColdStart },
  { name: 'synth', run: benchSynth },
  { name: 'cli', run: benchCli },
  { name: 'cli drift --targets', run: benchDriftTargets },
];

async function main() {
  const rows: BenchRow[] = [];
  for (const section of SECTIONS) {
    process.stderr.write(`bench: ${section.name}...\n`);
    rows.push(...(await section.run()));
  }
  const out = path.resolve(__dirname, '..', '..', 'bench-results', 'bench.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
  process.stdout.write(`${printTable(rows)}\n\nwritten to ${path.relative(process.cwd(), out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
