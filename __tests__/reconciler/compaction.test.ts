/**
 * Compaction through the real SDK against the emulator: the four sparse groups a forced migration
 * leaves (6, 4, 2 and the rest of the rules) fill the interface's 5 slots; one run moves the rules
 * into one group and deletes the others, with every published range reachable after every write.
 */
import { findingText } from '../../lambda-src/function/finding-text';
import { MANAGED_GROUP_DESCRIPTION } from '../../lambda-src/core/plan';
import { readFileSync } from 'fs';
import { ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { Ec2SecurityGroupManager } from '../../lambda-src/aws/ec2-security-group-manager';
import { desiredStateFor, parseIpRangesDocument } from '../../lambda-src/core/ip-ranges';
import { reconcile } from '../../lambda-src/aws/reconcile';
import { settingsFromEnv } from '../../lambda-src/config/settings';
import { type Origin, managedGroups, managedRuleKeys, originFacingV4, startOrigin, writes } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';
import { appliedSummary } from '../../cli/render/plan';

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
        tags: { PREFIX_NAME: 'AUTOUPDATE_CF', CFGUARD_CREATED: 'AUTOUPDATE_CF', CFGUARD_SYNC_TOKEN: MANIFEST[0].syncToken },
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

    const moved = groups.slice(0, 3).reduce((n, id) => n + origin.emu.group(id)!.ingress.length, 0);
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
    // the summary in the past tense, from the seed: the three sparse groups' rules moved, those groups deleted, the one interface changed once
    expect(appliedSummary(result)).toBe(`Rules: 0 added, 0 revoked, ${moved} moved by compaction. Groups: 0 created, 3 deleted. Interfaces: 1 changed. (5 write calls)`);
    expect(result.warnings.map((w) => findingText(w, (id) => id))).toContain(
      `COMPACTION: compaction: the ${want.length} rules fit in 1 of the 4 managed groups; ${groups.slice(0, 3).join(', ')} emptied, detached and deleted, freeing their interface slots (no access changes)`,
    );
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

  test("GIVEN the same four groups at 5 of 5 slots, one of them named by another group's rule WHEN runs apply THEN that group is never detached or deleted, the run line says why, and no run loops", async () => {
    origin = await startOrigin();
    const groups = await seedSparseGroups();
    // an app's group allows traffic from the guard's second group: EC2 refuses to delete it (DependencyViolation)
    const app = origin.emu.addSecurityGroup({ vpcId: origin.vpcId, name: 'app', ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, groupId: groups[1] }] });
    const settings = settingsFromEnv({ REGION: 'eu-north-1', VPC_ID: origin.vpcId, INSTANCE_ID: origin.instanceId });
    const desired = desiredStateFor(parseIpRangesDocument(readFileSync(rangesPath(FILE))), settings);
    const want = desired.rules.map((r) => `${r.protocol}|${r.fromPort}|${r.toPort}|${r.source}`).sort();
    expect(origin.emu.eni(origin.eniId)!.groupIds).toHaveLength(5);
    const ec2 = new Ec2SecurityGroupManager(origin.emu.client());

    origin.emu.resetCalls();
    const result = await reconcile({
      ec2,
      settings,
      desired,
      apply: true,
      onStep: (step) => {
        // after every write: every range reachable, the quota kept, and the referenced group attached
        for (const k of want) expect(reachable().has(k)).toBe(true);
        expect(origin.emu.eni(origin.eniId)!.groupIds.length).toBeLessThanOrEqual(5);
        expect(origin.emu.eni(origin.eniId)!.groupIds).toContain(groups[1]);
        if (step.kind === 'detach') expect(step.removed).not.toContain(groups[1]);
      },
    });
    // the referenced group is the one kept: the others' rules move into it, and no delete is refused
    expect(result).toMatchObject({ outcome: 'applied', groupsDeleted: 3 });
    expect(writes(origin.emu).filter((c) => !c.ok)).toEqual([]);
    expect(writes(origin.emu).map((c) => c.action)).toEqual(['AuthorizeSecurityGroupIngress', 'ModifyNetworkInterfaceAttribute', 'DeleteSecurityGroup', 'DeleteSecurityGroup', 'DeleteSecurityGroup']);
    expect(result.warnings).toContainEqual({ code: 'GROUP_REFERENCED', subject: groups[1], details: { referencedBy: [app], during: 'compaction' } });
    const said = result.warnings.map((w) => findingText(w, (id) => id)).join('\n');
    expect(said).toMatch(new RegExp(`GROUP_REFERENCED: ${groups[1]} stays, .*${app} names it in a rule.*DependencyViolation`));
    expect(managedGroups(origin.emu).map((g) => g.groupId)).toEqual([groups[1]]);
    expect(managedRuleKeys(origin.emu)).toEqual(want);

    // the next runs write nothing: no detach, no delete, no re-attach
    for (let i = 0; i < 2; i++) {
      origin.emu.resetCalls();
      const again = await reconcile({ ec2, settings, desired, apply: true });
      expect(again.outcome).toBe('in-sync');
      expect(writes(origin.emu)).toEqual([]);
    }
  });

  test('GIVEN a reference added after the read WHEN the delete answers DependencyViolation THEN the run fails once, the next keeps the referenced group with no delete refused, and the third writes nothing', async () => {
    origin = await startOrigin();
    const groups = await seedSparseGroups();
    const settings = settingsFromEnv({ REGION: 'eu-north-1', VPC_ID: origin.vpcId, INSTANCE_ID: origin.instanceId });
    const desired = desiredStateFor(parseIpRangesDocument(readFileSync(rangesPath(FILE))), settings);
    const ec2 = new Ec2SecurityGroupManager(origin.emu.client());
    let referenced = false;
    const first = await reconcile({
      ec2,
      settings,
      desired,
      apply: true,
      onStep: (step) => {
        // right after the detach, someone references the first group to be deleted
        if (step.kind === 'detach' && !referenced) {
          referenced = true;
          origin.emu.addSecurityGroup({ vpcId: origin.vpcId, name: 'late', ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, groupId: groups[0] }] });
        }
      },
    }).catch((e: { code?: string }) => e);
    expect(referenced).toBe(true);
    expect((first as { code?: string }).code).toBe('AWS_ERROR');
    expect(origin.emu.group(groups[0])).toBeDefined();
    // the next run reads the reference before planning any delete: the referenced group is kept (the others go), no delete is refused
    origin.emu.resetCalls();
    const next = await reconcile({ ec2, settings, desired, apply: true });
    expect(writes(origin.emu).filter((c) => !c.ok)).toEqual([]);
    expect(origin.emu.group(groups[0])).toBeDefined();
    expect(origin.emu.eni(origin.eniId)!.groupIds).toContain(groups[0]);
    expect(next.outcome).toBe('applied');
    origin.emu.resetCalls();
    const third = await reconcile({ ec2, settings, desired, apply: true });
    expect(third.outcome).toBe('in-sync');
    expect(writes(origin.emu)).toEqual([]);
  });
});
