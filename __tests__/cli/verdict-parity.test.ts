/**
 * Issue 21: drift and status give one verdict for one state. GIVEN the tutorial origin reconciled by
 * the CLI (its world-open 80 closed, the config's ingest rule 1935/udp open on the own group), then
 * one change per row WHEN the real `cfguard drift --json` and `cfguard status --json` read it from
 * the emulator THEN both exit alike (the row's code), and name the same findings: the same warning
 * codes and subjects, the same exposed rules, the same missing ingest rules.
 */
import { writeFileSync } from 'fs';
import path from 'path';
import { AuthorizeSecurityGroupIngressCommand, CreateTagsCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { runCli, tempDir, writeConfig } from '../support/cli-harness';
import { closeWorldOpenOriginPort, customDocument, managedGroups, originFacingV4, startOrigin, type Origin } from '../support/origin-fixture';
import { addSecondaryInstance, originConfig } from '../support/two-origins';
import { MANIFEST, expectedRuleKeys, rangesPath } from '../../emulator/shared-data';

const FIRST = MANIFEST[0];
const keysOf = (file: string) => expectedRuleKeys(file, { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: false, ports: [{ protocol: 'tcp', port: 80 }] }).join();
const NEWER = MANIFEST.find((m) => keysOf(m.file) !== keysOf(FIRST.file))!;

interface Finding {
  readonly code: string;
  readonly subject: string;
}
interface Report {
  readonly warnings: readonly Finding[];
  readonly exposure?: { readonly exposed: readonly { groupId: string; rule: string }[] };
  readonly ingest?: IngestCheck;
  readonly ingestByOrigin?: readonly IngestCheck[];
}
interface IngestCheck {
  readonly instanceId?: string;
  readonly groupIds: readonly string[];
  readonly missing: readonly { rule: string }[];
}

/**
 * What both must name alike, as sorted lines. status adds SYNC_TOKEN_NOT_RECORDED (informational, its
 * own: the rules, not the tag, decide "current"), which drift's assessment findings do not carry.
 */
function findings(r: Report): string[] {
  const checks = r.ingestByOrigin ?? (r.ingest ? [r.ingest] : []);
  return [
    ...r.warnings.filter((w) => w.code !== 'SYNC_TOKEN_NOT_RECORDED').map((w) => `warning ${w.code} ${w.subject}`),
    ...(r.exposure?.exposed ?? []).map((e) => `exposed ${e.groupId} ${e.rule}`),
    ...checks.flatMap((c) => c.missing.map((m) => `ingest ${c.instanceId ?? '-'} ${c.groupIds.join(',')} ${m.rule}`)),
  ].sort();
}

const world80 = (groupId: string) => ({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
const udp1935 = (groupId: string) => ({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'udp', FromPort: 1935, ToPort: 1935, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
const tcp1945 = (groupId: string) => ({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1945, ToPort: 1945, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });

const callsByAction = (o: Origin) => o.emu.calls.reduce<Record<string, number>>((n, c) => ({ ...n, [c.action]: (n[c.action] ?? 0) + 1 }), {});
/** The state (groups, the instances' interfaces) and the view's groups; before the shared check drift read each own group once more. */
const READS = { DescribeNetworkInterfaces: 1, DescribeSecurityGroups: 2 };

interface World {
  readonly o: Origin;
  readonly flags: string[];
  readonly secondaryOwnGroupId?: string;
}

/** The tutorial origin (with a secondary, when asked) reconciled by the CLI, its world-open 80 closed; ingest rules from the config. */
async function reconciledWorld(opts: { secondary?: boolean; ingestRules: object[] }): Promise<World> {
  const o = await startOrigin();
  const s = opts.secondary ? addSecondaryInstance(o) : undefined;
  const config = writeConfig(tempDir(), originConfig(o, s, { ingest: { rules: opts.ingestRules } }));
  const flags = ['--config', config, '--endpoint-url', o.emu.endpoint];
  expect((await runCli(['reconcile', '--apply', ...flags, '--ip-ranges', rangesPath(FIRST.file)])).code).toBe(0);
  await closeWorldOpenOriginPort(o);
  return { o, flags, ...(s ? { secondaryOwnGroupId: s.ownGroupId } : {}) };
}

function olderDocument(): string {
  const file = path.join(tempDir(), 'older.json');
  writeFileSync(file, customDocument(FIRST.file, String(Number(FIRST.syncToken) - 60), originFacingV4(FIRST.file)));
  return file;
}

interface Row {
  readonly name: string;
  readonly secondary?: boolean;
  /** The change made after the reconcile; returns the document to read (FIRST unless another). */
  readonly change: (w: World) => Promise<string | void>;
  readonly status: 'in-sync' | 'pending' | 'attention' | 'stale';
  readonly drift: 'in-sync' | 'drift' | 'stale';
  /** A line findings() must hold, so no row passes on two empty lists. */
  readonly names?: RegExp;
}

const ROWS: Row[] = [
  { name: 'in sync', change: async () => undefined, status: 'in-sync', drift: 'in-sync' },
  { name: 'a newer document: a plan is pending', change: async () => rangesPath(NEWER.file), status: 'pending', drift: 'drift' },
  {
    name: 'the own group tagged PREFIX_NAME: refused',
    change: async ({ o }) => void (await o.emu.client('operator').send(new CreateTagsCommand({ Resources: [o.ownGroupId], Tags: [{ Key: 'PREFIX_NAME', Value: 'AUTOUPDATE_CF' }] }))),
    status: 'pending',
    drift: 'drift',
    names: /^warning FOREIGN_GROUP_TAGGED sg-/,
  },
  {
    name: 'a world-open 80 on the own group',
    change: async ({ o }) => void (await o.emu.client('operator').send(new AuthorizeSecurityGroupIngressCommand(world80(o.ownGroupId)))),
    status: 'attention',
    drift: 'drift',
    names: /^exposed sg-\S+ 80\/tcp from 0\.0\.0\.0\/0$/,
  },
  {
    name: 'a world-open 80 in a managed group',
    change: async ({ o }) => void (await o.emu.client('operator').send(new AuthorizeSecurityGroupIngressCommand(world80(managedGroups(o.emu)[0].groupId)))),
    status: 'pending',
    drift: 'drift',
    names: /^exposed sg-\S+ 80\/tcp from 0\.0\.0\.0\/0$/,
  },
  {
    name: 'the ingest rule 1935/udp revoked from the own group',
    change: async ({ o }) => void (await o.emu.client('operator').send(new RevokeSecurityGroupIngressCommand(udp1935(o.ownGroupId)))),
    status: 'attention',
    drift: 'drift',
    names: /^ingest - sg-\S+ 1935\/udp from 0\.0\.0\.0\/0$/,
  },
  { name: 'a document older than the one applied: stale', change: async () => olderDocument(), status: 'stale', drift: 'stale', names: /^warning STALE_DOCUMENT / },
  {
    name: 'a group token more than a day ahead, the rules in sync',
    change: async ({ o }) =>
      void (await o.emu.client('operator').send(new CreateTagsCommand({ Resources: [managedGroups(o.emu)[0].groupId], Tags: [{ Key: 'CFGUARD_SYNC_TOKEN', Value: '2999999999' }] }))),
    status: 'in-sync',
    drift: 'in-sync',
    names: /^warning SYNC_TOKEN_IN_FUTURE sg-/,
  },
  {
    name: 'a secondary origin whose own group lacks 1945/tcp (the primary has it)',
    secondary: true,
    change: async ({ o }) => void (await o.emu.client('operator').send(new AuthorizeSecurityGroupIngressCommand(tcp1945(o.ownGroupId)))),
    status: 'attention',
    drift: 'drift',
    names: /^ingest i-\S+ sg-\S+ 1945\/tcp from 0\.0\.0\.0\/0$/,
  },
];

describe('drift and status: one verdict, one set of findings, for each state', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.o.close();
    w = undefined;
  });

  test.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    w = await reconciledWorld({
      secondary: row.secondary,
      ingestRules: row.secondary
        ? [
            { port: 1935, protocol: 'udp' },
            { port: 1945, protocol: 'tcp' },
          ]
        : [{ port: 1935, protocol: 'udp' }],
    });
    const document = (await row.change(w)) ?? rangesPath(FIRST.file);
    w.o.emu.resetCalls();
    const drift = await runCli(['drift', '--json', ...w.flags, '--ip-ranges', document]);
    const driftCalls = callsByAction(w.o);
    w.o.emu.resetCalls();
    const status = await runCli(['status', '--json', ...w.flags, '--ip-ranges', document]);
    // the ingest check reads the own groups from the instance view the exposure audit reads: the same calls, none extra
    expect(callsByAction(w.o)).toEqual(driftCalls);
    expect(driftCalls).toEqual(READS);
    const target = drift.json().targets[0] as Report & { readonly status: string };
    const doc = status.json() as Report & { readonly status: string };
    const expectedCode = row.status === 'pending' || row.status === 'attention' ? 2 : 0;
    expect({ drift: [drift.code, target.status], status: [status.code, doc.status] }).toEqual({ drift: [expectedCode, row.drift], status: [expectedCode, row.status] });
    expect(findings(doc)).toEqual(findings(target));
    if (row.names) expect(findings(doc)).toEqual(expect.arrayContaining([expect.stringMatching(row.names)]));
    else expect(findings(doc)).toEqual([]);
    if (row.secondary) {
      // the secondary's own group is the one named; the primary's check is clean
      expect(doc.ingestByOrigin?.map((c) => [c.groupIds, c.missing.length])).toEqual([
        [[w.o.ownGroupId], 0],
        [[w.secondaryOwnGroupId], 1],
      ]);
    }
    expect(w.o.emu.calls.filter((c) => c.write)).toEqual([]);
  });
});

