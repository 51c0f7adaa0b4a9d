/**
 * EC2 calls (reads and writes) and wall time of the shipped bundle against the emulator with the
 * real documents: a run from empty, a no-op run, and each replay step.
 */
import { readFileSync, statSync } from 'fs';
import path from 'path';
import { gzipSync } from 'zlib';
import { startEc2Emulator } from '../emulator/ec2';
import { startRangesServer } from '../emulator/ranges-server';
import { MANIFEST, expectedRuleKeys } from '../emulator/shared-data';
import { buildSnsEvent } from '../lambda-src/function/events';
import { AMAZON_IP_SPACE_CHANGED_TOPIC } from '../lambda-src/config/settings';
import { timed, type BenchRow } from './table';

export const BUNDLE = path.resolve(__dirname, '..', '..', 'dist', 'lambda', 'index.js');

/**
 * The same replay measured at commit 1ab4daa, before a token-only difference stopped writing: every
 * step made 2 reads + 1 CreateTags, and 1786607225 one AuthorizeSecurityGroupIngress more.
 */
const BEFORE_REPLAY = { calls: 22, writes: 8 };

type Handler = (event: unknown) => Promise<{ apiCalls?: { reads: number; writes: number } }>;

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

export async function benchReconciler(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const emu = await startEc2Emulator();
  const server = await startRangesServer();
  const vpcId = emu.addVpc({ isDefault: true });
  const own = emu.addSecurityGroup({ vpcId, name: 'media-server' });
  const { instanceId } = emu.addInstance({ vpcId, groupIds: [own] });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_EC2: emu.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    REGION: 'eu-north-1',
    VPC_ID: vpcId,
    INSTANCE_ID: instanceId,
    IP_RANGES_ALLOWED_URLS: MANIFEST.map((m) => server.url(m.file)).join(','),
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const handler = require(BUNDLE).handler as Handler;
  const event = (file: string) => {
    const m = MANIFEST.find((x) => x.file === file)!;
    return buildSnsEvent({ topicArn: AMAZON_IP_SPACE_CHANGED_TOPIC, url: server.url(file), md5: m.md5, syncToken: m.syncToken });
  };
  const totals = { reads: 0, writes: 0 };
  // A direct run takes the scheduled run's path (the same exposure audit) but names the loopback URL:
  // the schedule itself fetches the official URL, which the bench does not reach.
  const direct = (file: string) => ({ source: 'cfguard', action: 'reconcile', url: server.url(file) });
  const run = async (label: string, file: string, target?: { reads: string; writes: string }, audited = false) => {
    emu.resetCalls();
    const { result, ms } = await timed(() => quietly(() => handler(audited ? direct(file) : event(file))));
    const byAction = emu.calls.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.action]: (acc[c.action] ?? 0) + 1 }), {});
    const reads = emu.calls.filter((c) => !c.write).length;
    const writes = emu.calls.length - reads;
    const detail = Object.entries(byAction)
      .map(([a, n]) => `${a} ${n}`)
      .join(', ');
    totals.reads += reads;
    totals.writes += writes;
    rows.push({ section: 'reconcile', case: `${label}: EC2 reads`, value: reads, unit: 'calls', target: target?.reads });
    rows.push({ section: 'reconcile', case: `${label}: EC2 writes`, value: writes, unit: 'calls', target: target?.writes, note: detail });
    rows.push({ section: 'reconcile', case: `${label}: wall time`, value: ms, unit: 'ms' });
    return result;
  };
  try {
    await run('from empty', MANIFEST[0].file, {
      reads: '2 + 1 overlap checkpoint per write phase + 1 ENI re-read per modify (+1 VPC check)',
      writes: 'per group: create, egress revoke, authorize; per ENI: modify',
    });
    await run('SNS no-op (same document again)', MANIFEST[0].file, { reads: '2', writes: '0' });
    await run('scheduled/direct no-op with the exposure audit', MANIFEST[0].file, { reads: "4 (2 + the audit's 2)", writes: '0' }, true);
    // The replay: each later real version in turn. A step whose selected ranges are unchanged changes no access,
    // so it must cost the floor, 2 reads and no write (the syncToken is recorded only together with a change).
    const selected = (file: string) => expectedRuleKeys(file, { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: false, ports: [{ protocol: 'tcp', port: 80 }] }).join();
    totals.reads = totals.writes = 0;
    for (const [i, m] of MANIFEST.slice(1).entries()) {
      const unchanged = selected(m.file) === selected(MANIFEST[i].file);
      await run(`replay ${m.file}${unchanged ? ' (ranges unchanged)' : ' (ranges changed)'}`, m.file, unchanged ? { reads: '2', writes: '0' } : undefined);
    }
    const steps = MANIFEST.length - 1;
    rows.push({
      section: 'reconcile',
      case: `replay total (${steps} steps): EC2 calls`,
      value: totals.reads + totals.writes,
      unit: 'calls',
      note: `before (commit 1ab4daa, a CreateTags per step): ${BEFORE_REPLAY.calls} calls`,
    });
    rows.push({ section: 'reconcile', case: `replay total (${steps} steps): EC2 writes`, value: totals.writes, unit: 'calls', note: `before (commit 1ab4daa): ${BEFORE_REPLAY.writes} writes` });
    const last = MANIFEST[MANIFEST.length - 1];
    await run(`scheduled/direct run on ${last.file}, with the exposure audit`, last.file, { reads: '2 + audit 2 (+ <= 3 overlap checkpoints when it writes)', writes: '0 (in sync)' }, true);
  } finally {
    await emu.close();
    await server.close();
  }
  return rows;
}

export function benchBundle(): BenchRow[] {
  const bytes = statSync(BUNDLE).size;
  const gz = gzipSync(readFileSync(BUNDLE)).length;
  return [
    { section: 'bundle', case: 'dist/lambda/index.js', value: bytes, unit: 'bytes' },
    { section: 'bundle', case: 'dist/lambda/index.js gzipped (~ the zip)', value: gz, unit: 'bytes' },
  ];
}
