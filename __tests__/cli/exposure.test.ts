/**
 * The exposure audit on the tutorial's state: the own group keeps 80/tcp (and 22/tcp) open to the
 * world next to the managed groups. `cfguard drift` and the bundled Lambda's direct run both report
 * it (drift exit 2, OriginExposedRules 1); after `cfguard open-ingest --close-public 22,80 --apply`
 * neither does. The guard itself never touches the own group.
 */
import { AuthorizeSecurityGroupIngressCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { originFlags, runCli } from '../support/cli-harness';
import { CLOUDFRONT_PREFIX_LISTS } from '../../lambda-src/core/exposure';
import { invoke, loadBundledHandler } from '../support/lambda-harness';
import { readFileSync } from 'fs';
import { type Origin, snsEvent, startOrigin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const FIRST = MANIFEST[0];
const handler = loadBundledHandler();

describe('the exposure audit on the tutorial state', () => {
  let origin: Origin;
  beforeEach(async () => {
    origin = await startOrigin();
  });
  afterEach(() => origin.close());

  const directRun = () => invoke(handler, { source: 'cfguard', action: 'reconcile', url: origin.server.url(FIRST.file) }, origin.env());

  test('drift and the direct run name 80/tcp from the world on the own group; after --close-public 22,80 neither does', async () => {
    const flags = [...originFlags(origin), '--ip-ranges', rangesPath(FIRST.file)];
    const first = await directRun();
    expect(first.error).toBeUndefined();
    const ownRule = {
      groupId: origin.ownGroupId,
      groupName: 'media-server',
      rule: '80/tcp from 0.0.0.0/0',
      kind: 'world-open',
      managed: false,
      eniIds: [origin.eniId],
      instanceIds: [origin.instanceId],
    };
    expect(first.result).toMatchObject({ outcome: 'applied', level: 'warn', OriginExposedRules: 1, ReconcileSucceeded: 1, ReconcileRefused: 0 });
    expect((first.result!.exposure as { exposed: unknown[] }).exposed).toEqual([ownRule]);
    // 22/tcp open to the world is not an origin port: a warning, not exposure; 1935/udp is an ingest rule (INGEST_RULES' default), never counted
    expect((first.result!.exposure as { warnings: { rule: string }[] }).warnings.map((w) => w.rule).sort()).toEqual(['22/tcp from 0.0.0.0/0']);
    const ownBefore = origin.emu.group(origin.ownGroupId);

    const drift = await runCli(['drift', '--json', '--ingest-ports', '1935/udp,1945/tcp', ...flags]);
    expect(drift.code).toBe(2);
    const [report] = drift.json().targets;
    expect(report).toMatchObject({ status: 'drift', missing: [], extra: [] });
    expect(report.exposure.exposed).toEqual([ownRule]);
    expect(report.exposure.warnings.map((w: { rule: string }) => w.rule)).toEqual(['22/tcp from 0.0.0.0/0']);
    const text = await runCli(['drift', ...flags]);
    expect(text.stdout).toMatch(new RegExp(`^exposed\\s+${origin.ownGroupId} \\(media-server\\)\\s+80/tcp from 0\\.0\\.0\\.0/0\\s+open to the world`, 'm'));
    // reporting is all the guard does: the own group is the operator's
    expect(origin.emu.group(origin.ownGroupId)).toEqual(ownBefore);

    expect((await runCli(['open-ingest', '--close-public', '22,80', '--apply', ...flags])).code).toBe(0);
    const clean = await runCli(['drift', '--json', '--ingest-ports', '1935/udp,1945/tcp', ...flags]);
    expect(clean.code).toBe(0);
    expect(clean.json().targets[0].exposure).toEqual({ exposed: [], warnings: [], enisAudited: [origin.eniId], instancesAudited: [origin.instanceId] });
    const again = await directRun();
    expect(again.result).toMatchObject({ outcome: 'in-sync', level: 'info', OriginExposedRules: 0 });
  });

  test("CloudFront's origin-facing prefix list on 80 is the lock, not exposure; another list is exposure (drift exit 2)", async () => {
    // GIVEN the managed groups in place and the own group locked the prefix-list way: 80/tcp from CloudFront's list, not the world
    await directRun();
    const setup = origin.emu.client('operator');
    const port80 = (PrefixListIds?: { PrefixListId: string }[], IpRanges?: { CidrIp: string }[]) => ({
      GroupId: origin.ownGroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, PrefixListIds, IpRanges }],
    });
    await setup.send(new RevokeSecurityGroupIngressCommand(port80(undefined, [{ CidrIp: '0.0.0.0/0' }])));
    const cloudFront = origin.emu.managedPrefixListId(CLOUDFRONT_PREFIX_LISTS.ipv4);
    await setup.send(new AuthorizeSecurityGroupIngressCommand(port80([{ PrefixListId: cloudFront }])));
    // (the tutorial's own group opens only 1935/udp for ingest)
    const flags = ['drift', '--json', '--ingest-ports', '1935/udp', ...originFlags(origin), '--ip-ranges', rangesPath(FIRST.file)];

    // WHEN drift audits THEN in sync: the list is found by name and recognised as CloudFront's
    origin.emu.resetCalls();
    const inSync = await runCli(flags);
    expect(inSync.code).toBe(0);
    expect(inSync.json().targets[0]).toMatchObject({ status: 'in-sync', exposure: { exposed: [], warnings: [{ rule: '22/tcp from 0.0.0.0/0' }] } });
    expect(origin.emu.calls.filter((c) => c.action === 'DescribeManagedPrefixLists')).toHaveLength(1);
    const lambda = await directRun();
    expect(lambda.result).toMatchObject({ outcome: 'in-sync', OriginExposedRules: 0 });

    // GIVEN another prefix list (the region's S3 list) on 80 as well THEN exposure, named by group and rule
    const s3 = origin.emu.managedPrefixListId(`com.amazonaws.${origin.emu.region}.s3`);
    await setup.send(new AuthorizeSecurityGroupIngressCommand(port80([{ PrefixListId: s3 }])));
    const ownBefore = origin.emu.group(origin.ownGroupId);
    const exposed = await runCli(flags);
    expect(exposed.code).toBe(2);
    expect(exposed.json().targets[0].exposure.exposed).toEqual([
      { groupId: origin.ownGroupId, groupName: 'media-server', rule: `80/tcp from ${s3}`, kind: 'prefix-list', managed: false, eniIds: [origin.eniId], instanceIds: [origin.instanceId] },
    ]);
    expect((await directRun()).result).toMatchObject({ OriginExposedRules: 1 });
    // reporting is all the guard does: the own group is the operator's
    expect(origin.emu.group(origin.ownGroupId)).toEqual(ownBefore);
  });

  test('an SNS run skips the audit: a no-op stays at two reads and carries no OriginExposedRules', async () => {
    await directRun();
    origin.emu.resetCalls();
    const body = readFileSync(rangesPath(FIRST.file));
    const run = await invoke(handler, snsEvent(origin.server.url(FIRST.file), body, FIRST.syncToken), origin.env());
    expect(run.result).toMatchObject({ outcome: 'in-sync', apiCalls: { reads: 2, writes: 0 } });
    expect(run.result!.OriginExposedRules).toBeUndefined();
    expect(origin.emu.calls.map((c) => c.action)).toEqual(['DescribeSecurityGroups', 'DescribeNetworkInterfaces']);
  });

  test('a direct no-op run pays the audit: two reads more', async () => {
    await directRun();
    origin.emu.resetCalls();
    const run = await directRun();
    expect(run.result).toMatchObject({ outcome: 'in-sync', apiCalls: { reads: 2, writes: 0 } });
    expect(origin.emu.calls.map((c) => c.action)).toEqual(['DescribeSecurityGroups', 'DescribeNetworkInterfaces', 'DescribeNetworkInterfaces', 'DescribeSecurityGroups']);
  });
});
