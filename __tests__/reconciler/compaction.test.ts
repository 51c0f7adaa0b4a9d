/**
 * Compaction through the real SDK against the emulator: the four sparse groups a forced migration
 * leaves (6, 4, 2 and the rest of the rules) fill the interface's 5 slots; one run moves the rules
 * into one group and deletes the others, with every published range reachable after every write.
 */
import { MANAGED_GROUP_DESCRIPTION } from '../../lambda-src/core/plan';
import { readFileSync } from 'fs';
import { ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { Ec2SecurityGroupManager } from '../../lambda-src/aws/ec2-security-group-manager';
import { desiredStateFor, parseIpRangesDocument } from '../../lambda-src/core/ip-ranges';
import { reconcile } from '../../lambda-src/aws/reconcile';
import { settingsFromEnv } from '../../lambda-src/config/settings';
import { type Origin, managedGroups, managedRuleKeys, originFacingV4, startOrigin, writes } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const FILE = MANIFEST[0].file;

describe('compaction of sparse managed groups', () => {
  let origin: Origin;
  afterEach(async () => origin.close());

  async function seedSparseGroups(): Promise<string[]> {
    const ranges = originFacingV4(FILE);
    const sizes = [6, 4, 2, ranges.length - 12];
    let at = 0;
    const groups = sizes.map((size, i) => {
      const slice = ranges.slice(at, (at += size));
      return origin.emu.addSecurityGroup({
        vpcId: origin.vpcId,
        name: `AUTOUPDATE_CF-${i + 1}`,
        description: MANAGED_GROUP_DESCRIPTION, // as the guard creates its groups: what proves them its own
        tags: { PREFIX_NAME: 'AUTOUPDATE_CF', CFGUARD_SYNC_TOKEN: MANIFEST[0].syncToken },
        ingress: slice.map((cidr) => ({ protocol: 'tcp', fromPort: 80, toPort: 80, cidr })),
        egress: [], // as the guard leaves its groups
      });
    });
    await origin.emu.client('setup').send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: origin.eniId, Groups: [origin.ownGroupId, ...groups] }));
    return groups;
  }

  function reachable(): Set<string> {
    const keys = new Set<string>();
    for (const id of origin.emu.eni(origin.eniId)!.groupIds) for (const r of origin.emu.group(id)?.ingress ?? []) keys.add(`${r.protocol}|${r.fromPort}|${r.toPort}|${r.source}`);
    return keys;
  }

  test('GIVEN four sparse groups at 5 of 5 slots WHEN one run applies THEN one group remains, every range stays reachable after every write, and a rerun writes nothing', async () => {
    origin = await startOrigin();
    const groups = await seedSparseGroups();
    const settings = settingsFromEnv({ REGION: 'eu-north-1', VPC_ID: origin.vpcId, INSTANCE_ID: origin.instanceId });
    const desired = desiredStateFor(parseIpRangesDocument(readFileSync(rangesPath(FILE))), settings);
    const want = desired.rules.map((r) => `${r.protocol}|${r.fromPort}|${r.toPort}|${r.source}`).sort();
    expect(origin.emu.eni(origin.eniId)!.groupIds).toHaveLength(5);
    const ec2 = new Ec2SecurityGroupManager(origin.emu.client());

    origin.emu.resetCalls();
    const kinds: string[] = [];
    const result = await reconcile({
      ec2,
      settings,
      desired,
      apply: true,
      onStep: (step) => {
        kinds.push(step.kind);
        const now = reachable();
        for (const k of want) expect(now.has(k)).toBe(true);
        expect(origin.emu.eni(origin.eniId)!.groupIds.length).toBeLessThanOrEqual(5);
      },
    });

    expect(kinds).toEqual(['authorize', 'detach', 'deleteGroup', 'deleteGroup', 'deleteGroup']);
    expect(result).toMatchObject({ outcome: 'applied', groupsDeleted: 3, rulesAdded: 0, rulesRevoked: 0 });
    expect(result.plan.compaction?.groupsDeleted).toEqual(groups.slice(0, 3));
    expect(managedGroups(origin.emu).map((g) => g.groupId)).toEqual([groups[3]]);
    expect(managedRuleKeys(origin.emu)).toEqual(want);
    expect(origin.emu.eni(origin.eniId)!.groupIds).toEqual([origin.ownGroupId, groups[3]]);
    expect(writes(origin.emu).map((c) => c.action)).toEqual(['AuthorizeSecurityGroupIngress', 'ModifyNetworkInterfaceAttribute', 'DeleteSecurityGroup', 'DeleteSecurityGroup', 'DeleteSecurityGroup']);

    origin.emu.resetCalls();
    const again = await reconcile({ ec2, settings, desired, apply: true });
    expect(again).toMatchObject({ outcome: 'in-sync', applied: false });
    expect(writes(origin.emu)).toEqual([]);
  });
});
