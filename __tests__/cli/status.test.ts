/**
 * GIVEN an origin the guard reconciled with the first real document (two managed groups of 30 and 15
 * rules on the instance's ENI, beside its own group and an unmanaged `monitoring` group)
 * WHEN `cfguard status` runs against the emulator
 * THEN it shows each group's rules per port and family and its interfaces, the syncToken applied
 * against the published one and the pending plan, exits like `drift` (0 in sync or stale, 2 pending
 * or attention, 1 error: cli/status/verdict), and never writes.
 */
import { writeFileSync } from 'fs';
import path from 'path';
import { runCli, tempDir, originFlags } from '../support/cli-harness';
import { FIRST, mainInProcess, startDayTwoOrigin, type DayTwoOrigin } from '../support/day-two-origin';
import { closeWorldOpenOriginPort, customDocument, managedGroups, originFacingV4, startOrigin, writes, type Origin } from '../support/origin-fixture';
import { MANIFEST, expectedRuleKeys, rangesPath } from '../../emulator/shared-data';

const expected = (file: string) => expectedRuleKeys(file, { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: false, ports: [{ protocol: 'tcp', port: 80 }] });
const IN_SYNC_SUMMARY = { rulesKept: 45, rulesAdded: 0, rulesRevoked: 0, rulesHeld: 0, groupsCreated: 0, enisChanged: 0 };

function writeDocument(syncToken: string, originFacing: string[]): string {
  const file = path.join(tempDir(), `custom-${syncToken}.json`);
  writeFileSync(file, customDocument(FIRST.file, syncToken, originFacing));
  return file;
}

