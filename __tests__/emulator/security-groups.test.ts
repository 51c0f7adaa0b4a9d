import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DeleteTagsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { startEc2Emulator } from '../../emulator/ec2';
import { errorOf, startWorld, type World } from './fixtures';

describe('EC2 emulator: CreateSecurityGroup / DeleteSecurityGroup / tags', () => {
  let w: World;
  let otherVpc: string;
  beforeAll(async () => {
    w = await startWorld();
    otherVpc = w.emu.addVpc();
  });
  afterAll(() => w.emu.close());

  const create = (GroupName: string, VpcId: string | undefined, tags: Record<string, string> = {}) =>
    w.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName,
        Description: `${GroupName} group`,
        VpcId,
        TagSpecifications: Object.keys(tags).length ? [{ ResourceType: 'security-group', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] : undefined,
      }),
    );

  test('a created group carries its tags, its VPC and the default allow-all egress rule', async () => {
    const out = await create('cf-1', otherVpc, { PREFIX_NAME: 'AUTOUPDATE_CF', Name: 'cf-1' });
    expect(out.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(out.Tags).toEqual([
      { Key: 'PREFIX_NAME', Value: 'AUTOUPDATE_CF' },
      { Key: 'Name', Value: 'cf-1' },
    ]);
    expect(w.emu.group(out.GroupId!)).toEqual({
      groupId: out.GroupId,
      groupName: 'cf-1',
      description: 'cf-1 group',
      vpcId: otherVpc,
      tags: { PREFIX_NAME: 'AUTOUPDATE_CF', Name: 'cf-1' },
      ingress: [],
      egress: [{ protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' }],
    });
    const [described] = (await w.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [out.GroupId!] }))).SecurityGroups!;
    expect(described).toMatchObject({ GroupName: 'cf-1', Description: 'cf-1 group', VpcId: otherVpc, OwnerId: '123456789012', IpPermissions: [] });
    expect(described.IpPermissionsEgress).toEqual([{ IpProtocol: '-1', UserIdGroupPairs: [], IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [] }]);
  });

  test('a name is unique per VPC: InvalidGroup.Duplicate in the same VPC, allowed in another', async () => {
    await create('dup', w.vpcId);
    const err = await errorOf(create('dup', w.vpcId));
    expect(err).toMatchObject({ name: 'InvalidGroup.Duplicate', status: 400 });
    expect(err.message).toContain(w.vpcId);
    await expect(create('dup', otherVpc)).resolves.toMatchObject({ GroupId: expect.stringMatching(/^sg-/) });
    expect(w.emu.groups().filter((g) => g.groupName === 'dup')).toHaveLength(2);
  });

  test('without VpcId the group goes to the default VPC', async () => {
    const out = await create('in-default', undefined);
    expect(w.emu.group(out.GroupId!)!.vpcId).toBe(w.vpcId);
  });

  test('without VpcId and without a default VPC the call fails with VPCIdNotSpecified', async () => {
    const emu = await startEc2Emulator();
    try {
      emu.addVpc();
      const err = await errorOf(emu.client().send(new CreateSecurityGroupCommand({ GroupName: 'x', Description: 'x' })));
      expect(err.name).toBe('VPCIdNotSpecified');
      expect(emu.groups().map((g) => g.groupName)).toEqual(['default']);
    } finally {
      await emu.close();
    }
  });

  test.each([
    { what: 'an unknown VPC', input: { GroupName: 'a', Description: 'a', VpcId: 'vpc-0000000000000beef' }, code: 'InvalidVpcID.NotFound' },
    { what: 'the reserved name default', input: { GroupName: 'default', Description: 'a', VpcId: undefined }, code: 'InvalidParameterValue' },
    { what: 'a name shaped like an id', input: { GroupName: 'sg-web', Description: 'a', VpcId: undefined }, code: 'InvalidParameterValue' },
    { what: 'a name with non-ASCII characters', input: { GroupName: 'café', Description: 'a', VpcId: undefined }, code: 'InvalidParameterValue' },
    { what: 'no description', input: { GroupName: 'a', Description: undefined, VpcId: undefined }, code: 'MissingParameter' },
  ])('creating a group with $what fails with $code', async ({ input, code }) => {
    const before = w.emu.snapshot();
    const err = await errorOf(w.ec2.send(new CreateSecurityGroupCommand(input as never)));
    expect(err.name).toBe(code);
    expect(w.emu.snapshot()).toBe(before);
  });

  test('tag specifications must name the security-group resource type', async () => {
    const err = await errorOf(w.ec2.send(new CreateSecurityGroupCommand({ GroupName: 't', Description: 't', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'a', Value: 'b' }] }] })));
    expect(err.name).toBe('InvalidParameterValue');
  });

  test('a group that nothing uses is deleted', async () => {
    const { GroupId } = await create('short-lived', w.vpcId);
    const out = await w.ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    expect(out.Return).toBe(true);
    expect(w.emu.group(GroupId!)).toBeUndefined();
    expect((await errorOf(w.ec2.send(new DeleteSecurityGroupCommand({ GroupId })))).name).toBe('InvalidGroup.NotFound');
  });

  test('a group on an ENI, or referenced by another group, cannot be deleted (DependencyViolation)', async () => {
    const attached = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'attached' });
    w.emu.addEni({ vpcId: w.vpcId, groupIds: [attached] });
    const referenced = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'referenced' });
    w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'referrer', ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, groupId: referenced }] });
    const errors = await Promise.all([attached, referenced].map((GroupId) => errorOf(w.ec2.send(new DeleteSecurityGroupCommand({ GroupId })))));
    expect(errors.map((e) => e.name)).toEqual(['DependencyViolation', 'DependencyViolation']);
    expect(w.emu.group(attached)).toBeDefined();
    expect(w.emu.group(referenced)).toBeDefined();
  });

  test("a VPC's default group cannot be deleted (CannotDelete)", async () => {
    const standalone = await startEc2Emulator();
    try {
      const vpc = standalone.addVpc();
      const def = standalone.groups().find((g) => g.vpcId === vpc)!;
      expect((await errorOf(standalone.client().send(new DeleteSecurityGroupCommand({ GroupId: def.groupId })))).name).toBe('CannotDelete');
    } finally {
      await standalone.close();
    }
  });

  test('CreateTags adds and overwrites; DeleteTags removes by key, by key and value, or all', async () => {
    const sg = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'tagged', tags: { keep: '1', drop: '2', guarded: 'old' } });
    await w.ec2.send(
      new CreateTagsCommand({
        Resources: [sg],
        Tags: [
          { Key: 'syncToken', Value: '1700000000' },
          { Key: 'keep', Value: 'new' },
        ],
      }),
    );
    expect(w.emu.group(sg)!.tags).toEqual({ keep: 'new', drop: '2', guarded: 'old', syncToken: '1700000000' });
    await w.ec2.send(new DeleteTagsCommand({ Resources: [sg], Tags: [{ Key: 'drop' }, { Key: 'guarded', Value: 'other' }] }));
    expect(w.emu.group(sg)!.tags).toEqual({ keep: 'new', guarded: 'old', syncToken: '1700000000' });
    await w.ec2.send(new DeleteTagsCommand({ Resources: [sg], Tags: [{ Key: 'guarded', Value: 'old' }] }));
    expect(w.emu.group(sg)!.tags).toEqual({ keep: 'new', syncToken: '1700000000' });
    await w.ec2.send(new DeleteTagsCommand({ Resources: [sg] }));
    expect(w.emu.group(sg)!.tags).toEqual({});
  });

  test('tags reach VPCs too, and Describe filters see them', async () => {
    await w.ec2.send(new CreateTagsCommand({ Resources: [otherVpc], Tags: [{ Key: 'env', Value: 'prod' }] }));
    const vpcs = (await w.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:env', Values: ['prod'] }] }))).Vpcs!;
    expect(vpcs.map((v) => v.VpcId)).toEqual([otherVpc]);
  });

  test.each([
    { what: 'an unknown group', resource: 'sg-00000000000000bad', tags: [{ Key: 'a', Value: 'b' }], code: 'InvalidGroup.NotFound' },
    { what: 'an unknown instance', resource: 'i-00000000000000bad', tags: [{ Key: 'a', Value: 'b' }], code: 'InvalidInstanceID.NotFound' },
    { what: 'an unknown kind of id', resource: 'foo-1', tags: [{ Key: 'a', Value: 'b' }], code: 'InvalidID' },
    { what: "a key starting with 'aws:'", resource: 'default-group', tags: [{ Key: 'aws:cloudformation', Value: 'b' }], code: 'InvalidParameterValue' },
    { what: 'a 129-character key', resource: 'default-group', tags: [{ Key: 'k'.repeat(129), Value: 'b' }], code: 'InvalidParameterValue' },
    { what: 'more than 50 tags', resource: 'default-group', tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })), code: 'TagLimitExceeded' },
  ])('CreateTags naming $what fails with $code and changes nothing', async ({ resource, tags, code }) => {
    const before = w.emu.snapshot();
    const id = resource === 'default-group' ? w.defaultGroupId : resource;
    expect((await errorOf(w.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: tags })))).name).toBe(code);
    expect(w.emu.snapshot()).toBe(before);
  });

  test('a failing CreateTags on several resources tags none of them', async () => {
    const a = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'multi-a' });
    const err = await errorOf(w.ec2.send(new CreateTagsCommand({ Resources: [a, 'sg-00000000000000bad'], Tags: [{ Key: 'x', Value: 'y' }] })));
    expect(err.name).toBe('InvalidGroup.NotFound');
    expect(w.emu.group(a)!.tags).toEqual({});
  });

  test('a rule can name another group of the VPC as its source', async () => {
    const peer = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'peer' });
    const target = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'target' });
    await w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: target, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: peer }] }] }));
    expect(w.emu.group(target)!.ingress).toEqual([{ protocol: 'tcp', fromPort: 5432, toPort: 5432, source: peer }]);
  });
});
