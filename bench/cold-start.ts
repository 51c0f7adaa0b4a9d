/** Handler cold start: a new node process loads the shipped bundle and handles one SNS event. */
import { execFile } from 'child_process';
import path from 'path';
import { startEc2Emulator } from '../emulator/ec2';
import { startRangesServer } from '../emulator/ranges-server';
import { MANIFEST } from '../emulator/shared-data';
import { buildSnsEvent } from '../lambda-src/function/events';
import { AMAZON_IP_SPACE_CHANGED_TOPIC } from '../lambda-src/config/settings';
import { BUNDLE } from './reconciler';
import type { BenchRow } from './table';

const RUNS = 5;

export async function benchColdStart(): Promise<BenchRow[]> {
  const server = await startRangesServer();
  const samples: { loadMs: number; handleMs: number; sinceProcessStartMs: number; rssMb: number }[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const emu = await startEc2Emulator();
      const vpcId = emu.addVpc({ isDefault: true });
      const own = emu.addSecurityGroup({ vpcId, name: 'media-server' });
      const { instanceId } = emu.addInstance({ vpcId, groupIds: [own] });
      const m = MANIFEST[MANIFEST.length - 1];
      const event = buildSnsEvent({ topicArn: AMAZON_IP_SPACE_CHANGED_TOPIC, url: server.url(m.file), md5: m.md5, syncToken: m.syncToken });
      // The child must run asynchronously: a blocking spawn would stall this process, and with it the emulator.
      const out = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [path.join(__dirname, 'cold-start-child.js')],
          {
            env: {
              ...process.env,
              BENCH_BUNDLE: BUNDLE,
              BENCH_EVENT: JSON.stringify(event),
              AWS_ENDPOINT_URL_EC2: emu.endpoint,
              REGION: 'eu-north-1',
              VPC_ID: vpcId,
              INSTANCE_ID: instanceId,
              IP_RANGES_ALLOWED_URLS: server.url(m.file),
              AWS_ACCESS_KEY_ID: 'AKIDBENCH',
              AWS_SECRET_ACCESS_KEY: 'bench',
            },
          },
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        );
      });
      samples.push(JSON.parse(out.trim().split('\n').pop()!));
      await emu.close();
    }
  } finally {
    await server.close();
  }
  const med = (k: keyof (typeof samples)[number]) => samples.map((s) => s[k]).sort((a, b) => a - b)[Math.floor(samples.length / 2)];

  return [
    { section: 'cold start', case: 'require(bundle)', value: med('loadMs'), unit: 'ms', note: `median of ${RUNS} fresh processes` },
    { section: 'cold start', case: 'first event from empty (fetch 2.6 MB, plan, 4 writes)', value: med('handleMs'), unit: 'ms' },
    { section: 'cold start', case: 'process start to result', value: med('sinceProcessStartMs'), unit: 'ms' },
    { section: 'cold start', case: 'peak RSS after one event', value: Math.round(med('rssMb')), unit: 'MiB' },
  ];
}
