/**
 * The emulator's fidelity where the ownership and compaction cases depend on it, each rule checked
 * against AWS's documentation (EC2 API Reference):
 * - ModifyNetworkInterfaceAttribute, Groups: "Changes the security groups for the network interface.
 *   The new set of groups you specify replaces the current set." So an instance's launch group can
 *   really be removed, and the list holds exactly (and in the order) what was written.
 * - DeleteSecurityGroup: "If you attempt to delete a security group that is associated with an
 *   instance or network interface, is referenced by another security group in the same VPC, ... the
 *   operation fails with DependencyViolation."
 * - AuthorizeSecurityGroupIngress: a rule already present answers InvalidPermission.Duplicate, the
 *   whole call failing; the duplicate is reported even when the group is at its rules quota.
 * - DescribeSecurityGroups filters ip-permission.group-id and egress.ip-permission.group-id: "The ID
 *   of a security group that has been referenced in an (inbound / outbound) security group rule."
 * And the test aid the ownership table needs: the whole world recorded after every write.
 */
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  ModifyNetworkInterfaceAttributeCommand,
} from '@aws-sdk/client-ec2';
import { errorOf, startWorld, type World } from './fixtures';

describe('EC2 emulator fidelity for ownership and compaction', () => {
  let w: World;
  afterEach(() => w.emu.close());

  test("an instance's ENI holds exactly the groups written to it, in the order written: its launch group is really removed", async () => {
    w = await startWorld();
    const launch = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'launch' });
    const [a, b] = ['a', 'b'].map((name) => w.emu.addSecurityGroup({ vpcId: w.vpcId, name }));
    const { eniIds } = w.emu.addInstance({ vpcId: w.vpcId, groupIds: [launch] });
    await w.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniIds[0], Groups: [b, a] }));
    expect(w.emu.eni(eniIds[0])!.groupIds).toEqual([b, a]);
    await w.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniIds[0], Groups: [a, launch, b] }));
    expect(w.emu.eni(eniIds[0])!.groupIds).toEqual([a, launch, b]);
  });

  test('DeleteSecurityGroup answers DependencyViolation for a group on an ENI, or named by another group inbound or outbound, and changes nothing', async () => {
    w = await startWorld();
    const target = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'target' });
    const onEni = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'on-eni' });
    w.emu.addInstance({ vpcId: w.vpcId, groupIds: [onEni] });
    const referrer = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'referrer', egress: [] });
    await w.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: referrer, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: target }] }] }));
    for (const id of [onEni, target]) {
      const before = w.emu.snapshot();
      expect(await errorOf(w.ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })))).toMatchObject({ name: 'DependencyViolation' });
      expect(w.emu.snapshot()).toBe(before);
    }
    // the filters find the referencing group by the referenced id, each in its direction only
    const byEgress = await w.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'egress.ip-permission.group-id', Values: [target] }] }));
    expect(byEgress.SecurityGroups!.map((g) => g.GroupId)).toEqual([referrer]);
    const byIngress = await w.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.group-id', Values: [target] }] }));
    expect(byIngress.SecurityGroups).toEqual([]);
  });

  test('a duplicate authorize answers InvalidPermission.Duplicate before any quota is counted', async () => {
    w = await startWorld({ rulesPerGroup: 2 });
    const g = w.emu.addSecurityGroup({
      vpcId: w.vpcId,
      name: 'full',
      ingress: [
        { protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '10.0.1.0/24' },
        { protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '10.0.2.0/24' },
      ],
    });
    const err = await errorOf(
      w.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: g, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.1.0/24' }, { CidrIp: '10.0.3.0/24' }] }] }),
      ),
    );
    expect(err).toMatchObject({ name: 'InvalidPermission.Duplicate' });
    expect(w.emu.group(g)!.ingress).toHaveLength(2);
  });

  test('every successful write records the whole world: every group and every ENI', async () => {
    w = await startWorld();
    const g = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'g' });
    const { eniIds } = w.emu.addInstance({ vpcId: w.vpcId });
    w.emu.resetCalls();
    await w.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniIds[0], Groups: [g] }));
    await errorOf(w.ec2.send(new DeleteSecurityGroupCommand({ GroupId: g })));
    const [ok, failed] = w.emu.calls;
    expect(ok.worldAfter).toEqual(w.emu.world());
    expect(ok.worldAfter!.enis[eniIds[0]].groupIds).toEqual([g]);
    expect(Object.keys(ok.worldAfter!.groups)).toContain(w.defaultGroupId);
    expect(failed).toMatchObject({ ok: false, errorCode: 'DependencyViolation' });
    expect(failed.worldAfter).toBeUndefined();
  });
});