describe('the shared ingest check: text, and an own group no interface carries', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.o.close();
    w = undefined;
  });

  test('GIVEN the ingest rule revoked THEN status (ATTENTION) and drift name it in text with the fix, open-ingest --apply', async () => {
    w = await reconciledWorld({ ingestRules: [{ port: 1935, protocol: 'udp' }] });
    await w.o.emu.client('operator').send(new RevokeSecurityGroupIngressCommand(udp1935(w.o.ownGroupId)));
    const args = [...w.flags, '--ip-ranges', rangesPath(FIRST.file)];
    const status = await runCli(['status', ...args]);
    const drift = await runCli(['drift', ...args]);
    expect([status.code, drift.code]).toEqual([2, 2]);
    expect(status.stdout).toMatch(/: ATTENTION; 1 managed group$/m);
    expect(status.stdout).toContain(`Ingest: 1 of 1 expected rule missing on ${w.o.ownGroupId}: 1935/udp from 0.0.0.0/0; 'cfguard open-ingest --apply' opens them.`);
    expect(drift.stdout).toMatch(
      new RegExp(`^ingest\\s+${w.o.ownGroupId}\\s+1935/udp from 0\\.0\\.0\\.0/0\\s+missing on the instance's own group \\('cfguard open-ingest --apply' opens them\\)$`, 'm'),
    );

    // WHEN open-ingest opens it THEN both are back in sync, and status says the rule is there
    expect((await runCli(['open-ingest', '--apply', ...args])).code).toBe(0);
    const after = await runCli(['status', ...args]);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/: IN SYNC; 1 managed group$/m);
    expect(after.stdout).toContain(`Ingest: 1 expected rule open on ${w.o.ownGroupId}.`);
    expect((await runCli(['drift', ...args])).code).toBe(0);
  });

  test('GIVEN instanceSecurityGroupId names a group on no interface THEN both read it by id (one call more) and check it; a group that does not exist is OWN_GROUP_NOT_FOUND, exit 1, for both', async () => {
    w = await reconciledWorld({ ingestRules: [{ port: 1935, protocol: 'udp' }] });
    const { o } = w;
    const detached = o.emu.addSecurityGroup({ vpcId: o.vpcId, name: 'media-server-next', ingress: [] });
    const withOwn = (groupId: string) => [
      '--config',
      writeConfig(tempDir(), {
        name: 'streaming-origin',
        region: 'eu-north-1',
        vpcId: o.vpcId,
        instanceId: o.instanceId,
        instanceSecurityGroupId: groupId,
        ingest: { rules: [{ port: 1935, protocol: 'udp' }] },
      }),
      '--endpoint-url',
      o.emu.endpoint,
      '--ip-ranges',
      rangesPath(FIRST.file),
    ];
    o.emu.resetCalls();
    const drift = await runCli(['drift', '--json', ...withOwn(detached)]);
    const driftCalls = callsByAction(o);
    o.emu.resetCalls();
    const status = await runCli(['status', '--json', ...withOwn(detached)]);
    expect(callsByAction(o)).toEqual(driftCalls);
    expect(driftCalls).toEqual({ ...READS, DescribeSecurityGroups: READS.DescribeSecurityGroups + 1 });
    expect([drift.code, status.code]).toEqual([2, 2]);
    expect(status.json().ingest).toEqual(drift.json().targets[0].ingest);
    expect(status.json().ingest).toMatchObject({ groupIds: [detached], missing: [{ rule: '1935/udp from 0.0.0.0/0' }] });

    for (const command of ['drift', 'status']) {
      const run = await runCli([command, '--json', ...withOwn('sg-0000000000000dead')]);
      expect([run.code, run.json().error?.code]).toEqual([1, 'OWN_GROUP_NOT_FOUND']);
      expect(run.json().error.message).toMatch(/instanceSecurityGroupId.*must name an existing security group in this region, got 'sg-0000000000000dead'/);
    }
    expect(o.emu.calls.filter((c) => c.write)).toEqual([]);
  });
});
