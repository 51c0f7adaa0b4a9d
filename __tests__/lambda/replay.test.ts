/**
 * Replays every real ip-ranges.json version, in order, through the shipped bundle with SNS events,
 * against the EC2 emulator: after each step the managed groups hold exactly that version's
 * ranges x ports.
 */
import { loadBundledHandler, invoke } from '../support/lambda-harness';
import { type Origin, managedGroups, managedRuleKeys, realEvent, startOrigin, writes } from '../support/origin-fixture';
import { MANIFEST, expectedRuleKeys } from '../../emulator/shared-data';

const handler = loadBundledHandler();

describe('replaying the real ip-ranges history through the bundled handler', () => {
  let origin: Origin;
  afterEach(async () => origin?.close());

  test('with the defaults (CLOUDFRONT_ORIGIN_FACING, 80/tcp, IPv4 only) every step is exact', async () => {
    origin = await startOrigin();
    expect(MANIFEST.length).toBeGreaterThanOrEqual(8);
    for (const version of MANIFEST) {
      const run = await invoke(handler, realEvent(origin.server, version.file), origin.env());
      expect(run.error).toBeUndefined();
      expect(run.lines).toHaveLength(1);
      expect(run.result).toMatchObject({ outcome: expect.stringMatching(/^(applied|in-sync)$/), syncToken: version.syncToken });
      expect(managedRuleKeys(origin.emu)).toEqual(expectedRuleKeys(version.file, { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: false, ports: [{ protocol: 'tcp', port: 80 }] }));
      expect(managedRuleKeys(origin.emu)).toHaveLength(version.CLOUDFRONT_ORIGIN_FACING.v4);
    }
    const eni = origin.emu.eni(origin.eniId)!;
    expect(eni.groupIds[0]).toBe(origin.ownGroupId);
    expect(eni.groupIds.slice(1).sort()).toEqual(
      managedGroups(origin.emu)
        .map((g) => g.groupId)
        .sort(),
    );
  });

  test('a no-op run is two reads and no writes', async () => {
    origin = await startOrigin();
    const last = MANIFEST[MANIFEST.length - 1];
    await invoke(handler, realEvent(origin.server, last.file), origin.env());
    origin.emu.resetCalls();
    const again = await invoke(handler, realEvent(origin.server, last.file), origin.env());
    expect(again.result).toMatchObject({ outcome: 'in-sync', apiCalls: { reads: 2, writes: 0 } });
    expect(origin.emu.calls.map((c) => c.action)).toEqual(['DescribeSecurityGroups', 'DescribeNetworkInterfaces']);
  });

  test('a run from empty makes the reads plus, per group, one create, one egress revoke and one authorize, and one modify per ENI', async () => {
    origin = await startOrigin();
    const run = await invoke(handler, realEvent(origin.server, MANIFEST[0].file), origin.env());
    expect(run.result).toMatchObject({ outcome: 'applied', groupsCreated: 1, enisChanged: 1 });
    expect(writes(origin.emu).map((c) => c.action)).toEqual(['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress', 'ModifyNetworkInterfaceAttribute']);
    const [group] = managedGroups(origin.emu);
    expect(group.tags).toMatchObject({ PREFIX_NAME: 'AUTOUPDATE_CF', Name: 'AUTOUPDATE_CF-1', CFGUARD_SYNC_TOKEN: MANIFEST[0].syncToken });
    expect(group.egress).toEqual([]);
  });

  test('with IPV6=true IPv4 and IPv6 are each exact at every step', async () => {
    origin = await startOrigin();
    for (const version of MANIFEST) {
      const run = await invoke(handler, realEvent(origin.server, version.file), origin.env({ IPV6: 'true' }));
      expect(run.error).toBeUndefined();
      const keys = managedRuleKeys(origin.emu);
      const v6 = keys.filter((k) => k.includes(':'));
      expect(keys).toEqual(expectedRuleKeys(version.file, { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: true, ports: [{ protocol: 'tcp', port: 80 }] }));
      expect(v6).toHaveLength(version.CLOUDFRONT_ORIGIN_FACING.v6);
      expect(keys.length - v6.length).toBe(version.CLOUDFRONT_ORIGIN_FACING.v4);
    }
  });

  test('SERVICE=CLOUDFRONT on 80/tcp and 443/tcp does not fit 5 groups per ENI: a clean failure, zero writes, the quota named', async () => {
    origin = await startOrigin();
    const before = origin.emu.snapshot();
    const run = await invoke(handler, realEvent(origin.server, MANIFEST[0].file), origin.env({ SERVICE: 'CLOUDFRONT', PORTS: '80/tcp,443/tcp' }));
    expect(run.error).toMatchObject({ code: 'QUOTA_GROUPS_PER_INTERFACE' });
    expect(run.error!.message).toMatch(/GROUPS_PER_INTERFACE to \d+/);
    expect(run.error!.message).toMatch(/RULES_PER_GROUP to \d+/);
    expect(writes(origin.emu)).toEqual([]);
    expect(origin.emu.snapshot()).toEqual(before);
    expect(run.lines[0]).toMatchObject({ level: 'error', outcome: 'failed', error: { code: 'QUOTA_GROUPS_PER_INTERFACE' } });
  });

  test('SERVICE=CLOUDFRONT on 80/tcp and 443/tcp replays exactly when the operator raises the quota each error names', async () => {
    origin = await startOrigin({ groupsPerInterface: 16 });
    let gpi = 5;
    const raised: number[] = [];
    for (const version of MANIFEST) {
      const env = origin.env({ SERVICE: 'CLOUDFRONT', PORTS: '80/tcp,443/tcp', GROUPS_PER_INTERFACE: String(gpi) });
      let run = await invoke(handler, realEvent(origin.server, version.file), env);
      if (run.error) {
        expect(run.error).toMatchObject({ code: 'QUOTA_GROUPS_PER_INTERFACE' });
        gpi = (run.error as unknown as { details: { groupsNeeded: number } }).details.groupsNeeded;
        raised.push(gpi);
        run = await invoke(handler, realEvent(origin.server, version.file), { ...env, GROUPS_PER_INTERFACE: String(gpi) });
      }
      expect(run.error).toBeUndefined();
      expect(managedRuleKeys(origin.emu)).toEqual(
        expectedRuleKeys(version.file, {
          services: ['CLOUDFRONT'],
          ipv6: false,
          ports: [
            { protocol: 'tcp', port: 80 },
            { protocol: 'tcp', port: 443 },
          ],
        }),
      );
    }
    // 209 ranges x 2 ports need 7 groups + the instance's own; 211 x 2 later need 8 + 1
    expect(raised).toEqual([8, 9]);
  });
});
