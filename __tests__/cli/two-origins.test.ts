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
import { addSecondaryInstance, originConfig, type SecondaryInstance } from '../support/two-origins';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';
import { startAccount, type Account } from '../support/account-fixture';

const FIRST = MANIFEST[0];

describe('cfguard with a secondary origin', () => {
  let o: Origin;
  let s: SecondaryInstance;
  let flags: string[];
  beforeEach(async () => {
    o = await startOrigin();
    s = addSecondaryInstance(o);
    const config = writeConfig(tempDir(), originConfig(o, s));
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
    // the primary's tutorial rule (80/tcp from the world) is the one exposure, and it is the primary's: nothing for reconcile, attention for a person (exit 2, as drift)
    expect(run.code).toBe(2);
    expect(doc).toMatchObject({ command: 'status', status: 'attention', instanceId: o.instanceId, instanceIds: [o.instanceId, s.instanceId] });
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

  test('drift checks the ingest rules on each instance’s own group: the one missing on the secondary is named with the secondary, and gone once opened there', async () => {
    const open1945 = (groupId: string) =>
      o.emu
        .client('setup')
        .send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1945, ToPort: 1945, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await open1945(o.ownGroupId);
    o.emu.resetCalls();
    const drift = await runCli(['drift', '--json', '--ingest-ports', '1945/tcp', ...flags]);
    expect(drift.code).toBe(2);
    const [target] = drift.json().targets;
    const checks = target.ingestByOrigin.map((c: { instanceId: string; role: string; groupIds: string[]; missing: { rule: string }[] }) => [
      c.role,
      c.instanceId,
      c.groupIds,
      c.missing.map((r) => r.rule),
    ]);
    expect(checks).toEqual([
      ['primary', o.instanceId, [o.ownGroupId], []],
      ['secondary', s.instanceId, [s.ownGroupId], ['1945/tcp from 0.0.0.0/0']],
    ]);
    // the top-level check stays the primary's, as single-origin readers expect
    expect(target.ingest).toMatchObject({ instanceId: o.instanceId, groupIds: [o.ownGroupId], missing: [] });
    const text = await runCli(['drift', '--ingest-ports', '1945/tcp', ...flags]);
    expect(text.stdout).toMatch(new RegExp(`^ingest\\s+${s.ownGroupId} on ${s.instanceId}\\s+1945/tcp from 0\\.0\\.0\\.0/0\\s+missing on the secondary's own group`, 'm'));
    expect(text.stdout).not.toMatch(new RegExp(`^ingest\\s+${o.ownGroupId}`, 'm'));
    expect(writes(o.emu)).toEqual([]);

    await open1945(s.ownGroupId);
    const fixed = await runCli(['drift', '--json', '--ingest-ports', '1945/tcp', ...flags]);
    expect(fixed.json().targets[0].ingestByOrigin.map((c: { missing: unknown[] }) => c.missing)).toEqual([[], []]);
  });

  test('open-ingest opens the ingest rules on each instance’s own group, primary first, and a second run is in sync', async () => {
    const plan = await runCli(['open-ingest', '--json', ...flags]);
    expect(plan.code).toBe(2);
    const doc = plan.json();
    expect(doc).toMatchObject({ status: 'changes', groupId: o.ownGroupId, instanceId: o.instanceId });
    expect(doc.origins.map((x: { role: string; instanceId: string; groupId: string; status: string }) => [x.role, x.instanceId, x.groupId, x.status])).toEqual([
      ['primary', o.instanceId, o.ownGroupId, 'changes'],
      ['secondary', s.instanceId, s.ownGroupId, 'changes'],
    ]);
    const opened = doc.origins.map((x: { authorize: { rule: string }[] }) => x.authorize.map((r) => r.rule));
    expect(opened).toEqual([['1945/tcp from 0.0.0.0/0'], ['1945/tcp from 0.0.0.0/0']]);
    expect(writes(o.emu)).toEqual([]);

    const applied = await runCli(['open-ingest', '--apply', ...flags]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`Applied to ${o.ownGroupId} (media-server) on the primary ${o.instanceId}.`);
    expect(applied.stdout).toContain(`Applied to ${s.ownGroupId} (media-server-b) on the secondary ${s.instanceId}.`);
    expect(writes(o.emu).map((c) => c.action)).toEqual(['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupIngress']);
    for (const id of [o.ownGroupId, s.ownGroupId]) expect(o.emu.world().groups[id].ingress).toContain('tcp|1945|1945|0.0.0.0/0');
    // the managed group was not touched, and stays on both ENIs
    const [managed] = managedGroups(o.emu);
    expect(o.emu.eni(s.eniId)!.groupIds).toEqual([s.ownGroupId, managed.groupId]);

    o.emu.resetCalls();
    const again = await runCli(['open-ingest', '--json', ...flags]);
    expect(again.code).toBe(0);
    expect(again.json().origins.map((x: { status: string }) => x.status)).toEqual(['in-sync', 'in-sync']);
    expect(writes(o.emu)).toEqual([]);
  });

  test('cleanup covers both instances: refused while it would cut CloudFront off the secondary, and with --force it detaches both and keeps each own group', async () => {
    const [managed] = managedGroups(o.emu);
    const before = o.emu.snapshot();
    const ownBefore = [o.emu.group(o.ownGroupId), o.emu.group(s.ownGroupId)];
    // the primary's own group still opens 80/tcp to the world; nothing but the managed group opens it on the secondary
    const planned = await runCli(['cleanup', '--json', ...flags]);
    expect(planned.code).toBe(2);
    expect(planned.json().wouldRefuse).toEqual({ code: 'CLEANUP_WOULD_CUT_CLOUDFRONT', cutOffs: [{ eniId: s.eniId, port: '80/tcp' }] });
    const refused = await runCli(['cleanup', '--apply', ...flags]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`nothing else opens 80/tcp on ${s.eniId}`);
    expect(writes(o.emu)).toEqual([]);
    expect(o.emu.snapshot()).toBe(before);

    const forced = await runCli(['cleanup', '--apply', '--force', '--json', ...flags]);
    expect(forced.code).toBe(0);
    expect(forced.json()).toMatchObject({ status: 'torn-down', groups: [{ groupId: managed.groupId, enis: [o.eniId, s.eniId].sort() }] });
    expect(o.emu.group(managed.groupId)).toBeUndefined();
    expect(o.emu.eni(o.eniId)!.groupIds).toEqual([o.ownGroupId]);
    expect(o.emu.eni(s.eniId)!.groupIds).toEqual([s.ownGroupId]);
    expect([o.emu.group(o.ownGroupId), o.emu.group(s.ownGroupId)]).toEqual(ownBefore);
  });

  test('import maps the secondary’s Elastic IP and the ingest rules on its own group to the secondary’s construct paths', async () => {
    const eip = o.emu.addAddress({ instanceId: s.instanceId });
    const cwd = tempDir();
    const config = writeConfig(cwd, originConfig(o, s));
    const run = await runCli(['import', '--json', '--config', config, '--endpoint-url', o.emu.endpoint]);
    expect(run.code).toBe(0);
    const doc = run.json();
    const eipPath = 'streaming-origin/origin/secondary/elastic-ip/eip';
    expect(doc.secondaryOrigin).toMatchObject({ instanceId: s.instanceId, elasticIp: { allocationId: eip.allocationId, imported: true }, ownGroupId: s.ownGroupId });
    const udp = doc.secondaryOrigin.ingestRules.find((r: { rule: string }) => r.rule === '1935/udp from 0.0.0.0/0');
    expect(udp.ruleId).toMatch(/^sgr-/);
    expect(udp.path).toMatch(/^streaming-origin\/origin\/secondary\/ingest\//);
    expect(doc.importsFile.entries).toMatchObject({ [eipPath]: eip.allocationId, [udp.path]: udp.ruleId });
    expect(writes(o.emu)).toEqual([]);
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

describe('cfguard preflight with a secondary origin', () => {
  /** Runs preflight --json against an account whose origin has a secondary instance; `seed` edits the world first and may add config. */
  async function preflight(seed: (a: Account, s: SecondaryInstance) => Record<string, unknown> = () => ({})) {
    const account = await startAccount();
    try {
      const s = addSecondaryInstance(account.origin);
      const extra = seed(account, s);
      const cwd = tempDir();
      writeConfig(cwd, {
        name: 'media',
        region: 'eu-north-1',
        instanceId: account.origin.instanceId,
        instanceSecurityGroupId: account.origin.ownGroupId,
        ...extra,
        secondaryOrigin: { instanceId: s.instanceId, instanceSecurityGroupId: s.ownGroupId, ...((extra.secondaryOrigin as object) ?? {}) },
      });
      const run = await runCli(['preflight', '--json', '--ip-ranges', rangesPath(FIRST.file), '--endpoint-url', account.origin.emu.endpoint], { cwd, env: account.env });
      return { run, s, account };
    } finally {
      await account.close();
    }
  }

  test('GIVEN room on both instances and for two more Elastic IPs THEN ready, both instances and the Elastic IP count reported', async () => {
    const { run, s, account } = await preflight();
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({
      status: 'ready',
      instance: { instanceId: account.origin.instanceId },
      secondaryInstance: { instanceId: s.instanceId, enis: [{ eniId: s.eniId, groupIds: [s.ownGroupId] }] },
      elasticIps: { quota: { value: 5, source: 'account' }, allocated: 0, needed: 2 },
      findings: [],
    });
  });

  test('GIVEN the secondary’s interface full of its own groups THEN groups-fit names that interface and instance, though the primary has room', async () => {
    const { run, s } = await preflight((a, sec) => {
      const extra = [1, 2, 3, 4].map((i) => a.origin.emu.addSecurityGroup({ vpcId: a.origin.vpcId, name: `b-extra-${i}` }));
      // seeded straight onto the secondary's ENI: a second interface of it, carrying five groups of its own
      a.origin.emu.addEni({ vpcId: a.origin.vpcId, instanceId: sec.instanceId, groupIds: [sec.ownGroupId, ...extra] });
      return {};
    });
    expect(run.code).toBe(2);
    const doc = run.json();
    expect(doc.ownGroups).toBe(5);
    const fit = doc.findings.find((f: { check: string }) => f.check === 'groups-fit');
    expect(fit.message).toContain(`of ${s.instanceId}, keeps 5 of its own`);
    expect(fit.request).toMatchObject({ quotaCode: 'L-2AFB9258', value: 6 });
  });

  test('GIVEN four Elastic IPs already allocated THEN elastic-ips asks for six; adopting one for the secondary makes it fit', async () => {
    const { run } = await preflight((a) => {
      for (let i = 0; i < 4; i++) a.origin.emu.addAddress({});
      return {};
    });
    expect(run.code).toBe(2);
    const eips = run.json().findings.find((f: { check: string }) => f.check === 'elastic-ips');
    expect(eips.message).toContain('allocates 2 Elastic IP(s) and eu-north-1 has 4');
    expect(eips.request).toEqual({ serviceCode: 'ec2', quotaCode: 'L-0263D0A3', name: 'EC2-VPC Elastic IPs', current: 5, value: 6 });

    const adopted = await preflight((a) => {
      const spare = [0, 1, 2, 3].map(() => a.origin.emu.addAddress({}));
      return { secondaryOrigin: { elasticIp: { allocationId: spare[0].allocationId } } };
    });
    expect(adopted.run.json()).toMatchObject({ status: 'ready', elasticIps: { allocated: 4, needed: 1 } });
  });

  test('GIVEN a secondary instance that does not exist THEN instance-not-found names it', async () => {
    const account = await startAccount();
    try {
      const cwd = tempDir();
      writeConfig(cwd, {
        name: 'media',
        region: 'eu-north-1',
        instanceId: account.origin.instanceId,
        instanceSecurityGroupId: account.origin.ownGroupId,
        secondaryOrigin: { instanceId: 'i-0deadbeefdeadbeef', instanceSecurityGroupId: account.origin.ownGroupId },
      });
      const run = await runCli(['preflight', '--json', '--ip-ranges', rangesPath(FIRST.file), '--endpoint-url', account.origin.emu.endpoint], { cwd, env: account.env });
      expect(run.code).toBe(2);
      expect(run.json()).toMatchObject({ secondaryInstance: null });
      expect(run.json().findings).toEqual(
        expect.arrayContaining([expect.objectContaining({ check: 'instance-not-found', message: expect.stringContaining('secondary instance i-0deadbeefdeadbeef') })]),
      );
    } finally {
      await account.close();
    }
  });
});
