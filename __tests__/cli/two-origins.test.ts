/**
 * The CLI with a secondary origin (issue 22): the config's `secondaryOrigin` makes every command
 * guard, read and report both instances, as the deployed function's GUARDED_INSTANCE_IDS does.
 * GIVEN the origin fixture plus a secondary instance, and a config naming both
 * WHEN reconcile, status and drift run against the emulator
 * THEN both ENIs are locked, and each finding names the instance it is about.
 */
import { ModifyNetworkInterfaceAttributeCommand, AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { runCli, tempDir, writeConfig } from '../support/cli-harness';
import { managedGroups, startOrigin, writes, type Origin } from '../support/origin-fixture';
import { addSecondaryInstance, type SecondaryInstance } from '../support/two-origins';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const FIRST = MANIFEST[0];

describe('cfguard with a secondary origin', () => {
  let o: Origin;
  let s: SecondaryInstance;
  let flags: string[];
  beforeEach(async () => {
    o = await startOrigin();
    s = addSecondaryInstance(o);
    const config = writeConfig(tempDir(), {
      name: 'streaming-origin',
      region: 'eu-north-1',
      vpcId: o.vpcId,
      instanceId: o.instanceId,
      instanceSecurityGroupId: o.ownGroupId,
      secondaryOrigin: { instanceId: s.instanceId, instanceSecurityGroupId: s.ownGroupId },
    });
    flags = ['--config', config, '--endpoint-url', o.emu.endpoint, '--ip-ranges', rangesPath(FIRST.file)];
    const applied = await runCli(['reconcile', '--apply', '--json', ...flags]);
    expect(applied.code).toBe(0);
    o.emu.resetCalls();
  });
  afterEach(() => o.close());

  const setEniGroups = (eniId: string, groupIds: string[]) => o.emu.client('setup').send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: groupIds }));

  test('reconcile --apply attached the managed group to both instances; status reports each origin locked, with zero writes', async () => {
    const [managed] = managedGroups(o.emu);
    expect(o.emu.eni(o.eniId)!.groupIds).toEqual([o.ownGroupId, managed.groupId]);
    expect(o.emu.eni(s.eniId)!.groupIds).toEqual([s.ownGroupId, managed.groupId]);
    const run = await runCli(['status', '--json', ...flags]);
    const doc = run.json();
    // the primary's tutorial rule (80/tcp from the world) is the one exposure, and it is the primary's
    expect(doc).toMatchObject({ command: 'status', status: 'in-sync', instanceId: o.instanceId, instanceIds: [o.instanceId, s.instanceId] });
    expect(doc.origins).toEqual([
      { instanceId: o.instanceId, role: 'primary', enis: [o.eniId], detached: [], exposedRules: 1, locked: false },
      { instanceId: s.instanceId, role: 'secondary', enis: [s.eniId], detached: [], exposedRules: 0, locked: true },
    ]);
    expect(doc.exposure.instancesAudited).toEqual([o.instanceId, s.instanceId]);
    expect(doc.exposure.exposed).toEqual([expect.objectContaining({ groupId: o.ownGroupId, instanceIds: [o.instanceId] })]);
    expect(writes(o.emu)).toEqual([]);

    const text = await runCli(['status', ...flags]);
    expect(text.stdout).toContain(`instances ${o.instanceId} (primary), ${s.instanceId} (secondary)`);
    expect(text.stdout).toContain(`origin secondary ${s.instanceId}: ${s.eniId} carry every managed group; no exposure`);
    expect(text.stdout).toContain(`origin primary ${o.instanceId}: ${o.eniId} carry every managed group; 1 exposed rule(s)`);
    expect(text.stdout).toContain(`${o.ownGroupId} (media-server) on ${o.instanceId}: 80/tcp from 0.0.0.0/0 (world-open)`);
  });

  test('the managed group gone from the secondary: status is pending for the secondary only, drift names its ENI and instance, and reconcile puts it back there', async () => {
    const [managed] = managedGroups(o.emu);
    await setEniGroups(s.eniId, [s.ownGroupId]);
    o.emu.resetCalls();
    const status = await runCli(['status', '--json', ...flags]);
    expect(status.code).toBe(2);
    const origins = status.json().origins;
    expect(origins[1]).toEqual({
      instanceId: s.instanceId,
      role: 'secondary',
      enis: [s.eniId],
      detached: [{ eniId: s.eniId, instanceId: s.instanceId, missingGroups: [managed.groupId] }],
      exposedRules: 0,
      locked: false,
    });
    expect(origins[0].detached).toEqual([]);

    const drift = await runCli(['drift', '--json', ...flags]);
    expect(drift.code).toBe(2);
    const [target] = drift.json().targets;
    expect(target).toMatchObject({ status: 'drift', instanceIds: [o.instanceId, s.instanceId], interfaces: [{ eniId: s.eniId, instanceId: s.instanceId, missingGroups: [managed.groupId] }] });
    expect(target.origins.map((x: { instanceId: string; locked: boolean }) => [x.instanceId, x.locked])).toEqual([
      [o.instanceId, false],
      [s.instanceId, false],
    ]);
    const text = await runCli(['drift', ...flags]);
    expect(text.stdout).toMatch(new RegExp(`^detached\\s+${s.eniId} \\(${s.instanceId}\\)\\s+-\\s+lacks ${managed.groupId}`, 'm'));
    expect(writes(o.emu)).toEqual([]);

    const fixed = await runCli(['reconcile', '--apply', '--json', ...flags]);
    expect(fixed.code).toBe(0);
    expect(writes(o.emu).map((c) => c.action)).toEqual(['ModifyNetworkInterfaceAttribute']);
    expect(o.emu.eni(s.eniId)!.groupIds).toEqual([s.ownGroupId, managed.groupId]);
    expect(o.emu.eni(o.eniId)!.groupIds).toEqual([o.ownGroupId, managed.groupId]);
  });

  test('a world-open origin port on the secondary’s own group: drift names the secondary, not the primary', async () => {
    await o.emu
      .client('setup')
      .send(new AuthorizeSecurityGroupIngressCommand({ GroupId: s.ownGroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const drift = await runCli(['drift', ...flags]);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(new RegExp(`^exposed\\s+${s.ownGroupId} \\(media-server-b\\) on ${s.instanceId}\\s+80/tcp from 0\\.0\\.0\\.0/0`, 'm'));
    expect(drift.stdout).toMatch(new RegExp(`^exposed\\s+${o.ownGroupId} \\(media-server\\) on ${o.instanceId}\\s+80/tcp from 0\\.0\\.0\\.0/0`, 'm'));
    expect(drift.stdout).toContain(`origin secondary ${s.instanceId}: ${s.eniId} carry every managed group; 1 exposed rule(s)`);
  });

  test('without secondaryOrigin in the config the same world reads the secondary’s managed group as refused: the config is what makes both guarded', async () => {
    const [managed] = managedGroups(o.emu);
    const single = writeConfig(tempDir(), { name: 'streaming-origin', region: 'eu-north-1', vpcId: o.vpcId, instanceId: o.instanceId, instanceSecurityGroupId: o.ownGroupId });
    const status = await runCli(['status', '--json', '--config', single, '--endpoint-url', o.emu.endpoint, '--ip-ranges', rangesPath(FIRST.file)]);
    const doc = status.json();
    expect(doc.origins).toBeUndefined();
    expect(doc.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'MANAGED_GROUP_ON_OTHER_INTERFACE', subject: managed.groupId })]));
  });
});
