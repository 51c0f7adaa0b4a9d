import { DeleteSecurityGroupCommand, DescribeInstancesCommand, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { errorOf, startWorld, type World } from './fixtures';

describe('EC2 emulator: ModifyNetworkInterfaceAttribute (security groups of an ENI)', () => {
  let w: World;
  let groups: string[];
  let instance: { instanceId: string; eniIds: string[] };
  let foreignGroup: string;

  beforeEach(async () => {
    // GIVEN groupsPerInterface = 3, an instance on the default group, and four more groups
    w = await startWorld({ groupsPerInterface: 3 });
    groups = ['a', 'b', 'c', 'd'].map((name) => w.emu.addSecurityGroup({ vpcId: w.vpcId, name }));
    instance = w.emu.addInstance({ vpcId: w.vpcId });
    const other = w.emu.addVpc();
    foreignGroup = w.emu.addSecurityGroup({ vpcId: other, name: 'foreign' });
  });
  afterEach(() => w.emu.close());

  const modify = (NetworkInterfaceId: string, Groups: string[]) => w.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId, Groups }));

  test('an instance without seeded groups starts on its VPC default group', () => {
    expect(w.emu.eni(instance.eniIds[0])).toEqual({ eniId: instance.eniIds[0], vpcId: w.vpcId, instanceId: instance.instanceId, groupIds: [w.defaultGroupId] });
  });

  test("the call replaces the ENI's whole group list, in the order given, and the instance reports it", async () => {
    await modify(instance.eniIds[0], [w.defaultGroupId, groups[1], groups[0]]);
    expect(w.emu.eni(instance.eniIds[0])!.groupIds).toEqual([w.defaultGroupId, groups[1], groups[0]]);
    await modify(instance.eniIds[0], [groups[2]]);
    expect(w.emu.eni(instance.eniIds[0])!.groupIds).toEqual([groups[2]]);
    const [inst] = (await w.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance.instanceId] }))).Reservations![0].Instances!;
    expect(inst.SecurityGroups!.map((g) => g.GroupId)).toEqual([groups[2]]);
  });

  test('more groups than groupsPerInterface fail with SecurityGroupsPerInterfaceLimitExceeded and change nothing', async () => {
    const before = w.emu.snapshot();
    const err = await errorOf(modify(instance.eniIds[0], [w.defaultGroupId, ...groups.slice(0, 3)]));
    expect(err).toMatchObject({ name: 'SecurityGroupsPerInterfaceLimitExceeded', status: 400 });
    expect(w.emu.snapshot()).toBe(before);
    // exactly at the quota is fine
    await modify(instance.eniIds[0], groups.slice(0, 3));
    expect(w.emu.eni(instance.eniIds[0])!.groupIds).toHaveLength(3);
  });

  test.each([
    { what: 'an unknown group', ids: () => ['sg-00000000000000bad'], code: 'InvalidGroup.NotFound' },
    { what: 'a group of another VPC', ids: () => [foreignGroup], code: 'InvalidGroup.NotFound' },
    { what: 'a malformed group id', ids: () => ['web'], code: 'InvalidGroupId.Malformed' },
    { what: 'an empty group list', ids: () => [], code: 'MissingParameter' },
  ])('naming $what fails with $code and changes nothing', async ({ ids, code }) => {
    const before = w.emu.snapshot();
    expect((await errorOf(modify(instance.eniIds[0], ids()))).name).toBe(code);
    expect(w.emu.snapshot()).toBe(before);
  });

  test('an unknown ENI fails with InvalidNetworkInterfaceID.NotFound', async () => {
    expect((await errorOf(modify('eni-0000000000000f00d', [groups[0]]))).name).toBe('InvalidNetworkInterfaceID.NotFound');
  });

  test('a group can be deleted once no ENI carries it any more', async () => {
    await modify(instance.eniIds[0], [groups[0]]);
    expect(await errorOf(w.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groups[0] })))).toMatchObject({ name: 'DependencyViolation' });
    await modify(instance.eniIds[0], [groups[1]]);
    await w.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groups[0] }));
    expect(w.emu.group(groups[0])).toBeUndefined();
  });
});
