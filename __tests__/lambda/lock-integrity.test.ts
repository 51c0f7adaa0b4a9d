/**
 * Lock integrity, tried as an attacker and as a careless operator would, through the shipped bundle
 * against the EC2 emulator. One table: each case asserts the exact outcome, code and writes, what
 * the instance's ENI let in after *every* write (the emulator records it), and the final state.
 */
import { AuthorizeSecurityGroupIngressCommand, CreateTagsCommand, ModifyNetworkInterfaceAttributeCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { loadBundledHandler, invoke, type Invocation } from '../support/lambda-harness';
import { type Origin, customDocument, managedGroups, managedRuleKeys, originFacingV4, snsEvent, startOrigin, writes } from '../support/origin-fixture';
import { startRangesServer, type RangesServer } from '../../emulator/ranges-server';
import { MANIFEST } from '../../emulator/shared-data';
import { MANAGED_GROUP_DESCRIPTION } from '../../lambda-src/core/plan';

const handler = loadBundledHandler();
const BASE = MANIFEST[0].file;
const OLD = '1783714100';
const NEW = '1783714200';
const OWN_RULES = ['tcp|22|22|0.0.0.0/0', 'tcp|80|80|0.0.0.0/0', 'udp|1935|1935|0.0.0.0/0'];
const ranges = originFacingV4(BASE);
const cfKeys = (cidrs: string[]) => cidrs.map((c) => `tcp|80|80|${c}`).sort();
const WORLD_ALL = { protocol: 'tcp', fromPort: 0, toPort: 65535, cidr: '0.0.0.0/0' };

interface Case {
  readonly name: string;
  /** Seeds the account, serves documents, runs the bundle; returns the run under test. */
  readonly run: (o: Origin) => Promise<Invocation>;
  readonly outcome: string;
  readonly code?: string;
  /** The exact write actions of the run under test, in order. */
  readonly writes: readonly string[];
  /** ENI ingress keys allowed at every write (besides the own group's tutorial rules). */
  readonly allowed: (o: Origin) => string[];
  /** ENI ingress keys that must be present at every write (published by the newest document and reachable before). @default none */
  readonly mustStay?: string[];
  readonly final: (o: Origin, run: Invocation) => void;
}

function serve(o: Origin, name: string, token: string, cidrs: string[]): { body: string; event: object } {
  const body = customDocument(BASE, token, cidrs);
  o.server.serve(name, body);
  return { body, event: snsEvent(o.server.url(name), body, token) };
}

function rawDocument(o: Origin, name: string, edit: (doc: { syncToken: string; prefixes: object[]; ipv6_prefixes: object[] }) => void): object {
  const doc = JSON.parse(customDocument(BASE, OLD, ranges));
  edit(doc);
  const body = JSON.stringify(doc);
  o.server.serve(name, body);
  return snsEvent(o.server.url(name), body, doc.syncToken);
}

async function authorize(o: Origin, groupId: string, permission: object): Promise<void> {
  await o.emu.client('attacker').send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }));
}

function evilGroup(o: Origin, ruleCount: number): string {
  const more = Array.from({ length: ruleCount - 1 }, (_, i) => ({ protocol: 'tcp', fromPort: 1000 + i, toPort: 1000 + i, cidr: `198.51.100.${i}/32` }));
  return o.emu.addSecurityGroup({ vpcId: o.vpcId, name: 'evil', tags: { PREFIX_NAME: 'AUTOUPDATE_CF' }, ingress: [WORLD_ALL, ...more] });
}

/**
 * The own group holding nothing but CloudFront ranges on 80 and tagged PREFIX_NAME: it looks exactly
 * like a managed group, so only the configured instanceSecurityGroupId tells the guard it is not.
 */