describe('cfguard status against the emulator', () => {
  let origin: DayTwoOrigin;
  beforeEach(async () => {
    origin = await startDayTwoOrigin({ sideEni: false });
  });
  afterEach(() => origin.close());

  test('the plan in sync beside a world-open 80: attention (exit 2, as drift); the JSON document field by field, with zero writes; in sync (exit 0) once 80 is closed', async () => {
    const [m1, m2] = managedGroups(origin.emu);
    const run = await runCli(['status', '--json', ...origin.flags]);
    expect(run.code).toBe(2);
    const doc = run.json();
    expect(Object.keys(doc)).toEqual(['command', 'status', 'exitCode', 'document', 'prefixName', 'vpcId', 'instanceId', 'syncToken', 'managedGroups', 'interfaces', 'pending', 'warnings', 'exposure']);
    // the day-two origin keeps the tutorial's 80/tcp open to the world on its own group: the audit names it
    expect(doc.exposure).toEqual({
      exposed: [{ groupId: origin.ownGroupId, groupName: 'media-server', rule: '80/tcp from 0.0.0.0/0', kind: 'world-open', managed: false, eniIds: [origin.eniId], instanceIds: [origin.instanceId] }],
      warnings: expect.arrayContaining([expect.objectContaining({ groupId: origin.ownGroupId, rule: '22/tcp from 0.0.0.0/0', kind: 'world-open' })]),
      enisAudited: [origin.eniId],
      instancesAudited: [origin.instanceId],
    });
    expect(doc).toMatchObject({ command: 'status', status: 'attention', exitCode: 2, prefixName: 'AUTOUPDATE_CF', vpcId: origin.vpcId, instanceId: origin.instanceId, warnings: [] });
    expect(doc.document).toEqual({ source: rangesPath(FIRST.file), syncToken: FIRST.syncToken, createDate: FIRST.createDate, md5: FIRST.md5, bytes: FIRST.bytes });
    expect(doc.syncToken).toEqual({ lastApplied: FIRST.syncToken, published: FIRST.syncToken, state: 'current' });
    expect(doc.managedGroups).toEqual([
      { groupId: m1.groupId, groupName: 'AUTOUPDATE_CF-1', syncToken: FIRST.syncToken, rules: [{ port: '80/tcp', v4: 30, v6: 0 }], rulesTotal: 30, egressRules: 0, enis: [origin.eniId] },
      { groupId: m2.groupId, groupName: 'AUTOUPDATE_CF-2', syncToken: FIRST.syncToken, rules: [{ port: '80/tcp', v4: 15, v6: 0 }], rulesTotal: 15, egressRules: 0, enis: [origin.eniId] },
    ]);
    expect(doc.interfaces).toEqual([
      { eniId: origin.eniId, instanceId: origin.instanceId, groupIds: [origin.ownGroupId, origin.monitoringGroupId, m1.groupId, m2.groupId], managedGroupIds: [m1.groupId, m2.groupId] },
    ]);
    expect(doc.pending).toEqual({
      outcome: 'in-sync',
      steps: 0,
      byKind: {},
      summary: IN_SYNC_SUMMARY,
      heldBy: null,
      plan: { syncToken: FIRST.syncToken, status: 'in-sync', steps: [], held: [], summary: IN_SYNC_SUMMARY, warnings: [] },
    });
    expect(run.stderr).toMatch(/^cfguard: ip-ranges syncToken 1783714025/m);
    expect(writes(origin.emu)).toEqual([]);

    // WHEN the world-open 80 is closed THEN nothing needs anybody: in sync, exit 0
    await closeWorldOpenOriginPort(origin);
    const closed = await runCli(['status', '--json', ...origin.flags]);
    expect(closed.code).toBe(0);
    expect(closed.json()).toMatchObject({ status: 'in-sync', exitCode: 0, exposure: { exposed: [] } });
  });

  test('a newer published document: exit 2, the syncToken is behind and the plan counts match the ranges that changed', async () => {
    const next = MANIFEST.find((m) => expected(m.file).join() !== expected(FIRST.file).join())!;
    const gone = expected(FIRST.file).filter((k) => !expected(next.file).includes(k));
    const added = expected(next.file).filter((k) => !expected(FIRST.file).includes(k));
    const run = await runCli(['status', '--json', ...origin.flags, '--ip-ranges', rangesPath(next.file)]);
    expect(run.code).toBe(2);
    const doc = run.json();
    expect(doc).toMatchObject({ command: 'status', status: 'pending', exitCode: 2, document: { syncToken: next.syncToken, md5: next.md5 } });
    expect(doc.syncToken).toEqual({ lastApplied: FIRST.syncToken, published: next.syncToken, state: 'behind' });
    expect(doc.pending).toMatchObject({ outcome: 'planned', steps: doc.pending.plan.steps.length, heldBy: null, byKind: expect.objectContaining({ tagSyncToken: 1 }) });
    expect(doc.pending.summary).toMatchObject({ rulesAdded: added.length, rulesRevoked: gone.length, rulesHeld: 0, rulesKept: 45 - gone.length });
    expect(doc.pending.steps).toBeGreaterThan(1);
    expect(doc.managedGroups.map((g: { syncToken: string }) => g.syncToken)).toEqual([FIRST.syncToken, FIRST.syncToken]);
    expect(writes(origin.emu)).toEqual([]);
  });

  test('text when piped: a headline, the header and one tab-separated row per group, the tokens and the plan in one line', async () => {
    const [m1, m2] = managedGroups(origin.emu);
    const run = await mainInProcess(['status', ...origin.flags]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe(
      [
        `PREFIX_NAME=AUTOUPDATE_CF in ${origin.vpcId}, instance ${origin.instanceId}: ATTENTION; 2 managed groups`,
        'GROUP\tNAME\tSYNCTOKEN\tRULES\tENIS',
        `${m1.groupId}\tAUTOUPDATE_CF-1\t${FIRST.syncToken}\t80/tcp v4 30, v6 0\t${origin.eniId}`,
        `${m2.groupId}\tAUTOUPDATE_CF-2\t${FIRST.syncToken}\t80/tcp v4 15, v6 0\t${origin.eniId}`,
        `syncToken: last applied ${FIRST.syncToken}, published ${FIRST.syncToken} (current)`,
        'Plan: nothing to do; 45 rules in place.',
        `Exposure: 1 rule(s) let other sources reach the origin ports: ${origin.ownGroupId} (media-server): 80/tcp from 0.0.0.0/0 (world-open), fix it on ${origin.ownGroupId} (for the instance's own group: cfguard open-ingest --close-public 80 --apply).`,
        '',
      ].join('\n'),
    );
  });

  test('withdrawals beyond MAX_REVOKE_FRACTION are pending (exit 2) and shown as held, in text and JSON', async () => {
    const file = writeDocument(String(Number(FIRST.syncToken) + 60), originFacingV4(FIRST.file).slice(0, 10));
    const text = await mainInProcess(['status', ...origin.flags, '--ip-ranges', file]);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/: PENDING; 2 managed groups$/m);
    // nothing but held revocations: no lone token write, and the hint names the flag that makes it
    expect(text.stdout).toMatch(
      /^Plan pending: 0 steps \(0 rules to add, 0 to revoke, 35 held, .*\)\. 'cfguard reconcile' shows it, only --apply --force makes it \(revocations are held by GUARD_REVOKE_FRACTION: review them first\)\.$/m,
    );
    expect(text.stdout).toMatch(/\(behind: the rules do not match it yet\)$/m);
    expect(text.stdout).toMatch(/^held \(GUARD_REVOKE_FRACTION\): revoke from sg-/m);
    expect(text.stderr).toMatch(/warning: GUARD_REVOKE_FRACTION: 35 of 45 managed rules would be revoked/);
    const json = (await mainInProcess(['status', '--json', ...origin.flags, '--ip-ranges', file])).json();
    expect(json.pending).toMatchObject({ outcome: 'planned', steps: 0, byKind: {}, heldBy: 'GUARD_REVOKE_FRACTION', summary: { rulesHeld: 35, rulesRevoked: 0 } });
    expect(json.syncToken.state).toBe('behind');
    expect(json.pending.plan.held.flatMap((h: { rules: unknown[] }) => h.rules)).toHaveLength(35);
  });

  test('an older document than the one applied is stale: exit 0, the applied token is ahead', async () => {
    await closeWorldOpenOriginPort(origin);
    const file = writeDocument(String(Number(FIRST.syncToken) - 60), originFacingV4(FIRST.file));
    const run = await mainInProcess(['status', '--json', ...origin.flags, '--ip-ranges', file]);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ status: 'stale', exitCode: 0, syncToken: { lastApplied: FIRST.syncToken, state: 'ahead' }, pending: { outcome: 'stale', steps: 0 } });
  });

  test('on a TTY the state is coloured; an unknown instance is exit 1 with one error line, and an error document with --json', async () => {
    await closeWorldOpenOriginPort(origin);
    let stdout = '';
    const { main } = await import('../../cli/main');
    const code = await main(['status', ...origin.flags], { stdout: { write: (s: string) => (stdout += s), isTTY: true }, stderr: { write: () => true }, cwd: tempDir(), env: {} });
    expect(code).toBe(0);
    expect(stdout).toContain('\u001b[32mIN SYNC\u001b[39m');
    expect(stdout).toMatch(/\u001b\[1mGROUP\s*\u001b\[22m/);

    const flags = origin.flags.map((f) => (f === origin.instanceId ? 'i-0000000000000dead' : f));
    const text = await mainInProcess(['status', ...flags]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    // Spelled as the user gave the setting (the flag here), by status and drift alike; the Lambda says INSTANCE_ID.
    const line = /^error INSTANCE_NOT_FOUND: --instance-id 'i-0000000000000dead' has no network interface in vpc-[0-9a-f]+; check --instance-id and --vpc-id\. Nothing was changed\.$/;
    expect(text.stderr.trimEnd().split('\n').pop()).toMatch(line);
    const drift = await mainInProcess(['drift', ...flags]);
    expect(drift.code).toBe(1);
    expect(drift.stderr.trimEnd().split('\n').pop()).toMatch(line);
    const json = await mainInProcess(['status', '--json', ...flags]);
    expect(json.json()).toMatchObject({ command: 'status', status: 'error', exitCode: 1, error: { code: 'INSTANCE_NOT_FOUND', kind: 'usage' } });
  });
});

describe('cfguard status before the guard ever ran', () => {
  let origin: Origin;
  afterEach(() => origin.close());

  test('no managed group: exit 2, never applied, creating and attaching the groups is pending', async () => {
    origin = await startOrigin();
    const run = await mainInProcess(['status', '--json', ...originFlags(origin), '--ip-ranges', rangesPath(FIRST.file)]);
    expect(run.code).toBe(2);
    const doc = run.json();
    expect(doc).toMatchObject({ status: 'pending', exitCode: 2, managedGroups: [], syncToken: { lastApplied: null, published: FIRST.syncToken, state: 'never-applied' } });
    expect(doc.interfaces).toEqual([{ eniId: origin.eniId, instanceId: origin.instanceId, groupIds: [origin.ownGroupId], managedGroupIds: [] }]);
    expect(doc.pending).toMatchObject({ outcome: 'planned', steps: 4, byKind: { createGroup: 1, revokeEgress: 1, authorize: 1, attach: 1 }, summary: { rulesAdded: 45, groupsCreated: 1 } });
    expect(writes(origin.emu)).toEqual([]);
  });
});
