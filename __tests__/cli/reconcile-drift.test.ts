/**
 * GIVEN the tutorial's origin (own group with 22 and 80 open, no managed groups) in the EC2 emulator
 * WHEN the built CLI plans, applies and checks drift with real ip-ranges files
 * THEN exit codes follow terraform's -detailed-exitcode and the JSON documents carry the plan.
 */
import { AuthorizeSecurityGroupIngressCommand, ModifyNetworkInterfaceAttributeCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { writeFileSync } from 'fs';
import path from 'path';
import { originFlags, runCli, tempDir } from '../support/cli-harness';
import { closeWorldOpenOriginPort, customDocument, managedGroups, managedRuleKeys, originFacingV4, startOrigin, writes, type Origin } from '../support/origin-fixture';
import { MANIFEST, expectedRuleKeys, rangesPath } from '../../emulator/shared-data';

const FIRST = MANIFEST[0];
const expected = (file: string) => expectedRuleKeys(file, { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: false, ports: [{ protocol: 'tcp', port: 80 }] });

describe('cfguard reconcile and drift against the emulator', () => {
  let origin: Origin;
  let flags: string[];
  beforeEach(async () => {
    origin = await startOrigin();
    await closeWorldOpenOriginPort(origin); // the exposure audit has its own tests (exposure.test.ts)
    flags = [...originFlags(origin), '--ip-ranges', rangesPath(FIRST.file)];
  });
  afterEach(() => origin.close());

  test('reconcile plans (exit 2, no writes), --apply makes it (exit 0), then drift is clean (exit 0)', async () => {
    const plan = await runCli(['reconcile', '--json', ...flags]);
    expect(plan.code).toBe(2);
    const doc = plan.json();
    expect(doc).toMatchObject({ command: 'reconcile', status: 'planned', exitCode: 2, apply: false, force: false });
    expect(doc.document).toEqual({ source: rangesPath(FIRST.file), syncToken: FIRST.syncToken, createDate: FIRST.createDate, md5: FIRST.md5, bytes: FIRST.bytes });
    expect(doc.result).toMatchObject({ outcome: 'planned', applied: false, syncToken: FIRST.syncToken, vpcId: origin.vpcId, rulesAdded: 0, groupsCreated: 0 });
    expect(doc.result.plan.steps.map((s: { kind: string }) => s.kind)).toEqual(['createGroup', 'revokeEgress', 'authorize', 'attach']);
    expect(doc.result.plan.summary).toEqual({ rulesKept: 0, rulesAdded: FIRST.CLOUDFRONT_ORIGIN_FACING.v4, rulesRevoked: 0, rulesHeld: 0, groupsCreated: 1, enisChanged: 1 });
    expect(doc.settings).toMatchObject({ region: 'eu-north-1', vpcId: origin.vpcId, instanceId: origin.instanceId, prefixName: 'AUTOUPDATE_CF', rulesPerGroup: 60 });
    expect(writes(origin.emu)).toEqual([]);

    const applied = await runCli(['reconcile', '--apply', '--json', ...flags]);
    expect(applied.code).toBe(0);
    expect(applied.json()).toMatchObject({
      command: 'reconcile',
      status: 'applied',
      exitCode: 0,
      apply: true,
      result: { outcome: 'applied', applied: true, rulesAdded: FIRST.CLOUDFRONT_ORIGIN_FACING.v4, groupsCreated: 1, enisChanged: 1 },
    });
    expect(managedRuleKeys(origin.emu)).toEqual(expected(FIRST.file));
    const created = managedGroups(origin.emu)[0].groupId;
    expect(origin.emu.eni(origin.eniId)!.groupIds).toEqual([origin.ownGroupId, created]);
    // After --apply, every step names the real group id, once, and nothing says `new:`.
    expect(applied.stdout).not.toContain('new:');
    expect(applied.stderr).not.toContain('new:');
    expect(applied.json().result.plan.steps.map((s: { ref?: string; group?: string }) => s.ref ?? s.group ?? null)).toEqual([created, created, created, null]);
    expect(applied.json().done.map((s: { kind: string }) => s.kind)).toEqual(['createGroup', 'revokeEgress', 'authorize', 'attach']);
    expect(applied.json().done[3]).toMatchObject({ eniId: origin.eniId, added: [created], groupIds: [origin.ownGroupId, created] });
    expect(applied.stderr.match(/^cfguard: step \d+: /gm)).toHaveLength(4);
    expect(applied.stderr).toContain(`cfguard: step 1: createGroup ${created}: name AUTOUPDATE_CF-1`);

    const again = await runCli(['reconcile', '--json', ...flags]);
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ status: 'in-sync', exitCode: 0 });

    const drift = await runCli(['drift', '--json', ...flags]);
    expect(drift.code).toBe(0);
    const report = drift.json();
    expect(report).toMatchObject({ command: 'drift', status: 'in-sync', exitCode: 0, summary: { targets: 1, inSync: 1, drift: 0, error: 0 } });
    expect(report.document.md5).toBe(FIRST.md5);
    expect(report.targets).toHaveLength(1);
    const [target] = report.targets;
    expect(target).toMatchObject({
      name: 'default',
      region: 'eu-north-1',
      instanceId: origin.instanceId,
      status: 'in-sync',
      syncToken: FIRST.syncToken,
      lastAppliedSyncToken: FIRST.syncToken,
      vpcId: origin.vpcId,
    });
    expect(target.managedGroups).toEqual([{ groupId: managedGroups(origin.emu)[0].groupId, groupName: 'AUTOUPDATE_CF-1', rules: FIRST.CLOUDFRONT_ORIGIN_FACING.v4, syncToken: FIRST.syncToken }]);
    expect(target).toMatchObject({ rulesExpected: FIRST.CLOUDFRONT_ORIGIN_FACING.v4, rulesInPlace: FIRST.CLOUDFRONT_ORIGIN_FACING.v4, missing: [], extra: [], interfaces: [], warnings: [] });
    expect(target.ingest).toBeUndefined();

    // The tutorial's own group has 1935/udp but not 1945/tcp: the ingest check names the missing one.
    const ingest = await runCli(['drift', '--json', '--ingest-ports', '1935/udp,1945/tcp', ...flags]);
    expect(ingest.code).toBe(2);
    expect(ingest.json().targets[0]).toMatchObject({
      status: 'drift',
      missing: [],
      extra: [],
      ingest: { groupIds: [origin.ownGroupId], missing: [{ rule: '1945/tcp from 0.0.0.0/0', protocol: 'tcp', fromPort: 1945, toPort: 1945, source: '0.0.0.0/0' }] },
    });
  });

  test('a tampered rule makes drift exit 2 and name it; a removed CloudFront rule and a detached ENI are named too', async () => {
    await runCli(['reconcile', '--apply', ...flags]);
    const [group] = managedGroups(origin.emu);
    const ec2 = origin.emu.client();
    const [first] = expected(FIRST.file)[0].split('|').slice(3);
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '198.51.100.0/24' }] }] }));
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: first }] }] }));

    const text = await runCli(['drift', ...flags]);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/DRIFT/);
    expect(text.stdout).toMatch(new RegExp(`extra\\t${group.groupId} \\(AUTOUPDATE_CF-1\\)\\t22/tcp from 198\\.51\\.100\\.0/24\\tnot an origin port or protocol`));
    expect(text.stdout).toContain(`missing\t-\t80/tcp from ${first}\tpublished, but in no managed group`);

    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: origin.eniId, Groups: [origin.ownGroupId] }));
    const json = (await runCli(['drift', '--json', ...flags])).json();
    const [target] = json.targets;
    expect(json).toMatchObject({ status: 'drift', exitCode: 2, summary: { drift: 1 } });
    expect(target.extra).toEqual([
      { rule: '22/tcp from 198.51.100.0/24', protocol: 'tcp', fromPort: 22, toPort: 22, source: '198.51.100.0/24', groupId: group.groupId, groupName: 'AUTOUPDATE_CF-1', reason: 'other-port' },
    ]);
    expect(target.missing).toEqual([{ rule: `80/tcp from ${first}`, protocol: 'tcp', fromPort: 80, toPort: 80, source: first }]);
    expect(target.interfaces).toEqual([{ eniId: origin.eniId, instanceId: origin.instanceId, missingGroups: [group.groupId] }]);
    expect(target.rulesInPlace).toBe(FIRST.CLOUDFRONT_ORIGIN_FACING.v4 - 1);

    expect((await runCli(['reconcile', '--apply', ...flags])).code).toBe(0);
    expect((await runCli(['drift', ...flags])).code).toBe(0);
  });

  test('a newer document is drift: withdrawn ranges are named as such', async () => {
    await runCli(['reconcile', '--apply', ...flags]);
    const next = MANIFEST.find((m) => expected(m.file).join() !== expected(FIRST.file).join())!;
    const report = (await runCli(['drift', '--json', ...originFlags(origin), '--ip-ranges', rangesPath(next.file)])).json();
    const [target] = report.targets;
    const gone = expected(FIRST.file).filter((k) => !expected(next.file).includes(k));
    const added = expected(next.file).filter((k) => !expected(FIRST.file).includes(k));
    expect(report.exitCode).toBe(2);
    expect(target.extra.map((e: { source: string; reason: string }) => `${e.reason}|${e.source}`).sort()).toEqual(gone.map((k) => `withdrawn|${k.split('|')[3]}`).sort());
    expect(target.missing.map((m: { source: string }) => m.source).sort()).toEqual(added.map((k) => k.split('|')[3]).sort());
  });

  test('a range the selected services dropped but CLOUDFRONT still publishes is named with its services, not as withdrawn', async () => {
    await runCli(['reconcile', '--apply', ...flags]);
    const [group] = managedGroups(origin.emu);
    // the tutorial's CLOUDFRONT groups hold ranges like this one during a migration to CLOUDFRONT_ORIGIN_FACING
    await origin.emu
      .client()
      .send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '118.193.97.64/26' }] }] }));
    const text = await runCli(['drift', ...flags]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`extra\t${group.groupId} (AUTOUPDATE_CF-1)\t80/tcp from 118.193.97.64/26\tpublished as AMAZON, CLOUDFRONT; not in the selected services`);
    expect(text.stdout).not.toMatch(/no longer published/);
  });

  test('drift and reconcile agree on a stale document: after applying the newest, the oldest is stale for both, exit 0, no writes', async () => {
    const newest = MANIFEST[MANIFEST.length - 1];
    expect((await runCli(['reconcile', '--apply', ...originFlags(origin), '--ip-ranges', rangesPath(newest.file)])).code).toBe(0);
    origin.emu.resetCalls();
    const drift = await runCli(['drift', '--json', ...flags]);
    expect(drift.code).toBe(0);
    expect(drift.json()).toMatchObject({
      status: 'stale',
      exitCode: 0,
      summary: { stale: 1, drift: 0 },
      targets: [{ status: 'stale', lastAppliedSyncToken: newest.syncToken, missing: [], extra: [] }],
    });
    const apply = await runCli(['reconcile', '--apply', '--json', ...flags]);
    expect(apply.code).toBe(0);
    expect(apply.json()).toMatchObject({ status: 'stale', exitCode: 0 });
    expect(writes(origin.emu)).toEqual([]);
  });

  test('a newer document whose selected ranges are unchanged is in sync for both: exit 0, 2 reads and no write, the tag stays', async () => {
    await runCli(['reconcile', '--apply', ...flags]);
    const same = MANIFEST.find((m) => m.syncToken !== FIRST.syncToken && expected(m.file).join() === expected(FIRST.file).join())!;
    const newer = [...originFlags(origin), '--ip-ranges', rangesPath(same.file)];
    origin.emu.resetCalls();
    const plan = await runCli(['reconcile', '--json', ...newer]);
    expect(plan.code).toBe(0);
    expect(plan.json()).toMatchObject({ status: 'in-sync', result: { plan: { steps: [] } } });
    const apply = await runCli(['reconcile', '--apply', '--json', ...newer]);
    expect(apply.code).toBe(0);
    expect(apply.json().result.apiCalls).toMatchObject({ reads: 2, writes: 0 });
    const drift = await runCli(['drift', '--json', ...newer]);
    expect(drift.code).toBe(0);
    expect(drift.json().targets[0]).toMatchObject({ status: 'in-sync', syncToken: same.syncToken, lastAppliedSyncToken: FIRST.syncToken });
    const status = await runCli(['status', '--json', ...newer]);
    expect(status.code).toBe(0);
    expect(status.json().syncToken).toEqual({ lastApplied: FIRST.syncToken, published: same.syncToken, state: 'current' });
    expect(writes(origin.emu)).toEqual([]);
    expect(managedGroups(origin.emu)[0].tags.CFGUARD_SYNC_TOKEN).toBe(FIRST.syncToken);
  });

  test('revocations held by the blast-radius guard exit 2 until --force applies them', async () => {
    await runCli(['reconcile', '--apply', ...flags]);
    // GIVEN a newer document that withdraws 35 of the 45 origin-facing ranges (more than MAX_REVOKE_FRACTION=0.5)
    const kept = originFacingV4(FIRST.file).slice(0, 10);
    const file = path.join(tempDir(), 'shrunk.json');
    writeFileSync(file, customDocument(FIRST.file, String(Number(FIRST.syncToken) + 60), kept));
    const shrunk = [...originFlags(origin), '--ip-ranges', file];
    const held = await runCli(['reconcile', '--apply', '--json', ...shrunk]);
    expect(held.code).toBe(2);
    expect(held.json()).toMatchObject({ status: 'held', exitCode: 2, result: { outcome: 'held', heldBy: 'GUARD_REVOKE_FRACTION', rulesHeld: 35, rulesRevoked: 0 } });
    expect(managedRuleKeys(origin.emu)).toHaveLength(45);
    const forced = await runCli(['reconcile', '--apply', '--force', '--json', ...shrunk]);
    expect(forced.code).toBe(0);
    expect(forced.json()).toMatchObject({ status: 'applied', force: true, result: { rulesHeld: 0, rulesRevoked: 35 } });
    expect(
      managedRuleKeys(origin.emu)
        .map((k) => k.split('|')[3])
        .sort(),
    ).toEqual([...kept].sort());
  });

  test('text output when piped is plain: no colour codes, one tab-separated row per plan step', async () => {
    const run = await runCli(['reconcile', ...flags]);
    expect(run.code).toBe(2);
    expect(run.stdout).not.toMatch(/\u001b\[/);
    expect(run.stdout).toMatch(/^Plan for syncToken \d+ in vpc-/);
    expect(run.stdout).toMatch(/^1\tcreateGroup\tnew:AUTOUPDATE_CF-1\t/m);
    expect(run.stdout).toMatch(/Changes pending: run 'cfguard reconcile --apply'/);
    expect(run.stderr).toMatch(/^cfguard: ip-ranges syncToken/m);
  });

  test('text --apply prints each step once, as made, with the real group id, then "Apply complete!" in past tense', async () => {
    const run = await runCli(['reconcile', '--apply', ...flags]);
    expect(run.code).toBe(0);
    const created = managedGroups(origin.emu)[0].groupId;
    const v4 = FIRST.CLOUDFRONT_ORIGIN_FACING.v4;
    expect(run.stdout.split('\n').filter((l) => l !== '')).toEqual([
      `1\tcreateGroup\t${created}\tname AUTOUPDATE_CF-1, tags PREFIX_NAME=AUTOUPDATE_CF Name=AUTOUPDATE_CF-1 CFGUARD_CREATED=AUTOUPDATE_CF CFGUARD_SYNC_TOKEN=${FIRST.syncToken}`,
      `2\trevokeEgress\t${created}\t1 outbound rule: all traffic to 0.0.0.0/0`,
      expect.stringMatching(new RegExp(`^3\tauthorize\t${created}\t${v4} rules: 80/tcp from `)),
      `4\tattach\t${origin.eniId}\tadd ${created}`,
      `Apply complete! Rules: ${v4} added, 0 revoked. Groups: 1 created, 0 deleted. Interfaces: 1 changed. (4 write calls)`,
    ]);
    expect(run.stdout + run.stderr).not.toMatch(/new:|to add|-1\/-1/);
    expect(run.stderr).not.toMatch(/step \d/);
  });
});
