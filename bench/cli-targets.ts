/**
 * `cfguard drift --targets` over 200 emulated targets at the default concurrency (target under 10 s).
 * One emulator holds 200 VPCs, each an origin the guard reconciled (one managed group with the
 * document's rules, attached to the instance), so every target reads a real state and is in sync.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { startEc2Emulator, type Ec2Emulator } from '../emulator/ec2';
import { MANIFEST, expectedRuleKeys, rangesPath } from '../emulator/shared-data';
import { median, run } from './cli';
import type { BenchRow } from './table';

const TARGETS = 200;
const RUNS = 3;

function seedOrigin(emu: Ec2Emulator, index: number, ruleKeys: readonly string[], syncToken: string) {
  const vpcId = emu.addVpc();
  const own = emu.addSecurityGroup({ vpcId, name: 'media-server' });
  const managed = emu.addSecurityGroup({
    vpcId,
    name: 'AUTOUPDATE_CF-1',
    tags: { PREFIX_NAME: 'AUTOUPDATE_CF', Name: 'AUTOUPDATE_CF-1', CFGUARD_SYNC_TOKEN: syncToken },
    ingress: ruleKeys.map((key) => {
      const [protocol, from, to, cidr] = key.split('|');
      return { protocol, fromPort: Number(from), toPort: Number(to), cidr };
    }),
    egress: [],
  });
  const { instanceId } = emu.addInstance({ vpcId, groupIds: [own, managed] });
  return { name: `origin-${String(index).padStart(3, '0')}`, region: 'eu-north-1', vpcId, instanceId, endpointUrl: emu.endpoint };
}

export async function benchDriftTargets(): Promise<BenchRow[]> {
  const latest = MANIFEST[MANIFEST.length - 1];
  const ruleKeys = expectedRuleKeys(latest.file, { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: false, ports: [{ protocol: 'tcp', port: 80 }] });
  const emu = await startEc2Emulator();
  const times: number[] = [];
  let code = -1;
  try {
    const targets = Array.from({ length: TARGETS }, (_, i) => seedOrigin(emu, i, ruleKeys, latest.syncToken));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cfguard-bench-')), 'targets.json');
    writeFileSync(file, JSON.stringify(targets));
    for (let i = 0; i < RUNS; i++) {
      const r = await run(['drift', '--json', '--targets', file, '--ip-ranges', rangesPath(latest.file)]);
      times.push(r.ms);
      code = r.code;
    }
  } finally {
    await emu.close();
  }
  return [
    {
      section: 'cli',
      case: `cfguard drift --targets (${TARGETS} emulated targets, concurrency 4)`,
      value: median(times),
      unit: 'ms',
      target: '< 10 s',
      note: `median of ${RUNS}; exit ${code} (0: every target in sync)`,
    },
  ];
}