async function ownGroupLookingManaged(o: Origin): Promise<string[]> {
  const actor = o.emu.client('operator');
  const world = (IpProtocol: string, port: number) => ({ IpProtocol, FromPort: port, ToPort: port, IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
  await actor.send(new RevokeSecurityGroupIngressCommand({ GroupId: o.ownGroupId, IpPermissions: [world('tcp', 22), world('tcp', 80), world('udp', 1935)] }));
  const cloudFront = ranges.slice(0, 3);
  await authorize(o, o.ownGroupId, { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: cloudFront.map((CidrIp) => ({ CidrIp })) });
  await actor.send(new CreateTagsCommand({ Resources: [o.ownGroupId], Tags: [{ Key: 'PREFIX_NAME', Value: 'AUTOUPDATE_CF' }] }));
  o.emu.resetCalls();
  return cfKeys(cloudFront);
}

const line = (run: Invocation) => (run.result ?? run.lines[run.lines.length - 1]) as Record<string, unknown>;
const warningsOf = (run: Invocation) => (line(run).warnings as { code: string; subject: string; message: string }[] | undefined) ?? [];
const ok = async (o: Origin, event: object, env = o.env()) => {
  const run = await invoke(handler, event, env);
  expect(run.error).toBeUndefined();
  o.emu.resetCalls();
  return run;
};

/** Runs `first` until it is held before its first write, runs `second` to the end, then lets `first` finish. */
async function interleave(o: Origin, first: object, second: object): Promise<{ first: Invocation; second: Invocation }> {
  const pause = o.emu.pauseAt(3); // after its two reads, before its first checkpoint and any write
  const firstRun = invoke(handler, first, o.env());
  await pause.reached;
  const secondRun = await invoke(handler, second, o.env());
  pause.release();
  return { first: await firstRun, second: secondRun };
}

const CASES: Case[] = [
  // Before issue 20 the guard "cleaned" a tagged group it did not create and then attached it: a tag
  // made it the guard's. Now a tag proves nothing: such a group is refused whole and never written.
  {
    name: 'a foreign tagged group with one world-open rule is never written or attached: FOREIGN_GROUP_TAGGED, and the guard uses a group of its own',
    run: async (o) => {
      evilGroup(o, 1);
      return invoke(handler, serve(o, 'custom-1.json', OLD, ranges).event, o.env());
    },
    outcome: 'applied',
    writes: ['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress', 'ModifyNetworkInterfaceAttribute'],
    allowed: () => cfKeys(ranges),
    final: (o, run) => {
      const evil = o.emu.groups().find((g) => g.groupName === 'evil')!;
      expect(line(run)).toMatchObject({ refusedBy: 'FOREIGN_GROUP_TAGGED', refusedGroups: [evil.groupId], ReconcileRefused: 1, foreignRulesRevoked: 0 });
      expect(evil.ingress.map((r) => r.source)).toEqual(['0.0.0.0/0']);
      expect(evil.egress).toHaveLength(1);
      expect(o.emu.eni(o.eniId)!.groupIds).not.toContain(evil.groupId);
    },
  },
  {
    name: 'a foreign tagged group with 60 rules is left exactly as it is whatever MAX_REVOKE_FRACTION says',
    run: async (o) => {
      evilGroup(o, 60);
      return invoke(handler, serve(o, 'custom-1.json', OLD, ranges).event, o.env({ MAX_REVOKE_FRACTION: '0.01' }));
    },
    outcome: 'applied',
    writes: ['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress', 'ModifyNetworkInterfaceAttribute'],
    allowed: () => cfKeys(ranges),
    final: (o, run) => {
      const evil = o.emu.groups().find((g) => g.groupName === 'evil')!;
      expect(line(run)).toMatchObject({ refusedBy: 'FOREIGN_GROUP_TAGGED', foreignRulesRevoked: 0, rulesHeld: 0 });
      expect(evil.ingress).toHaveLength(60);
      expect(o.emu.eni(o.eniId)!.groupIds).toHaveLength(2);
    },
  },
  {
    name: "a tagged group that copies the guard's description under another name is still not the guard's: name and description together prove creation",
    run: async (o) => {
      o.emu.addSecurityGroup({ vpcId: o.vpcId, name: 'evil', description: MANAGED_GROUP_DESCRIPTION, tags: { PREFIX_NAME: 'AUTOUPDATE_CF' }, ingress: [WORLD_ALL] });
      return invoke(handler, serve(o, 'custom-1.json', OLD, ranges).event, o.env());
    },
    outcome: 'applied',
    writes: ['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress', 'ModifyNetworkInterfaceAttribute'],
    allowed: () => cfKeys(ranges),
    final: (o, run) => {
      const evil = o.emu.groups().find((g) => g.groupName === 'evil')!;
      expect(line(run)).toMatchObject({ refusedBy: 'FOREIGN_GROUP_TAGGED', refusedGroups: [evil.groupId] });
      expect(evil.ingress.map((r) => r.source)).toEqual(['0.0.0.0/0']);
    },
  },
  {
    // Without INSTANCE_SECURITY_GROUP_ID a tagged group on the ENI may be anyone's: the guard may not name it (nor may its policy), so the ENI is not written.
    name: "the instance's own group tagged by mistake is left untouched, named, and the run counts as refused; unnamed, it keeps the ENI from being written",
    run: async (o) => {
      await o.emu.client('attacker').send(new CreateTagsCommand({ Resources: [o.ownGroupId], Tags: [{ Key: 'PREFIX_NAME', Value: 'AUTOUPDATE_CF' }] }));
      o.emu.resetCalls();
      return invoke(handler, serve(o, 'custom-1.json', OLD, ranges).event, o.env());
    },
    outcome: 'applied',
    writes: ['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress'],
    allowed: () => [],
    final: (o, run) => {
      expect(line(run)).toMatchObject({ refusedBy: 'FOREIGN_GROUP_TAGGED', refusedGroups: [o.ownGroupId], ReconcileRefused: 1, level: 'warn' });
      expect(warningsOf(run).find((w) => w.code === 'FOREIGN_GROUP_ON_INTERFACE')).toMatchObject({ subject: o.ownGroupId, message: expect.stringContaining(`${o.eniId} holds ${o.ownGroupId}`) });
      expect(o.emu.eni(o.eniId)!.groupIds).toEqual([o.ownGroupId]);
      const own = o.emu.group(o.ownGroupId)!;
      expect(own.ingress.map((r) => `${r.protocol}|${r.fromPort}|${r.toPort}|${r.source}`).sort()).toEqual(OWN_RULES);
      expect(own.egress).toHaveLength(1);
      expect(own.tags.CFGUARD_SYNC_TOKEN).toBeUndefined();
    },
  },
  {
    name: 'the own group named by INSTANCE_SECURITY_GROUP_ID, tagged and holding only CloudFront-looking rules, is never written: FOREIGN_GROUP_TAGGED',
    run: async (o) => {
      await ownGroupLookingManaged(o);
      return invoke(handler, serve(o, 'custom-1.json', OLD, ranges).event, o.env({ INSTANCE_SECURITY_GROUP_ID: o.ownGroupId }));
    },
    outcome: 'applied',
    writes: ['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress', 'ModifyNetworkInterfaceAttribute'],
    allowed: () => cfKeys(ranges),
    final: (o, run) => {
      expect(line(run)).toMatchObject({ refusedBy: 'FOREIGN_GROUP_TAGGED', refusedGroups: [o.ownGroupId], ReconcileRefused: 1, level: 'warn' });
      expect(o.emu.calls.filter((c) => c.write).flatMap((c) => (c.ok ? [] : [c.action]))).toEqual([]);
      const own = o.emu.group(o.ownGroupId)!;
      expect(own.ingress.map((r) => `${r.protocol}|${r.fromPort}|${r.toPort}|${r.source}`).sort()).toEqual(cfKeys(ranges.slice(0, 3)));
      expect(own.egress).toHaveLength(1);
      expect(own.tags.CFGUARD_SYNC_TOKEN).toBeUndefined();
      // the guard's own group holds every range, so nothing relies on the group it may not write
      const [managed] = managedGroups(o.emu).filter((g) => g.groupId !== o.ownGroupId);
      expect(managed.ingress.map((r) => r.source).sort()).toEqual([...ranges].sort());
      expect(o.emu.eni(o.eniId)!.groupIds).toEqual([o.ownGroupId, managed.groupId]);
    },
  },
  {
    // Before issue 20 this group passed for a managed one and was written: only the setting protected it. Now ownership is proven.
    name: 'without INSTANCE_SECURITY_GROUP_ID the same group is still refused: the guard did not create it and import did not adopt it (nor may it name it on the ENI)',
    run: async (o) => {
      await ownGroupLookingManaged(o);
      return invoke(handler, serve(o, 'custom-1.json', OLD, ranges).event, o.env());
    },
    outcome: 'applied',
    writes: ['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress'],
    allowed: () => cfKeys(ranges.slice(0, 3)),
    final: (o, run) => {
      expect(line(run)).toMatchObject({ refusedBy: 'FOREIGN_GROUP_TAGGED', refusedGroups: [o.ownGroupId], ReconcileRefused: 1 });
      expect(warningsOf(run).map((w) => w.code)).toContain('FOREIGN_GROUP_ON_INTERFACE');
      expect(o.emu.eni(o.eniId)!.groupIds).toEqual([o.ownGroupId]);
      expect(o.emu.group(o.ownGroupId)!.tags.CFGUARD_SYNC_TOKEN).toBeUndefined();
      expect(o.emu.group(o.ownGroupId)!.egress).toHaveLength(1);
    },
  },
  {
    name: 'a managed group carrying a world-open rule, a group reference and a prefix list loses them, guard or not',
    run: async (o) => {
      await ok(o, serve(o, 'custom-1.json', OLD, ranges).event);
      const [g] = managedGroups(o.emu);
      await authorize(o, g.groupId, { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
      await authorize(o, g.groupId, { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: o.ownGroupId }] });
      await authorize(o, g.groupId, { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: 'pl-0123456789abcdef0' }] });
      o.emu.resetCalls();
      return invoke(handler, serve(o, 'custom-1.json', OLD, ranges).event, o.env({ MAX_REVOKE_FRACTION: '0.01' }));
    },
    outcome: 'applied',
    writes: ['RevokeSecurityGroupIngress'],
    allowed: (o) => [...cfKeys(ranges), `tcp|80|80|${o.ownGroupId}`, 'tcp|443|443|pl-0123456789abcdef0'],
    final: (o, run) => {
      expect(line(run)).toMatchObject({ foreignRulesRevoked: 3, rulesHeld: 0 });
      expect(o.emu.calls.filter((c) => c.write)[0].ingressAfter![o.eniId]).toEqual([...cfKeys(ranges), ...OWN_RULES].sort());
      expect(managedRuleKeys(o.emu)).toEqual(cfKeys(ranges));
    },
  },
  {
    name: 'a syncToken far in the future is refused before any write',
    run: async (o) => invoke(handler, serve(o, 'custom-1.json', '9999999999', ranges).event, o.env()),
    outcome: 'failed',
    code: 'SYNC_TOKEN_IN_FUTURE',
    writes: [],
    allowed: () => [],
    final: (o, run) => {
      expect(line(run)).toMatchObject({ ReconcileRefused: 1, ReconcileSucceeded: 0 });
      expect(managedGroups(o.emu)).toEqual([]);
    },
  },
  {
    name: 'an older document than the groups carry is refused, not reported as success',
    run: async (o) => {
      await ok(o, serve(o, 'custom-2.json', NEW, ranges.slice(1)).event);
      return invoke(handler, serve(o, 'custom-1.json', OLD, ranges).event, o.env());
    },
    outcome: 'stale',
    writes: [],
    allowed: () => [],
    final: (o, run) => {
      expect(line(run)).toMatchObject({ refusedBy: 'STALE_DOCUMENT', ReconcileRefused: 1, level: 'warn' });
      expect(managedGroups(o.emu).map((g) => g.tags.CFGUARD_SYNC_TOKEN)).toEqual([NEW]);
    },
  },
  {
    name: 'a forced direct run applies the older document and rewrites the token',
    run: async (o) => {
      await ok(o, serve(o, 'custom-2.json', NEW, ranges.slice(1)).event);
      serve(o, 'custom-1.json', OLD, ranges);
      return invoke(handler, { source: 'cfguard', action: 'reconcile', force: true, url: o.server.url('custom-1.json') }, o.env());
    },
    outcome: 'applied',
    writes: ['AuthorizeSecurityGroupIngress', 'CreateTags'],
    allowed: () => cfKeys(ranges),
    final: (o) => {
      expect(managedGroups(o.emu).map((g) => g.tags.CFGUARD_SYNC_TOKEN)).toEqual([OLD]);
      expect(managedRuleKeys(o.emu)).toEqual(cfKeys(ranges));
    },
  },
  {
    name: 'overlap: the older run reads first, the newer runs meanwhile; the older stops as superseded before any write',
    run: async (o) => {
      await ok(o, serve(o, 'custom-3.json', '1783714000', ranges.slice(0, 10)).event);
      const older = serve(o, 'custom-1.json', OLD, ranges.slice(0, 20));
      const newer = serve(o, 'custom-2.json', NEW, ranges.slice(5));
      const { first, second } = await interleave(o, older.event, newer.event);
      expect(line(second)).toMatchObject({ outcome: 'applied', syncToken: NEW });
      return first;
    },
    mustStay: cfKeys(ranges.slice(5, 10)),
    outcome: 'superseded',
    writes: ['AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress', 'CreateTags'],
    allowed: () => cfKeys(ranges),
    final: (o, run) => {
      expect(line(run)).toMatchObject({ supersededBy: NEW, ReconcileRefused: 0 });
      expect(managedRuleKeys(o.emu)).toEqual(cfKeys(ranges.slice(5)));
      expect(managedGroups(o.emu).map((g) => g.tags.CFGUARD_SYNC_TOKEN)).toEqual([NEW]);
      // the superseded run itself wrote nothing: every write above is the newer run's
      expect(writes(o.emu).every((c) => c.ok)).toBe(true);
    },
  },
  {
    name: 'overlap: the newer run reads first, the older runs meanwhile; the newer re-plans and wins',
    run: async (o) => {
      await ok(o, serve(o, 'custom-3.json', '1783714000', ranges.slice(0, 10)).event);
      const older = serve(o, 'custom-1.json', OLD, ranges.slice(0, 20));
      const newer = serve(o, 'custom-2.json', NEW, ranges.slice(5));
      const { first, second } = await interleave(o, newer.event, older.event);
      expect(line(second)).toMatchObject({ outcome: 'applied', syncToken: OLD });
      return first;
    },
    mustStay: cfKeys(ranges.slice(5, 10)),
    outcome: 'applied',
    writes: [
      'AuthorizeSecurityGroupIngress',
      'CreateTags', // the older run (a superset of the base: nothing to revoke), while the newer sleeps
      'AuthorizeSecurityGroupIngress',
      'RevokeSecurityGroupIngress',
      'CreateTags', // the newer run's re-plan
    ],
    allowed: () => cfKeys(ranges),
    final: (o) => {
      // the newer run's stale plan met the older run's rules (InvalidPermission.Duplicate) and re-planned: no write of the stale plan landed
      expect(
        writes(o.emu)
          .filter((w) => !w.ok)
          .map((w) => [w.action, w.errorCode]),
      ).toEqual([['AuthorizeSecurityGroupIngress', 'InvalidPermission.Duplicate']]);
      expect(managedRuleKeys(o.emu)).toEqual(cfKeys(ranges.slice(5)));
      expect(managedGroups(o.emu).map((g) => g.tags.CFGUARD_SYNC_TOKEN)).toEqual([NEW]);
    },
  },
  {
    name: 'an older notification after a newer document at the same URL applies the newer one: a rotation, not an error',
    run: async (o) => {
      const oldBody = customDocument(BASE, OLD, ranges);
      serve(o, 'custom-1.json', NEW, ranges.slice(1));
      const event = snsEvent(o.server.url('custom-1.json'), oldBody, OLD);
      return invoke(handler, event, o.env());
    },
    outcome: 'applied',
    writes: ['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress', 'ModifyNetworkInterfaceAttribute'],
    allowed: () => cfKeys(ranges.slice(1)),
    final: (o, run) => {
      expect(line(run)).toMatchObject({ syncToken: NEW, level: 'info' });
      expect(line(run).warnings).toEqual([expect.objectContaining({ code: 'DOCUMENT_ROTATED', subject: NEW, message: expect.stringMatching(/rotation, not an error/) })]);
      expect(managedRuleKeys(o.emu)).toEqual(cfKeys(ranges.slice(1)));
    },
  },
  {
    name: 'an MD5 mismatch with an older document at the URL stays MD5_MISMATCH',
    run: async (o) => {
      const newBody = customDocument(BASE, NEW, ranges);
      serve(o, 'custom-1.json', OLD, ranges.slice(1));
      return invoke(handler, snsEvent(o.server.url('custom-1.json'), newBody, NEW), o.env());
    },
    outcome: 'failed',
    code: 'MD5_MISMATCH',
    writes: [],
    allowed: () => [],
    final: (o) => expect(managedGroups(o.emu)).toEqual([]),
  },
  {
    name: 'a document above the 16 MiB cap is refused unread',
    run: async (o) => {
      const body = Buffer.alloc(16 * 1024 * 1024 + 1, 0x20);
      o.server.serve('custom-4.json', body);
      return invoke(handler, snsEvent(o.server.url('custom-4.json'), body, OLD), o.env());
    },
    outcome: 'failed',
    code: 'DOCUMENT_TOO_LARGE',
    writes: [],
    allowed: () => [],
    final: (o) => expect(managedGroups(o.emu)).toEqual([]),
  },
  {
    name: 'an endless document is cut at the cap',
    run: async (o) => {
      o.server.serveEndless('custom-5.json');
      return invoke(handler, snsEvent(o.server.url('custom-5.json'), 'x', OLD), o.env());
    },
    outcome: 'failed',
    code: 'DOCUMENT_TOO_LARGE',
    writes: [],
    allowed: () => [],
    final: (o) => expect(managedGroups(o.emu)).toEqual([]),
  },
  ...[
    ['an IPv6 range in prefixes[].ip_prefix', (d: { prefixes: object[] }) => d.prefixes.push({ ip_prefix: '2600:9000::/28', region: 'GLOBAL', service: 'CLOUDFRONT_ORIGIN_FACING' })],
    ['an IPv4 range in ipv6_prefixes', (d: { ipv6_prefixes: object[] }) => d.ipv6_prefixes.push({ ipv6_prefix: '13.32.0.0/15', region: 'GLOBAL', service: 'CLOUDFRONT_ORIGIN_FACING' })],
    ['an IPv4-mapped IPv6 range', (d: { ipv6_prefixes: object[] }) => d.ipv6_prefixes.push({ ipv6_prefix: '::ffff:0:0/96', region: 'GLOBAL', service: 'CLOUDFRONT_ORIGIN_FACING' })],
    ['octets with leading zeros', (d: { prefixes: object[] }) => d.prefixes.push({ ip_prefix: '010.010.010.000/24', region: 'GLOBAL', service: 'CLOUDFRONT_ORIGIN_FACING' })],
  ].map(([what, edit]): Case => ({
    name: `${what as string} refuses the document whole`,
    run: async (o) => invoke(handler, rawDocument(o, 'custom-1.json', edit as (d: object) => void), o.env({ IPV6: what === 'an IPv4-mapped IPv6 range' ? 'true' : undefined })),
    outcome: 'failed',
    code: 'CIDR_INVALID',
    writes: [],
    allowed: () => [],
    final: (o) => expect(managedGroups(o.emu)).toEqual([]),
  })),
];

