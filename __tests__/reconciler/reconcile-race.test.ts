/**
 * InvalidPermission.Duplicate / NotFound mean another writer (or a retried call) got there first:
 * the reconciler re-reads, re-plans and continues, through the real SDK against the emulator.
 */
import { readFileSync } from 'fs';
import { AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { Ec2SecurityGroupManager } from '../../lambda-src/aws/ec2-security-group-manager';
import { desiredStateFor, parseIpRangesDocument } from '../../lambda-src/core/ip-ranges';
import { reconcile } from '../../lambda-src/aws/reconcile';
import { settingsFromEnv } from '../../lambda-src/config/settings';
import { type Origin, managedGroups, managedRuleKeys, originFacingV4, startOrigin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const doc = (file: string) => parseIpRangesDocument(readFileSync(rangesPath(file)));

describe('races with another writer', () => {
  let origin: Origin;
  beforeEach(async () => {
    origin = await startOrigin();
  });
  afterEach(async () => origin.close());

  const settings = () => settingsFromEnv({ REGION: 'eu-north-1', VPC_ID: origin.vpcId, INSTANCE_ID: origin.instanceId });

  test.each(['InvalidPermission.Duplicate', 'InvalidPermission.NotFound', 'InvalidGroup.NotFound'])('%s on a write makes it re-read and converge', async (code) => {
    const ec2 = origin.emu.client();
    await reconcile({ ec2: new Ec2SecurityGroupManager(ec2), settings: settings(), desired: desiredStateFor(doc(MANIFEST[0].file), settings()), apply: true });
    origin.emu.failWrite(1, code);
    const result = await reconcile({ ec2: new Ec2SecurityGroupManager(ec2), settings: settings(), desired: desiredStateFor(doc(MANIFEST[6].file), settings()), apply: true });
    expect(result).toMatchObject({ outcome: 'applied', attempts: 2 });
    expect(origin.emu.calls.some((c) => c.errorCode === code)).toBe(true);
    expect(managedRuleKeys(origin.emu)).toHaveLength(MANIFEST[6].CLOUDFRONT_ORIGIN_FACING.v4);
  });

  test('a rule that another writer authorized in the meantime is kept, not duplicated', async () => {
    const ec2 = origin.emu.client();
    await reconcile({ ec2: new Ec2SecurityGroupManager(ec2), settings: settings(), desired: desiredStateFor(doc(MANIFEST[0].file), settings()), apply: true });
    const [group] = managedGroups(origin.emu);
    const added = originFacingV4(MANIFEST[6].file).find((c) => !originFacingV4(MANIFEST[0].file).includes(c))!;
    // the other writer (a second run, or a human) adds the new range first
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: added }] }] }));
    origin.emu.resetCalls();
    const result = await reconcile({ ec2: new Ec2SecurityGroupManager(ec2), settings: settings(), desired: desiredStateFor(doc(MANIFEST[6].file), settings()), apply: true });
    expect(result.rulesAdded).toBe(0);
    expect(origin.emu.calls.filter((c) => c.action === 'AuthorizeSecurityGroupIngress')).toEqual([]);
    expect(managedRuleKeys(origin.emu).filter((k) => k.endsWith(`|${added}`))).toHaveLength(1);
  });

  test('a writer that keeps racing makes it give up with CONVERGENCE_FAILED after three attempts, nothing published blocked', async () => {
    const ec2 = origin.emu.client();
    await reconcile({ ec2: new Ec2SecurityGroupManager(ec2), settings: settings(), desired: desiredStateFor(doc(MANIFEST[0].file), settings()), apply: true });
    const before = managedRuleKeys(origin.emu);
    for (let k = 1; k <= 3; k++) origin.emu.failWrite(k, 'InvalidPermission.Duplicate');
    await expect(reconcile({ ec2: new Ec2SecurityGroupManager(ec2), settings: settings(), desired: desiredStateFor(doc(MANIFEST[6].file), settings()), apply: true })).rejects.toMatchObject({
      code: 'CONVERGENCE_FAILED',
    });
    expect(managedRuleKeys(origin.emu)).toEqual(before);
  });

  test('an untagged group already holding the planned name is GROUP_NAME_TAKEN, with the fix named', async () => {
    origin.emu.addSecurityGroup({ vpcId: origin.vpcId, name: 'AUTOUPDATE_CF-1' });
    const ec2 = origin.emu.client();
    await expect(reconcile({ ec2: new Ec2SecurityGroupManager(ec2), settings: settings(), desired: desiredStateFor(doc(MANIFEST[0].file), settings()), apply: true })).rejects.toMatchObject({
      code: 'GROUP_NAME_TAKEN',
      message: expect.stringContaining('cfguard import --apply'),
    });
    expect(origin.emu.calls.filter((c) => c.write && c.ok)).toEqual([]);
  });
});
