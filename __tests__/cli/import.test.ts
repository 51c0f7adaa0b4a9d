/**
 * GIVEN what the tutorial leaves behind: a tagged AUTOUPDATE_CF group, an untagged AUTOUPDATE_CF-XYZ
 * overflow group (the tutorial's Lambda creates overflow groups without the tag), the instance's own
 * group with 22 and 80 open to the world plus the hand-made 1935/udp and 1945/tcp rules, an Elastic IP
 * WHEN `cfguard import` runs with the config in the working directory
 * THEN it writes the imports file the stack reads, and --apply re-tags the orphan.
 */
import { DescribeSecurityGroupRulesCommand } from '@aws-sdk/client-ec2';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { startEc2Emulator, type Ec2Emulator } from '../../emulator/ec2';
import { runCli, tempDir, writeConfig } from '../support/cli-harness';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const world = (port: number, protocol = 'tcp') => ({ protocol, fromPort: port, toPort: port, cidr: '0.0.0.0/0' });

describe('cfguard import of a tutorial-made origin', () => {
  let emu: Ec2Emulator;
  let dir: string;
  let ids: { vpcId: string; own: string; tagged: string; orphan: string; other: string; instanceId: string; eniId: string; allocationId: string; publicIp: string };

  beforeEach(async () => {
    emu = await startEc2Emulator();
    const vpcId = emu.addVpc({ isDefault: true });
    const own = emu.addSecurityGroup({ vpcId, name: 'media-server', ingress: [world(22), world(80), world(1935, 'udp'), world(1945)] });
    const cf = (n: number) => ({ protocol: 'tcp', fromPort: 80, toPort: 80, cidr: `10.0.${n}.0/24` });
    const tagged = emu.addSecurityGroup({ vpcId, name: 'AUTOUPDATE_CF-Q7B', tags: { PREFIX_NAME: 'AUTOUPDATE_CF' }, ingress: [cf(1), cf(2)] });
    const orphan = emu.addSecurityGroup({ vpcId, name: 'AUTOUPDATE_CF-XYZ', description: 'AUTOUPDATE_CF-XYZ', ingress: [cf(3)] });
    const other = emu.addSecurityGroup({ vpcId, name: 'AUTOUPDATE_STAGING-1', tags: { PREFIX_NAME: 'AUTOUPDATE_STAGING' } });
    const { instanceId, eniIds } = emu.addInstance({ vpcId, groupIds: [own, tagged, orphan] });
    const { allocationId, publicIp } = emu.addAddress({ instanceId });
    ids = { vpcId, own, tagged, orphan, other, instanceId, eniId: eniIds[0], allocationId, publicIp };
    dir = tempDir();
    writeConfig(dir, { name: 'streaming-origin', region: 'eu-north-1', instanceId, vpcId });
  });
  afterEach(() => emu.close());

  const ruleId = async (port: number) => {
    const out = await emu.client().send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [ids.own] }] }));
    return out.SecurityGroupRules!.find((r) => r.FromPort === port && !r.IsEgress)!.SecurityGroupRuleId!;
  };

  test('writes the imports file with the EIP, the distribution and the ingest rules, and exits 2 while the orphan is untagged', async () => {
    const run = await runCli(['import', '--json', '--endpoint-url', emu.endpoint, '--distribution-id', 'E2QWRUHEXAMPLE'], { cwd: dir });
    expect(run.code).toBe(2);
    const file = path.join(dir, 'cfguard.imports.json');
    const expectedEntries = {
      'streaming-origin/origin/elastic-ip/eip': ids.allocationId,
      'streaming-origin/origin/distribution/distribution': 'E2QWRUHEXAMPLE',
      'streaming-origin/origin/ingest/udp-1935-0': await ruleId(1935),
      'streaming-origin/origin/ingest/tcp-1945-0': await ruleId(1945),
    };
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(expectedEntries);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual(Object.keys(expectedEntries));

    const doc = run.json();
    expect(doc).toMatchObject({ command: 'import', status: 'changes', exitCode: 2, apply: false, vpcId: ids.vpcId, prefixName: 'AUTOUPDATE_CF', instanceId: ids.instanceId });
    expect(doc.managedGroups).toEqual([{ groupId: ids.tagged, groupName: 'AUTOUPDATE_CF-Q7B', rules: 2, attachedTo: [ids.eniId] }]);
    expect(doc.orphanedGroups).toEqual([{ groupId: ids.orphan, groupName: 'AUTOUPDATE_CF-XYZ', rules: 1, attachedTo: [ids.eniId], tags: { PREFIX_NAME: 'AUTOUPDATE_CF' }, retagged: false }]);
    expect(doc.otherPrefixGroups).toEqual([{ groupId: ids.other, groupName: 'AUTOUPDATE_STAGING-1', prefixName: 'AUTOUPDATE_STAGING' }]);
    expect(doc.ownGroup).toEqual({
      groupId: ids.own,
      groupName: 'media-server',
      publicRules: [
        { rule: '22/tcp from 0.0.0.0/0', protocol: 'tcp', fromPort: 22, toPort: 22, source: '0.0.0.0/0' },
        { rule: '80/tcp from 0.0.0.0/0', protocol: 'tcp', fromPort: 80, toPort: 80, source: '0.0.0.0/0' },
      ],
    });
    expect(doc.elasticIp).toEqual({ allocationId: ids.allocationId, publicIp: ids.publicIp, imported: true });
    expect(doc.distribution).toEqual({ path: 'streaming-origin/origin/distribution/distribution', id: 'E2QWRUHEXAMPLE' });
    expect(doc.ingestRules).toEqual([
      { path: 'streaming-origin/origin/ingest/udp-1935-0', rule: '1935/udp from 0.0.0.0/0', protocol: 'udp', fromPort: 1935, toPort: 1935, source: '0.0.0.0/0', ruleId: await ruleId(1935) },
      { path: 'streaming-origin/origin/ingest/tcp-1945-0', rule: '1945/tcp from 0.0.0.0/0', protocol: 'tcp', fromPort: 1945, toPort: 1945, source: '0.0.0.0/0', ruleId: await ruleId(1945) },
    ]);
    expect(doc.importsFile).toEqual({ path: file, written: true, entries: expectedEntries });
    // Warnings are data with stable codes (core/findings); the text view says them with the fix.
    expect(doc.warnings).toEqual([
      { code: 'OWN_GROUP_UNSET', subject: ids.own, details: {} },
      { code: 'OWN_GROUP_OPEN_TO_WORLD', subject: ids.own, details: { rules: ['22/tcp from 0.0.0.0/0', '80/tcp from 0.0.0.0/0'], ports: [22, 80] } },
    ]);
    const text = await runCli(['import', '--endpoint-url', emu.endpoint, '--distribution-id', 'E2QWRUHEXAMPLE'], { cwd: dir });
    expect(text.stderr).toContain(`OWN_GROUP_UNSET: set "instanceSecurityGroupId": "${ids.own}" in the config so the stack puts the ingest rules on the same group`);
    expect(text.stderr).toContain(
      `OWN_GROUP_OPEN_TO_WORLD: ${ids.own} is open to the world on 22/tcp from 0.0.0.0/0, 80/tcp from 0.0.0.0/0; once the managed groups are attached, close them with 'cfguard open-ingest --close-public 22,80 --apply'`,
    );
    expect(emu.group(ids.orphan)!.tags).toEqual({});
    expect(emu.calls.filter((c) => c.write)).toEqual([]);
  });

  test('--apply tags the orphan PREFIX_NAME=AUTOUPDATE_CF and adopts both tutorial groups (CFGUARD_ADOPTED, exit 0), and a second run finds nothing left to do', async () => {
    const applied = await runCli(['import', '--apply', '--json', '--endpoint-url', emu.endpoint], { cwd: dir });
    expect(applied.code).toBe(0);
    expect(applied.json()).toMatchObject({ status: 'applied', exitCode: 0, orphanedGroups: [{ groupId: ids.orphan, retagged: true }], notAdopted: [] });
    expect(
      applied
        .json()
        .adoptedGroups.map((g: { groupId: string }) => g.groupId)
        .sort(),
    ).toEqual([ids.tagged, ids.orphan].sort());
    // the adoption record: the only thing besides the guard's own name and description that makes a group the guard's
    expect(emu.group(ids.orphan)!.tags).toEqual({ PREFIX_NAME: 'AUTOUPDATE_CF', CFGUARD_ADOPTED: 'AUTOUPDATE_CF' });
    expect(emu.group(ids.tagged)!.tags).toEqual({ PREFIX_NAME: 'AUTOUPDATE_CF', CFGUARD_ADOPTED: 'AUTOUPDATE_CF' });
    expect(emu.group(ids.other)!.tags).toEqual({ PREFIX_NAME: 'AUTOUPDATE_STAGING' });

    const again = await runCli(['import', '--json', '--endpoint-url', emu.endpoint], { cwd: dir });
    expect(again.code).toBe(0);
    const doc = again.json();
    expect(doc).toMatchObject({ status: 'in-sync', exitCode: 0, orphanedGroups: [], importsFile: { written: false } });
    expect(doc.managedGroups.map((g: { groupId: string }) => g.groupId).sort()).toEqual([ids.tagged, ids.orphan].sort());
  });

  test('after the import the reconciler manages the adopted overflow group: its stale rule goes, the ranges fill the groups, and a compaction frees the group they no longer need', async () => {
    await runCli(['import', '--apply', '--endpoint-url', emu.endpoint], { cwd: dir });
    const file = rangesPath(MANIFEST[0].file);
    const run = await runCli(['reconcile', '--apply', '--force', '--json', '--endpoint-url', emu.endpoint, '--ip-ranges', file], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.json().result.plan.steps.filter((s: { kind: string }) => s.kind === 'createGroup')).toEqual([]);
    // the origin-facing ranges fit in one group of 60, so the run's compaction pass deletes the emptier of the two
    expect(run.json().result.groupsDeleted).toBe(1);
    const managed = [emu.group(ids.tagged), emu.group(ids.orphan)].filter((g) => g !== undefined);
    expect(managed).toHaveLength(1);
    expect(managed.flatMap((g) => g.ingress).some((r) => r.source.startsWith('10.0.'))).toBe(false);
    expect(managed.flatMap((g) => g.ingress)).toHaveLength(MANIFEST[0].CLOUDFRONT_ORIGIN_FACING.v4);
  });

  test("--apply never adopts a tagged group holding someone else's rules, nor one on another instance: each is named, FOREIGN_GROUP_TAGGED or MANAGED_GROUP_ON_OTHER_INTERFACE, and left untagged", async () => {
    const db = emu.addSecurityGroup({
      vpcId: ids.vpcId,
      name: 'AUTOUPDATE_CF-DB',
      tags: { PREFIX_NAME: 'AUTOUPDATE_CF' },
      ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidr: '10.0.0.0/16' }],
    });
    const shared = emu.addSecurityGroup({
      vpcId: ids.vpcId,
      name: 'AUTOUPDATE_CF-SH',
      tags: { PREFIX_NAME: 'AUTOUPDATE_CF' },
      ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '10.0.9.0/24' }],
    });
    const other = emu.addInstance({ vpcId: ids.vpcId, groupIds: [shared] });
    const applied = await runCli(['import', '--apply', '--json', '--endpoint-url', emu.endpoint], { cwd: dir });
    expect(applied.code).toBe(0);
    const doc = applied.json();
    expect(doc.notAdopted).toEqual(
      expect.arrayContaining([
        { groupId: db, groupName: 'AUTOUPDATE_CF-DB', code: 'FOREIGN_GROUP_TAGGED', reason: expect.stringContaining('5432/tcp from 10.0.0.0/16') },
        { groupId: shared, groupName: 'AUTOUPDATE_CF-SH', code: 'MANAGED_GROUP_ON_OTHER_INTERFACE', reason: expect.stringContaining(other.eniIds[0]) },
      ]),
    );
    expect(doc.notAdopted).toHaveLength(2);
    const refusals = doc.warnings.filter((w: { code: string }) => w.code === 'FOREIGN_GROUP_TAGGED' || w.code === 'MANAGED_GROUP_ON_OTHER_INTERFACE');
    expect(refusals.map((w: { code: string; subject: string }) => `${w.code} ${w.subject}`).sort()).toEqual([`FOREIGN_GROUP_TAGGED ${db}`, `MANAGED_GROUP_ON_OTHER_INTERFACE ${shared}`].sort());
    expect(emu.group(db)!.tags).toEqual({ PREFIX_NAME: 'AUTOUPDATE_CF' });
    expect(emu.group(shared)!.tags).toEqual({ PREFIX_NAME: 'AUTOUPDATE_CF' });
  });

  test('--imports-file names the file; entries found replace theirs, hand-added ones are kept, in the stack order', async () => {
    writeFileSync(
      path.join(dir, 'other.json'),
      JSON.stringify({ 'streaming-origin/origin/elastic-ip/eip': 'eipalloc-00000000000000000', 'streaming-origin/origin/distribution/distribution': 'E1HANDADDED000' }),
    );
    const first = await runCli(['import', '--endpoint-url', emu.endpoint, '--imports-file', 'other.json'], { cwd: dir });
    expect(first.code).toBe(2);
    expect(first.stdout).toMatch(/orphaned group\tsg-[0-9a-f]+ \(AUTOUPDATE_CF-XYZ\)\tuntagged: --apply tags it PREFIX_NAME=AUTOUPDATE_CF/);
    expect(existsSync(path.join(dir, 'cfguard.imports.json'))).toBe(false);
    const written = JSON.parse(readFileSync(path.join(dir, 'other.json'), 'utf8'));
    expect(Object.keys(written)).toEqual([
      'streaming-origin/origin/elastic-ip/eip',
      'streaming-origin/origin/distribution/distribution',
      'streaming-origin/origin/ingest/udp-1935-0',
      'streaming-origin/origin/ingest/tcp-1945-0',
    ]);
    expect(written['streaming-origin/origin/elastic-ip/eip']).toBe(ids.allocationId);
    expect(written['streaming-origin/origin/distribution/distribution']).toBe('E1HANDADDED000');
  });

  test('without a config file import refuses with CONFIG_INVALID: the construct paths come from it', async () => {
    const run = await runCli(['import', '--endpoint-url', emu.endpoint, '--region', 'eu-north-1', '--instance-id', ids.instanceId]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error CONFIG_INVALID: 'import' needs the config file/);
    expect(run.stdout).toBe('');
  });
});
