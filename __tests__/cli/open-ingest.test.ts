/**
 * GIVEN the tutorial's own group: 22/tcp, 80/tcp and 1935/udp open to the world
 * WHEN `cfguard open-ingest` opens 1935/udp + 1945/tcp and `--close-public 22,80` closes the world-open ports
 * THEN closing 80 is refused until the managed CloudFront groups are attached, and everything is idempotent.
 */
import { ModifyNetworkInterfaceAttributeCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { originFlags, runCli } from '../support/cli-harness';
import { managedGroups, startOrigin, type Origin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const keys = (origin: Origin) =>
  origin.emu
    .group(origin.ownGroupId)!
    .ingress.map((r) => `${r.fromPort}/${r.protocol} ${r.source}`)
    .sort();

describe('cfguard open-ingest', () => {
  let origin: Origin;
  let flags: string[];
  beforeEach(async () => {
    origin = await startOrigin();
    // --ip-ranges: closing CloudFront's port checks every range the current document publishes there
    flags = ['--endpoint-url', origin.emu.endpoint, '--region', 'eu-north-1', '--instance-id', origin.instanceId, '--ip-ranges', rangesPath(MANIFEST[0].file)];
  });
  afterEach(() => origin.close());

  test("plans the missing ingest rule on the instance's own group (exit 2, no writes), --apply opens it, a rerun is in sync", async () => {
    const plan = await runCli(['open-ingest', '--json', ...flags]);
    expect(plan.code).toBe(2);
    expect(plan.json()).toEqual({
      command: 'open-ingest',
      status: 'changes',
      exitCode: 2,
      apply: false,
      groupId: origin.ownGroupId,
      groupName: 'media-server',
      instanceId: origin.instanceId,
      authorize: [{ rule: '1945/tcp from 0.0.0.0/0', protocol: 'tcp', fromPort: 1945, toPort: 1945, source: '0.0.0.0/0' }],
      revoke: [],
      closePorts: [],
      warnings: [],
    });
    expect(origin.emu.calls.filter((c) => c.write)).toEqual([]);

    expect((await runCli(['open-ingest', '--apply', ...flags])).code).toBe(0);
    expect(keys(origin)).toEqual(['1935/udp 0.0.0.0/0', '1945/tcp 0.0.0.0/0', '22/tcp 0.0.0.0/0', '80/tcp 0.0.0.0/0']);
    expect(origin.emu.group(origin.ownGroupId)!.ingress.find((r) => r.fromPort === 1945)!.description).toBe('ingest (cfguard open-ingest)');

    const again = await runCli(['open-ingest', ...flags]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^In sync: sg-[0-9a-f]+ \(media-server\) already has every ingest rule/);
  });

  test('--close-public 22,80 is refused while no managed group covers port 80 on the instance, then allowed after reconcile --apply', async () => {
    const refused = await runCli(['open-ingest', '--close-public', '22,80', '--apply', ...flags]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error CLOSE_WOULD_CUT_CLOUDFRONT: closing world-open port 80 on sg-[0-9a-f]+ would cut CloudFront off the origin: there are no managed groups \(PREFIX_NAME=AUTOUPDATE_CF\) in the VPC yet\. Run 'cfguard reconcile --apply'/,
    );
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(origin.emu.calls.filter((c) => c.write)).toEqual([]);

    expect((await runCli(['reconcile', '--apply', ...originFlags(origin), '--ip-ranges', rangesPath(MANIFEST[0].file)])).code).toBe(0);
    const plan = await runCli(['open-ingest', '--close-public', '22,80', '--json', ...flags]);
    expect(plan.code).toBe(2);
    expect(plan.json()).toMatchObject({
      status: 'changes',
      closePorts: [22, 80],
      authorize: [{ rule: '1945/tcp from 0.0.0.0/0' }],
      revoke: [{ rule: '22/tcp from 0.0.0.0/0' }, { rule: '80/tcp from 0.0.0.0/0' }],
    });
    const applied = await runCli(['open-ingest', '--close-public', '22,80', '--apply', '--json', ...flags]);
    expect(applied.code).toBe(0);
    expect(applied.json()).toMatchObject({ status: 'applied', exitCode: 0, apply: true });
    expect(keys(origin)).toEqual(['1935/udp 0.0.0.0/0', '1945/tcp 0.0.0.0/0']);
    expect((await runCli(['open-ingest', '--close-public', '22,80', ...flags])).code).toBe(0);
  });

  test('managed groups that exist but are detached from the instance still block closing 80; closing 22 alone is fine', async () => {
    await runCli(['reconcile', '--apply', ...originFlags(origin), '--ip-ranges', rangesPath(MANIFEST[0].file)]);
    const [managed] = managedGroups(origin.emu);
    await origin.emu.client().send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: origin.eniId, Groups: [origin.ownGroupId] }));
    const refused = await runCli(['open-ingest', '--close-public', '80', ...flags]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${MANIFEST[0].CLOUDFRONT_ORIGIN_FACING.v4} of the ${MANIFEST[0].CLOUDFRONT_ORIGIN_FACING.v4} ranges document ${MANIFEST[0].syncToken} publishes on port 80 reach ${origin.eniId} through no attached managed group`,
    );
    expect(managed.ingress.length).toBeGreaterThan(0);

    const ssh = await runCli(['open-ingest', '--close-public', '22', '--ingest-ports', '1935/udp', '--json', ...flags]);
    expect(ssh.code).toBe(2);
    expect(ssh.json()).toMatchObject({ authorize: [], revoke: [{ rule: '22/tcp from 0.0.0.0/0' }] });
  });

  test('issue 20: with AUTOUPDATE_CF-1 holding 1 of the published ranges, --close-public 80 is refused, names how many are missing, and writes nothing', async () => {
    await runCli(['reconcile', '--apply', ...originFlags(origin), '--ip-ranges', rangesPath(MANIFEST[0].file)]);
    const [managed] = managedGroups(origin.emu);
    const [kept, ...rest] = managed.ingress;
    await origin.emu
      .client('operator')
      .send(new RevokeSecurityGroupIngressCommand({ GroupId: managed.groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: rest.map((r) => ({ CidrIp: r.source })) }] }));
    expect(origin.emu.group(managed.groupId)!.ingress.map((r) => r.source)).toEqual([kept.source]);
    origin.emu.resetCalls();
    const before = origin.emu.world();
    const refused = await runCli(['open-ingest', '--close-public', '80', '--apply', ...flags]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^error CLOSE_WOULD_CUT_CLOUDFRONT: closing world-open port 80 on ${origin.ownGroupId} would cut CloudFront off the origin: ${rest.length} of the ${managed.ingress.length} ranges document ${MANIFEST[0].syncToken} publishes on port 80 reach ${origin.eniId} through no attached managed group`,
        'm',
      ),
    );
    expect(origin.emu.calls.filter((c) => c.write)).toEqual([]);
    expect(origin.emu.world()).toEqual(before);
    expect(keys(origin)).toContain('80/tcp 0.0.0.0/0');
  });

  test('--group-id names the group directly; a managed group or a bad port list is refused', async () => {
    const byGroup = await runCli([
      'open-ingest',
      '--json',
      '--endpoint-url',
      origin.emu.endpoint,
      '--region',
      'eu-north-1',
      '--group-id',
      origin.ownGroupId,
      '--ingest-ports',
      '1935/udp,1945/tcp',
      '--ingest-cidrs',
      '198.51.100.0/24',
    ]);
    expect(byGroup.code).toBe(2);
    expect(byGroup.json().authorize.map((r: { rule: string }) => r.rule)).toEqual(['1935/udp from 198.51.100.0/24', '1945/tcp from 198.51.100.0/24']);
    // The config key's spelling is the same flag.
    const byConfigName = await runCli([
      'open-ingest',
      '--json',
      '--endpoint-url',
      origin.emu.endpoint,
      '--region',
      'eu-north-1',
      '--instance-security-group-id',
      origin.ownGroupId,
      '--ingest-ports',
      '1935/udp,1945/tcp',
      '--ingest-cidrs',
      '198.51.100.0/24',
    ]);
    expect(byConfigName.code).toBe(2);
    expect(byConfigName.json().authorize).toEqual(byGroup.json().authorize);

    await runCli(['reconcile', '--apply', ...originFlags(origin), '--ip-ranges', rangesPath(MANIFEST[0].file)]);
    const [managed] = managedGroups(origin.emu);
    const onManaged = await runCli(['open-ingest', ...flags, '--group-id', managed.groupId]);
    expect(onManaged.code).toBe(1);
    expect(onManaged.stderr).toMatch(/^error OWN_GROUP_NOT_FOUND: '--group-id' must name the instance's own group, got sg-[0-9a-f]+ \(AUTOUPDATE_CF-1\), which the guard manages/);

    const badPorts = await runCli(['open-ingest', ...flags, '--close-public', '22,http']);
    expect(badPorts.code).toBe(1);
    expect(badPorts.stderr).toBe("error USAGE: '--close-public' must be a comma-separated list of ports 1-65535 like '22,80', got '22,http'\n");
  });
});