describe('lock integrity through the bundled handler', () => {
  let server: RangesServer;
  beforeAll(async () => {
    server = await startRangesServer();
  });
  afterAll(async () => server.close());

  test.each(CASES)('$name', async (c) => {
    const o = await startOrigin({}, server);
    try {
      const run = await c.run(o);
      const result = line(run);
      expect(result.outcome).toBe(c.outcome);
      if (c.code) expect((run.error as { code?: string })?.code ?? (result.error as { code?: string })?.code).toBe(c.code);
      else expect(run.error).toBeUndefined();
      expect(
        writes(o.emu)
          .filter((w) => w.ok)
          .map((w) => w.action),
      ).toEqual(c.writes);
      // after every write: the ENI let in nothing but the own group's rules and the allowed CloudFront rules
      const allowed = new Set([...OWN_RULES, ...c.allowed(o)]);
      for (const w of writes(o.emu).filter((x) => x.ok)) {
        const now = w.ingressAfter?.[o.eniId] ?? [];
        for (const key of now) expect({ write: w.action, key, allowed: allowed.has(key) }).toEqual({ write: w.action, key, allowed: true });
        for (const key of c.mustStay ?? []) expect({ write: w.action, key, present: now.includes(key) }).toEqual({ write: w.action, key, present: true });
      }
      c.final(o, run);
    } finally {
      await o.emu.close();
    }
  });

  test('a group attached to the ENI while a run sleeps between its read and its writes is kept: the ENI is re-read right before its modify', async () => {
    const o = await startOrigin({}, server);
    try {
      const monitoring = o.emu.addSecurityGroup({ vpcId: o.vpcId, name: 'monitoring' });
      const pause = o.emu.pauseAt(3);
      const running = invoke(handler, serve(o, 'custom-1.json', OLD, ranges).event, o.env());
      await pause.reached;
      await o.emu.client('attacker').send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: o.eniId, Groups: [o.ownGroupId, monitoring] }));
      pause.release();
      expect((await running).error).toBeUndefined();
      const [managed] = managedGroups(o.emu);
      expect(o.emu.eni(o.eniId)!.groupIds).toEqual([o.ownGroupId, monitoring, managed.groupId]);
      expect(o.emu.calls.map((c) => c.action).slice(-2)).toEqual(['DescribeNetworkInterfaces', 'ModifyNetworkInterfaceAttribute']);
    } finally {
      await o.emu.close();
    }
  });
});
