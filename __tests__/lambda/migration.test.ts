/**
 * The tutorial's state: four groups full of CLOUDFRONT ranges on the instance's ENI, which with the
 * instance's own group fills the default 5 groups per interface. Switching to the default
 * CLOUDFRONT_ORIGIN_FACING must work without a quota increase and without a gap, once
 * `cfguard import --apply` has adopted them (the guard did not create them, so a tag alone would not do).
 */
import { readFileSync } from 'fs';
import { loadBundledHandler, invoke } from '../support/lambda-harness';
import { type Origin, managedGroups, managedRuleKeys, md5, reachableRuleKeys, realEvent, serviceV4, startOrigin } from '../support/origin-fixture';
import { MANIFEST, expectedRuleKeys, rangesPath } from '../../emulator/shared-data';
import { worldChanges } from '../support/world-changes';

const handler = loadBundledHandler();
const FILE = MANIFEST[0].file;

describe("migrating the tutorial's CLOUDFRONT groups to CLOUDFRONT_ORIGIN_FACING at the default quotas", () => {
  let origin: Origin;
  afterEach(async () => origin.close());

  test('the guard holds the revocations and adds what fits; the forced run revokes, adds the rest in a second pass, then compacts the four sparse groups into one', async () => {
    origin = await startOrigin();
    const ranges = serviceV4(FILE, 'CLOUDFRONT');
    const groups: string[] = [];
    for (let i = 0; i * 60 < ranges.length; i++) {
      groups.push(
        origin.emu.addSecurityGroup({
          vpcId: origin.vpcId,
          name: `AUTOUPDATE_CF-${['K2P', 'Z8Q', 'M4X', 'B7T'][i]}`,
          // as `cfguard import --apply` leaves the tutorial's groups (cli/import.test): adopted, so the guard may write them
          tags: { PREFIX_NAME: 'AUTOUPDATE_CF', CFGUARD_ADOPTED: 'AUTOUPDATE_CF' },
          ingress: ranges.slice(i * 60, (i + 1) * 60).map((cidr) => ({ protocol: 'tcp', fromPort: 80, toPort: 80, cidr })),
        }),
      );
    }
    const eni = origin.emu.addEni({ vpcId: origin.vpcId, groupIds: [origin.ownGroupId, ...groups], instanceId: origin.instanceId });
    const want = expectedRuleKeys(FILE, { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: false, ports: [{ protocol: 'tcp', port: 80 }] });
    const env = origin.env();
    const check = () => {
      // the instance's ENIs never exceed 5 groups, and a still-published origin-facing range, once open, stays open
      expect(origin.emu.eni(eni)!.groupIds.length).toBeLessThanOrEqual(5);
    };

    const held = await invoke(handler, realEvent(origin.server, FILE), env);
    expect(held.error).toBeUndefined();
    // the origin-facing ranges not yet open fill the slots left in the fourth group; the rest wait
    const missing = want.filter((k) => !ranges.some((c) => k.endsWith(`|${c}`))).length;
    const free = 4 * 60 - ranges.length;
    expect(missing).toBeGreaterThan(free);
    expect(held.result).toMatchObject({ outcome: 'held', heldBy: 'GUARD_REVOKE_FRACTION', rulesAdded: free, groupsCreated: 0 });
    expect(held.result!.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'ADDITIONS_DEFERRED', message: expect.stringMatching(/additions wait for this plan's revocations.*GROUPS_PER_INTERFACE/) })]),
    );
    check();
    const openAfterHeld = [...reachableRuleKeys(origin)].filter((k) => want.includes(k));

    const body = readFileSync(rangesPath(FILE));
    const before = origin.emu.world();
    const from = origin.emu.calls.length;
    const forced = await invoke(handler, { source: 'cfguard', action: 'reconcile', force: true, url: origin.server.url(FILE), md5: md5(body) }, env);
    expect(forced.error).toBeUndefined();
    // the forced run's last pass is a compaction: the four sparse groups the migration leaves become one, freeing 3 slots
    expect(forced.result).toMatchObject({ outcome: 'applied', rulesAdded: missing - free, groupsCreated: 0, groupsDeleted: 3 });
    expect(forced.result!.rulesRevoked).toBeGreaterThan(150);
    // the run line's counters are what the world shows after its writes: each interface once, the compaction's moves as moves
    const did = worldChanges(before, origin.emu.calls.slice(from), (g) => g.tags.PREFIX_NAME === 'AUTOUPDATE_CF');
    expect(forced.result).toMatchObject({ rulesAdded: did.rulesAdded, rulesRevoked: did.rulesRevoked, rulesMoved: did.rulesMoved, groupsDeleted: did.groupsDeleted, enisChanged: did.enisChanged });
    check();
    expect(managedRuleKeys(origin.emu)).toEqual(want);
    for (const k of openAfterHeld) expect(reachableRuleKeys(origin).has(k)).toBe(true);
    for (const k of want) expect(reachableRuleKeys(origin).has(k)).toBe(true);
    expect(managedGroups(origin.emu)).toHaveLength(1);
    expect(origin.emu.eni(eni)!.groupIds).toHaveLength(2);
  });
});
