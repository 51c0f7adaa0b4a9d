/**
 * GIVEN the tutorial's origin with the guard applied on 80 (the default), and a config whose
 * distribution sends CloudFront to MediaMTX's HLS port (`originHttpPort: 8888`)
 * WHEN the CLI reads that config
 * THEN the guard's ports, the drift check and the exposure audit are about 8888, and an explicit
 * `--ports` without 8888 is refused before any AWS write.
 */
import { AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { originFlags, runCli, tempDir, writeConfig } from '../support/cli-harness';
import { closeWorldOpenOriginPort, managedRuleKeys, startOrigin, writes, type Origin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const FIRST = MANIFEST[0];

describe('the origin port is the guard port, in the CLI', () => {
  let origin: Origin;
  let flags: string[];
  let dir: string;
  beforeEach(async () => {
    origin = await startOrigin();
    await closeWorldOpenOriginPort(origin);
    flags = [...originFlags(origin), '--ip-ranges', rangesPath(FIRST.file)];
    dir = tempDir();
    writeConfig(dir, { name: 'mediamtx', region: 'eu-north-1', instanceId: origin.instanceId, vpcId: origin.vpcId, ingest: { enabled: false }, distribution: { originHttpPort: 8888 } });
    // The guard as it was deployed before the origin moved: on 80, in sync for 80.
    expect((await runCli(['reconcile', '--apply', ...flags])).code).toBe(0);
    expect(new Set(managedRuleKeys(origin.emu).map((k) => k.split('|')[1]))).toEqual(new Set(['80']));
    origin.emu.resetCalls();
  });
  afterEach(() => origin.close());

  test('drift against the guard on 80 is drift (exit 2): every 8888 rule missing, every 80 rule extra', async () => {
    const drift = await runCli(['drift', '--json', ...flags], { cwd: dir });
    expect(drift.code).toBe(2);
    const target = drift.json().targets[0];
    expect(target.status).toBe('drift');
    expect(target.rulesInPlace).toBe(0);
    expect(target.missing).toHaveLength(FIRST.CLOUDFRONT_ORIGIN_FACING.v4);
    expect(target.missing.every((r: { fromPort: number; toPort: number }) => r.fromPort === 8888 && r.toPort === 8888)).toBe(true);
    expect(target.extra).toHaveLength(FIRST.CLOUDFRONT_ORIGIN_FACING.v4);
    expect(target.extra.every((r: { fromPort: number }) => r.fromPort === 80)).toBe(true);
    expect(writes(origin.emu)).toEqual([]);
  });

  test('reconcile plans 8888 and its settings say 8888/tcp; --apply moves the guard to 8888', async () => {
    const plan = await runCli(['reconcile', '--json', ...flags], { cwd: dir });
    expect(plan.code).toBe(2);
    expect(plan.json().settings.ports).toEqual([{ protocol: 'tcp', fromPort: 8888, toPort: 8888 }]);
    expect((await runCli(['reconcile', '--apply', ...flags], { cwd: dir })).code).toBe(0);
    expect(new Set(managedRuleKeys(origin.emu).map((k) => k.split('|')[1]))).toEqual(new Set(['8888']));
    expect((await runCli(['drift', ...flags], { cwd: dir })).code).toBe(0);
  });

  test('a world-open 8888 on the instance is exposure on an origin port; before the config it was not audited', async () => {
    const open = { IpProtocol: 'tcp', FromPort: 8888, ToPort: 8888, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    await origin.emu.client('setup').send(new AuthorizeSecurityGroupIngressCommand({ GroupId: origin.ownGroupId, IpPermissions: [open] }));
    const withConfig = (await runCli(['status', '--json', ...flags], { cwd: dir })).json().exposure;
    expect(withConfig.exposed).toEqual([expect.objectContaining({ groupId: origin.ownGroupId, rule: '8888/tcp from 0.0.0.0/0', kind: 'world-open' })]);
    const without = (await runCli(['status', '--json', ...flags])).json().exposure;
    expect(without.exposed).toEqual([]);
  });

  test('an explicit --ports without 8888 is one CONFIG_INVALID naming both settings and the fix; nothing is written', async () => {
    const run = await runCli(['reconcile', '--apply', '--ports', '80/tcp', ...flags], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "error CONFIG_INVALID: '--ports' must include 8888/tcp, the port CloudFront connects to on the origin ('cfguard.config.json: distribution.originHttpPort' is 8888), got 80/tcp; " +
        "add 8888/tcp to '--ports', remove '--ports' so the guard follows the origin's port, or change 'cfguard.config.json: distribution.originHttpPort'\n",
    );
    expect(origin.emu.calls).toEqual([]);
  });

  test('an explicit --ports that includes 8888 is accepted as given', async () => {
    const plan = await runCli(['reconcile', '--json', '--ports', '8000-9000/tcp,1935/udp', ...flags], { cwd: dir });
    expect(plan.code).toBe(2);
    expect(plan.json().settings.ports).toEqual([
      { protocol: 'tcp', fromPort: 8000, toPort: 9000 },
      { protocol: 'udp', fromPort: 1935, toPort: 1935 },
    ]);
  });
});
