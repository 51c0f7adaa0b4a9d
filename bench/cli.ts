/** cfguard startup: `--help` against a bare `node -e 0` (ratio of medians), and `drift` against the emulator with a local ranges file. */
import { execFile } from 'child_process';
import { tmpdir } from 'os';
import path from 'path';
import { startEc2Emulator } from '../emulator/ec2';
import { MANIFEST, rangesPath } from '../emulator/shared-data';
import type { BenchRow } from './table';

/** The shipped CLI bundle, as `npx cfguard` runs it (bench runs from dist-dev/bench/). */
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'bundle', 'cfguard.mjs');

export function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; code: number }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    // Asynchronous: the emulator the CLI talks to lives in this process.
    // cwd: a folder without cfguard.config.json, so only the flags below count.
    // maxBuffer: drift --json over 200 targets prints more than execFile's 1 MiB default, which would kill the CLI mid-run.
    const options = { cwd: tmpdir(), maxBuffer: 256 * 1024 * 1024, env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench', ...env } };
    execFile(process.execPath, [CLI, ...args], options, (err) => {
      const code = (err as { code?: unknown } | null)?.code;
      if (err && typeof code !== 'number') reject(new Error(`bench: cfguard ${args.join(' ')} did not finish: ${err.message}`));
      else resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, code: err ? (code as number) : 0 });
    });
  });
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs a bare `node -e 0`, the floor any Node CLI starts from. */
function bareNode(): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => execFile(process.execPath, ['-e', '0'], () => resolve(Number(process.hrtime.bigint() - t0) / 1e6)));
}

export async function benchCli(): Promise<BenchRow[]> {
  // Interleaved, so the machine's load at any moment weighs on both alike.
  const help: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 15; i++) {
    bare.push(await bareNode());
    help.push((await run(['--help'])).ms);
  }
  const ratio = median(help) / median(bare);

  const emu = await startEc2Emulator();
  const drift: number[] = [];
  let code = -1;
  try {
    const vpcId = emu.addVpc({ isDefault: true });
    const own = emu.addSecurityGroup({ vpcId, name: 'media-server' });
    const { instanceId } = emu.addInstance({ vpcId, groupIds: [own] });
    const file = rangesPath(MANIFEST[MANIFEST.length - 1].file);
    const flags = ['--endpoint-url', emu.endpoint, '--region', 'eu-north-1', '--vpc-id', vpcId, '--instance-id', instanceId, '--ip-ranges', file, '--group-id', own];
    await run(['reconcile', '--apply', ...flags.slice(0, -2)]);
    await run(['open-ingest', '--apply', ...flags]);
    for (let i = 0; i < 5; i++) {
      const r = await run(['drift', '--json', ...flags.slice(0, -2)]);
      drift.push(r.ms);
      code = r.code;
    }
  } finally {
    await emu.close();
  }
  return [
    { section: 'cli', case: 'cfguard --help', value: median(help), unit: 'ms', target: '< 200 ms', note: 'median of 15 processes' },
    { section: 'cli', case: 'node -e 0 (the floor)', value: median(bare), unit: 'ms', note: 'median of 15, interleaved with --help' },
    { section: 'cli', case: 'cfguard --help / node -e 0', value: Math.round(ratio * 100) / 100, unit: 'x', target: '<= 1.5x', note: 'ratio of medians; root help prints without loading yargs' },
    { section: 'cli', case: 'cfguard drift (emulator, local 2.6 MB file)', value: median(drift), unit: 'ms', note: `median of 5; exit ${code}` },
  ];
}
