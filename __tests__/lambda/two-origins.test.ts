/**
 * One guard for two origin instances (issue 22), through the shipped bundle against the EC2
 * emulator: GUARDED_INSTANCE_IDS lists the primary and the secondary, and the state of BOTH ENIs is
 * checked after every write the run makes (the emulator's worldAfter records).
 */
import { AuthorizeSecurityGroupIngressCommand, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { loadBundledHandler, invoke } from '../support/lambda-harness';
import { type Origin, customDocument, managedGroups, managedRuleKeys, originFacingV4, realEvent, snsEvent, startOrigin, writes } from '../support/origin-fixture';
import { addSecondaryInstance, admitted, twoOriginEnv, SECONDARY_OWN_RULES, type SecondaryInstance } from '../support/two-origins';
import { MANIFEST } from '../../emulator/shared-data';

const handler = loadBundledHandler();
const BASE = MANIFEST[0].file;
const PRIMARY_OWN_RULES = ['tcp|22|22|0.0.0.0/0', 'tcp|80|80|0.0.0.0/0', 'udp|1935|1935|0.0.0.0/0'];
const DELETE = { source: 'cfguard', action: 'reconcile', tf: { action: 'delete', prev_input: { source: 'cfguard', action: 'reconcile' } } };
const key = (cidr: string) => `tcp|80|80|${cidr}`;
const fresh = (n: number) => Array.from({ length: n }, (_, i) => `203.0.${i}.0/24`);

describe('one guard for the primary and the secondary origin', () => {
  let o: Origin;
  let s: SecondaryInstance;
  beforeEach(async () => {
    o = await startOrigin();
    s = addSecondaryInstance(o);
  });
  afterEach(async () => o.close());

  const env = (extra: Record<string, string | undefined> = {}) => twoOriginEnv(o, s, extra);
  const enis = () => [
    { eniId: o.eniId, own: PRIMARY_OWN_RULES, ownGroupId: o.ownGroupId },
    { eniId: s.eniId, own: SECONDARY_OWN_RULES, ownGroupId: s.ownGroupId },
  ];

  function serve(name: string, syncToken: string, ranges: string[]) {
    const body = customDocument(BASE, syncToken, ranges);
    o.server.serve(name, body);
    return snsEvent(o.server.url(name), body, syncToken);
  }

  /**
   * After every write of the run, on each ENI: every range both documents publish is admitted (added
   * before revoked), a range of the new document once admitted stays admitted, and nothing but the
   * instance's own rules and the two documents' ranges is admitted.
   */
  function expectAddBeforeRevokeOnBoth(before: string[], after: string[]) {
    const kept = before.filter((c) => after.includes(c)).map(key);
    const allowed = new Set([...before, ...after].map(key));
    const ws = writes(o.emu).filter((c) => c.ok);
    expect(ws.length).toBeGreaterThan(0);
    for (const { eniId, own } of enis()) {
      const gained = new Set<string>();
      for (const [i, w] of ws.entries()) {
        const now = admitted(w.worldAfter!, eniId);
        for (const k of kept) expect({ write: i, action: w.action, eniId, k, admitted: now.includes(k) }).toEqual({ write: i, action: w.action, eniId, k, admitted: true });
        for (const k of gained) expect({ write: i, eniId, k, stillAdmitted: now.includes(k) }).toEqual({ write: i, eniId, k, stillAdmitted: true });
        for (const k of now) expect({ write: i, eniId, k, allowed: own.includes(k) || allowed.has(k) }).toEqual({ write: i, eniId, k, allowed: true });
        for (const k of now) if (after.map(key).includes(k)) gained.add(k);
      }
    }
  }

  /** In the end each ENI carries its own group first, then exactly the managed groups, and admits exactly its own rules and the document. */
  function expectBothLocked(ranges: string[]) {
    const managed = managedGroups(o.emu)
      .map((g) => g.groupId)
      .sort();
    expect(managedRuleKeys(o.emu)).toEqual(ranges.map(key).sort());
    for (const { eniId, own, ownGroupId } of enis()) {
      const eni = o.emu.eni(eniId)!;
      expect({ eniId, first: eni.groupIds[0], managed: eni.groupIds.slice(1).sort() }).toEqual({ eniId, first: ownGroupId, managed });
      expect({ eniId, admits: o.emu.effectiveIngress(eniId) }).toEqual({ eniId, admits: [...own, ...ranges.map(key)].sort() });
    }
  }

  test('the first run attaches the managed group to both ENIs, and at no write does either admit anything but its own rules and the document', async () => {
    const run = await invoke(handler, realEvent(o.server, BASE), env());
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ outcome: 'applied', groupsCreated: 1, enisChanged: 2 });
    expectAddBeforeRevokeOnBoth([], originFacingV4(BASE));
    expect(writes(o.emu).map((c) => c.action)).toEqual([
      'CreateSecurityGroup',
      'RevokeSecurityGroupEgress',
      'AuthorizeSecurityGroupIngress',
      'ModifyNetworkInterfaceAttribute',
      'ModifyNetworkInterfaceAttribute',
    ]);
    expectBothLocked(originFacingV4(BASE));
  });

  test('a document replacing ranges adds before it revokes, on both ENIs at every write', async () => {
    expect((await invoke(handler, realEvent(o.server, BASE), env())).error).toBeUndefined();
    const next = [...originFacingV4(BASE).slice(0, 35), ...fresh(8)];
    o.emu.resetCalls();
    const run = await invoke(handler, serve('custom-1.json', '1783714100', next), env());
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ outcome: 'applied', rulesAdded: 8, rulesRevoked: originFacingV4(BASE).length - 35 });
    expectAddBeforeRevokeOnBoth(originFacingV4(BASE), next);
    expectBothLocked(next);
  });

  test('a growth that needs a second managed group attaches it to both ENIs before anything is revoked', async () => {
    expect((await invoke(handler, realEvent(o.server, BASE), env())).error).toBeUndefined();
    const grown = [...originFacingV4(BASE), ...fresh(30)];
    o.emu.resetCalls();
    const run = await invoke(handler, serve('custom-1.json', '1783714100', grown), env());
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ outcome: 'applied', groupsCreated: 1, enisChanged: 2, rulesAdded: 30 });
    expect(managedGroups(o.emu)).toHaveLength(2);
    expectAddBeforeRevokeOnBoth(originFacingV4(BASE), grown);
    expectBothLocked(grown);
  });

  test('the secondary ENI without room for the managed groups: the quota error names that ENI and its instance, zero writes', async () => {
    // the secondary's own groups fill four of its five slots; the primary has room
    const extra = ['monitoring', 'backup', 'ssm'].map((name) => o.emu.addSecurityGroup({ vpcId: o.vpcId, name }));
    await setEniGroups(o, s.eniId, [s.ownGroupId, ...extra]);
    const grown = [...originFacingV4(BASE), ...fresh(30)];
    const before = o.emu.snapshot();
    o.emu.resetCalls();
    const run = await invoke(handler, serve('custom-1.json', '1783714100', grown), env());
    expect(run.error).toMatchObject({ code: 'QUOTA_GROUPS_PER_INTERFACE' });
    expect(run.error!.message).toContain(`${s.eniId} of instance ${s.instanceId} (4 of its own + 2 managed)`);
    expect((run.error as unknown as { details: Record<string, unknown> }).details).toMatchObject({ eniId: s.eniId, instanceId: s.instanceId, groupsNeeded: 6 });
    expect(writes(o.emu)).toEqual([]);
    expect(o.emu.snapshot()).toEqual(before);
  });

  test('a tagged group on the secondary that the guard did not create is refused and left in place; the managed group on the secondary is the guard’s', async () => {
    expect((await invoke(handler, realEvent(o.server, BASE), env())).error).toBeUndefined();
    const [managed] = managedGroups(o.emu);
    const foreign = o.emu.addSecurityGroup({
      vpcId: o.vpcId,
      name: 'database',
      tags: { PREFIX_NAME: 'AUTOUPDATE_CF' },
      ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '10.0.0.0/16' }],
    });
    await setEniGroups(o, s.eniId, [...o.emu.eni(s.eniId)!.groupIds, foreign]);
    const foreignBefore = o.emu.world().groups[foreign];
    o.emu.resetCalls();
    const run = await invoke(handler, realEvent(o.server, BASE), env());
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ ReconcileRefused: 1 });
    // only the foreign group is refused: the managed group on the secondary's ENI is the guard's, the secondary being guarded
    expect(run.result).toMatchObject({ refusedGroups: [foreign], refusedBy: 'FOREIGN_GROUP_TAGGED' });
    // nothing written: the foreign group is as it was, still on the secondary, and the managed group on both ENIs
    for (const w of writes(o.emu)) expect(w.worldAfter!.groups[foreign]).toEqual(foreignBefore);
    expect(o.emu.world().groups[foreign]).toEqual(foreignBefore);
    expect(o.emu.eni(s.eniId)!.groupIds).toEqual([s.ownGroupId, managed.groupId, foreign]);
    expect(o.emu.eni(o.eniId)!.groupIds).toEqual([o.ownGroupId, managed.groupId]);
  });

  test('a guard that guards the primary alone refuses the managed group found on the secondary (MANAGED_GROUP_ON_OTHER_INTERFACE) and never writes the secondary', async () => {
    expect((await invoke(handler, realEvent(o.server, BASE), env())).error).toBeUndefined();
    const [managed] = managedGroups(o.emu);
    const before = o.emu.world();
    o.emu.resetCalls();
    const primaryOnly = await invoke(handler, realEvent(o.server, BASE), o.env());
    expect(primaryOnly.result).toMatchObject({ refusedGroups: [managed.groupId], refusedBy: 'MANAGED_GROUP_ON_OTHER_INTERFACE' });
    expect(JSON.stringify(primaryOnly.result!.warnings)).toContain(s.eniId);
    // it locks the primary with a group of its own; the secondary's interface and the refused group stay as they were at every write
    for (const w of writes(o.emu)) {
      expect(w.worldAfter!.enis[s.eniId]).toEqual(before.enis[s.eniId]);
      expect(w.worldAfter!.groups[managed.groupId]).toEqual(before.groups[managed.groupId]);
    }
  });

  test('a guard that guards both refuses the managed group once a third instance carries it, never writes the third instance or that group, and keeps both origins locked', async () => {
    expect((await invoke(handler, realEvent(o.server, BASE), env())).error).toBeUndefined();
    const [managed] = managedGroups(o.emu);
    const third = o.emu.addInstance({ vpcId: o.vpcId, groupIds: [managed.groupId] });
    const before = o.emu.world();
    o.emu.resetCalls();
    const both = await invoke(handler, realEvent(o.server, BASE), env());
    expect(both.result).toMatchObject({ refusedGroups: [managed.groupId], refusedBy: 'MANAGED_GROUP_ON_OTHER_INTERFACE' });
    const warned = JSON.stringify(both.result!.warnings);
    expect(warned).toContain(third.eniIds[0]);
    expect(warned).not.toContain(s.eniId);
    for (const w of writes(o.emu)) {
      for (const id of [o.eniId, s.eniId, third.eniIds[0]]) expect(w.worldAfter!.enis[id].groupIds).toEqual(expect.arrayContaining(before.enis[id].groupIds));
      expect(w.worldAfter!.groups[managed.groupId]).toEqual(before.groups[managed.groupId]);
      expect(w.worldAfter!.enis[third.eniIds[0]]).toEqual(before.enis[third.eniIds[0]]);
    }
    for (const { eniId } of enis()) expect(o.emu.effectiveIngress(eniId)).toEqual(expect.arrayContaining(originFacingV4(BASE).map(key)));
  });

  test('the exposure audit covers both instances and names the instance of each finding', async () => {
    // the secondary's own group opened to the world on the origin port, like the primary's tutorial rule
    await o.emu
      .client('setup')
      .send(new AuthorizeSecurityGroupIngressCommand({ GroupId: s.ownGroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const run = await invoke(handler, { source: 'cfguard', action: 'reconcile', url: o.server.url(BASE) }, env());
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ level: 'warn', OriginExposedRules: 2 });
    const exposure = run.result!.exposure as { exposed: unknown[]; enisAudited: string[]; instancesAudited: string[] };
    expect(exposure.instancesAudited).toEqual([o.instanceId, s.instanceId]);
    expect(exposure.enisAudited).toEqual([o.eniId, s.eniId]);
    expect(exposure.exposed).toEqual([
      { groupId: o.ownGroupId, groupName: 'media-server', rule: '80/tcp from 0.0.0.0/0', kind: 'world-open', managed: false, eniIds: [o.eniId], instanceIds: [o.instanceId] },
      { groupId: s.ownGroupId, groupName: 'media-server-b', rule: '80/tcp from 0.0.0.0/0', kind: 'world-open', managed: false, eniIds: [s.eniId], instanceIds: [s.instanceId] },
    ]);
  });

  test('teardown removes the managed groups from both ENIs and deletes them, leaving both instances’ own groups intact', async () => {
    expect((await invoke(handler, realEvent(o.server, BASE), env())).error).toBeUndefined();
    expect((await invoke(handler, serve('custom-1.json', '1783714100', [...originFacingV4(BASE), ...fresh(30)]), env())).error).toBeUndefined();
    expect(managedGroups(o.emu)).toHaveLength(2);
    const before = o.emu.world();
    o.emu.resetCalls();
    const run = await invoke(handler, DELETE, env());
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ msg: 'teardown', outcome: 'torn-down', groupsDeleted: 2, enisChanged: 2 });
    expect(managedGroups(o.emu)).toEqual([]);
    for (const { eniId, ownGroupId } of enis()) {
      expect(o.emu.eni(eniId)!.groupIds).toEqual([ownGroupId]);
      expect(o.emu.world().groups[ownGroupId]).toEqual(before.groups[ownGroupId]);
      // and at every write of the teardown, each own group was untouched and still on its ENI
      for (const w of writes(o.emu)) {
        expect(w.worldAfter!.groups[ownGroupId]).toEqual(before.groups[ownGroupId]);
        expect(w.worldAfter!.enis[eniId].groupIds[0]).toBe(ownGroupId);
      }
    }
  });

  test('with both own groups named (INSTANCE_SECURITY_GROUP_ID, GUARDED_OWN_GROUP_IDS, as the construct sets them) the guard locks both ENIs and refuses nothing', async () => {
    const run = await invoke(handler, realEvent(o.server, BASE), env({ INSTANCE_SECURITY_GROUP_ID: o.ownGroupId, GUARDED_OWN_GROUP_IDS: s.ownGroupId }));
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ outcome: 'applied', enisChanged: 2 });
    expect(run.result!.refusedGroups ?? []).toEqual([]);
    expectAddBeforeRevokeOnBoth([], originFacingV4(BASE));
    expectBothLocked(originFacingV4(BASE));
  });

  test("with only the primary's own group named, the secondary's own group is another team's to the guard: its ENI is refused (FOREIGN_GROUP_ON_INTERFACE) and never written, the primary is locked", async () => {
    const before = o.emu.world();
    const run = await invoke(handler, realEvent(o.server, BASE), env({ INSTANCE_SECURITY_GROUP_ID: o.ownGroupId }));
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ refusedGroups: [s.ownGroupId], refusedBy: 'FOREIGN_GROUP_ON_INTERFACE', enisChanged: 1 });
    expect(JSON.stringify(run.result!.warnings)).toContain(s.eniId);
    for (const w of writes(o.emu)) expect(w.worldAfter!.enis[s.eniId]).toEqual(before.enis[s.eniId]);
    expect(o.emu.effectiveIngress(o.eniId)).toEqual([...PRIMARY_OWN_RULES, ...originFacingV4(BASE).map(key)].sort());
    expect(o.emu.world().enis[s.eniId]).toEqual(before.enis[s.eniId]);
  });

  test('GUARDED_OWN_GROUP_IDS that is not a list of group ids is one CONFIG_INVALID naming the variable, and no AWS call', async () => {
    const run = await invoke(handler, realEvent(o.server, BASE), env({ GUARDED_OWN_GROUP_IDS: 'media-server-b' }));
    expect(run.error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(run.error!.message).toContain("'GUARDED_OWN_GROUP_IDS' must list security group ids");
    expect(o.emu.calls).toEqual([]);
  });

  test('a guarded instance with no interface in the VPC stops the run before any write, naming it', async () => {
    const gone = 'i-0deadbeefdeadbeef';
    const before = o.emu.snapshot();
    o.emu.resetCalls();
    const run = await invoke(handler, realEvent(o.server, BASE), o.env({ GUARDED_INSTANCE_IDS: `${o.instanceId},${gone}` }));
    expect(run.error).toMatchObject({ code: 'INSTANCE_NOT_FOUND' });
    expect(run.error!.message).toContain(gone);
    expect(writes(o.emu)).toEqual([]);
    expect(o.emu.snapshot()).toEqual(before);
  });

  test.each([
    ['a malformed id', (p: string) => `${p},i-xyz`, 'must list instance ids'],
    ['the primary not first', (p: string, q: string) => `${q},${p}`, 'must start with INSTANCE_ID'],
    ['an instance twice', (p: string) => `${p},${p}`, 'must name each instance once'],
  ])('GUARDED_INSTANCE_IDS with %s is one CONFIG_INVALID naming the variable, and no AWS call', async (_, value, rule) => {
    const run = await invoke(handler, realEvent(o.server, BASE), o.env({ GUARDED_INSTANCE_IDS: value(o.instanceId, s.instanceId) }));
    expect(run.error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(run.error!.message).toContain(`'GUARDED_INSTANCE_IDS' ${rule}`);
    expect(o.emu.calls).toEqual([]);
  });
});

/** Seeds an ENI's group list as a setup edit (not the guard's call). */
async function setEniGroups(o: Origin, eniId: string, groupIds: string[]) {
  await o.emu.client('setup').send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: groupIds }));
}
