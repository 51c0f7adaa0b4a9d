/** Synth time of the example app against a bare stack with the same imports, each in fresh processes. */
import { execFile } from 'child_process';
import path from 'path';
import type { BenchRow } from './table';

const RUNS = 3;

interface Sample {
  readonly loadMs: number;
  readonly synthMs: number;
  readonly sinceProcessStartMs: number;
}

function runChild(mode: 'example' | 'bare'): Promise<Sample> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [path.join(__dirname, 'synth-child.js'), mode], { cwd: path.resolve(__dirname, '..', '..') }, (err, stdout) =>
      err ? reject(err) : resolve(JSON.parse(stdout.trim().split('\n').pop()!)),
    ),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchSynth(): Promise<BenchRow[]> {
  const samples: Record<'example' | 'bare', Sample[]> = { example: [], bare: [] };
  for (let i = 0; i < RUNS; i++) {
    samples.bare.push(await runChild('bare'));
    samples.example.push(await runChild('example'));
  }
  const total = (m: 'example' | 'bare') => median(samples[m].map((s) => s.sinceProcessStartMs));
  const synth = (m: 'example' | 'bare') => median(samples[m].map((s) => s.synthMs));
  return [
    { section: 'synth', case: 'bare stack (same imports): synth()', value: synth('bare'), unit: 'ms', note: `median of ${RUNS} fresh processes` },
    { section: 'synth', case: 'example app: synth()', value: synth('example'), unit: 'ms' },
    { section: 'synth', case: 'bare stack: process start to synthesized', value: total('bare'), unit: 'ms' },
    { section: 'synth', case: 'example app: process start to synthesized', value: total('example'), unit: 'ms' },
    { section: 'synth', case: 'example / bare (process start to synthesized)', value: Number((total('example') / total('bare')).toFixed(2)), unit: 'x' },
  ];
}
