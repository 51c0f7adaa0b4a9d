/** Prints bench rows as an aligned table; the same rows go to the JSON file. */
export interface BenchRow {
  readonly section: string;
  readonly case: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly note?: string;
}

export function printTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((r) => [r.section, r.case, formatValue(r.value, r.unit), r.target ?? '', r.note ?? '']);
  const header = ['section', 'case', 'value', 'target', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function formatValue(value: number, unit: string): string {
  if (unit === 'bytes') return value >= 1024 ? `${(value / 1024).toFixed(1)} KiB` : `${value} B`;
  if (unit === 'ms') return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
  return `${value} ${unit}`;
}

export async function timed<T>(fn: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

/** Median of `runs` timings, after one warm-up. */
export async function median(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
