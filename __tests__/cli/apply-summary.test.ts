/**
 * Summaries tell the whole truth: after a forced migration walk (the tutorial's four CLOUDFRONT
 * groups moved to CLOUDFRONT_ORIGIN_FACING at the default quotas) the apply summary reports what
 * happened, in the past tense: the groups compaction deleted and the rules it moved, and no
 * forecast of a pass the same run already made.
 */
import { MANIFEST, rangesPath } from '../../emulator/shared-data';
import { mainInProcess } from '../support/day-two-origin';
import { originFlags } from '../support/cli-harness';
import { type Origin, managedGroups, serviceV4, startOrigin } from '../support/origin-fixture';
import { summaryOf, worldChanges } from '../support/world-changes';

const FILE = MANIFEST[0].file;

describe('the apply summary of a forced migration walk', () => {
  let origin: Origin;
  afterEach(async () => origin.close());

  test('GIVEN the tutorial’s four adopted groups THEN the held run says what waits, and the forced run reports deletions and moves, not forecasts', async () => {
    origin = await startOrigin();
    const ranges = serviceV4(FILE, 'CLOUDFRONT');
    const groups: string[] = [];
    for (let i = 0; i * 60 < ranges.length; i++) {
      groups.push(
        origin.emu.addSecurityGroup({
          vpcId: origin.vpcId,
          name: `AUTOUPDATE_CF-${['K2P', 'Z8Q', 'M4X', 'B7T'][i]}`,
          tags: { PREFIX_NAME: 'AUTOUPDATE_CF', CFGUARD_ADOPTED: 'AUTOUPDATE_CF' },
          ingress: ranges.slice(i * 60, (i + 1) * 60).map((cidr) => ({ protocol: 'tcp', fromPort: 80, toPort: 80, cidr })),
        }),
      );
    }
    origin.emu.addEni({ vpcId: origin.vpcId, groupIds: [origin.ownGroupId, ...groups], instanceId: origin.instanceId });
    const flags = [...originFlags(origin), '--ip-ranges', rangesPath(FILE)];

    const held = await mainInProcess(['reconcile', '--apply', '--json', ...flags]);
    expect(held.code).toBe(2);
    const heldDoc = held.json<{ result: { outcome: string; rulesHeld: number; warnings: Array<{ code: string }> } }>();
    expect(heldDoc.result.outcome).toBe('held');
    expect(heldDoc.result.rulesHeld).toBeGreaterThan(150);
    // still pending after this run: the deferred additions wait for the forced run
    expect(heldDoc.result.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['GUARD_REVOKE_FRACTION', 'ADDITIONS_DEFERRED']));

    const before = origin.emu.world();
    const from = origin.emu.calls.length;
    const forced = await mainInProcess(['reconcile', '--apply', '--force', ...flags]);
    expect(forced.code).toBe(0);
    // WHAT HAPPENED, read from the world after each write: the summary must say exactly that
    const did = worldChanges(before, origin.emu.calls.slice(from), (g) => g.tags.PREFIX_NAME === 'AUTOUPDATE_CF');
    // and the fixture's arithmetic agrees: the CLOUDFRONT-only ranges revoked, the origin-facing ones the held run could not fit added,
    // the three groups the remaining origin-facing rules no longer need deleted, every rule in them moved into the kept one first
    const facing = serviceV4(FILE, 'CLOUDFRONT_ORIGIN_FACING');
    const free = groups.length * 60 - ranges.length;
    expect(did).toMatchObject({
      rulesRevoked: ranges.filter((c) => !facing.includes(c)).length,
      rulesAdded: facing.filter((c) => !ranges.includes(c)).length - free,
      groupsCreated: 0,
      groupsDeleted: groups.length - 1,
      // both of the instance's interfaces: the one given the groups in this run's first pass, and detached in its compaction, counts once
      enisChanged: 2,
    });
    expect(did.rulesMoved).toBeGreaterThan(0);
    expect(managedGroups(origin.emu)[0].ingress).toHaveLength(facing.length);
    const forcedJson = await mainInProcess(['reconcile', '--apply', '--force', '--json', ...flags]);
    // the second forced run has nothing left to do: the first one made every pass
    expect(forcedJson.json<{ result: { outcome: string } }>().result.outcome).toBe('in-sync');
    const summary = forced.stdout.split('\n').find((l) => l.startsWith('Apply complete!'));
    expect(summary).toBe(summaryOf(did));
    // forecasts of passes this run made are not printed after the steps that made them
    expect(forced.stderr).not.toMatch(/a second pass adds them/);
    expect(forced.stderr).not.toMatch(/an applying run follows it with a compaction pass/);
    expect(managedGroups(origin.emu)).toHaveLength(1);
  });
});
