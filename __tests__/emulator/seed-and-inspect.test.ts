import { AuthorizeSecurityGroupIngressCommand, DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { startEc2Emulator, type Ec2Emulator } from '../../emulator/ec2';
import { tcp } from './fixtures';

describe('EC2 emulator: seeding, inspection and snapshots', () => {
  const open: Ec2Emulator[] = [];
  const fresh = async (): Promise<Ec2Emulator> => {
    const emu = await startEc2Emulator({ rulesPerGroup: 3, groupsPerInterface: 2 });
    open.push(emu);
    return emu;
  };
  afterAll(() => Promise.all(open.map((e) => e.close())));

  test('ids look like EC2 long ids', async () => {
    const emu = await fresh();
    const vpcId = emu.addVpc();
    const sg = emu.addSecurityGroup({ vpcId, name: 'web' });
    const { instanceId, eniIds } = emu.addInstance({ vpcId });
    const { allocationId } = emu.addAddress({ instanceId });
    expect([vpcId, sg, instanceId, eniIds[0], allocationId]).toEqual([
      expect.stringMatching(/^vpc-[0-9a-f]{17}$/),
      expect.stringMatching(/^sg-[0-9a-f]{17}$/),
      expect.stringMatching(/^i-[0-9a-f]{17}$/),
      expect.stringMatching(/^eni-[0-9a-f]{17}$/),
      expect.stringMatching(/^eipalloc-[0-9a-f]{17}$/),
    ]);
    expect(emu.addVpc({ vpcId: 'vpc-0123456789abcdef0' })).toBe('vpc-0123456789abcdef0');
  });

  test('seeding records no calls and seeded rules are described through the API', async () => {
    const emu = await fresh();
    const vpcId = emu.addVpc();
    const sg = emu.addSecurityGroup({
      vpcId,
      name: 'seeded',
      ingress: [
        { protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '10.0.0.0/8', description: 'lan' },
        { protocol: 'udp', fromPort: 1935, toPort: 1935, cidr: '2600::/32' },
      ],
      egress: [],
    });
    emu.addInstance({ vpcId, groupIds: [sg], eniCount: 2 });
    expect(emu.calls).toEqual([]);
    const [g] = (await emu.client().send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups!;
    expect(g.IpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.IpRanges!.length, p.Ipv6Ranges!.length])).toEqual([
      ['tcp', 80, 1, 0],
      ['udp', 1935, 0, 1],
    ]);
    expect(g.IpPermissionsEgress).toEqual([]);
  });

  test('addEni attaches to an instance at the next device index, or stands alone', async () => {
    const emu = await fresh();
    const vpcId = emu.addVpc();
    const { instanceId, eniIds } = emu.addInstance({ vpcId, eniCount: 2 });
    const third = emu.addEni({ vpcId, instanceId });
    const loose = emu.addEni({ vpcId });
    expect(emu.eni(third)).toMatchObject({ instanceId, vpcId });
    expect(emu.eni(loose)!.instanceId).toBeUndefined();
    expect(eniIds).toHaveLength(2);
    const out = await emu.client().send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(out.NetworkInterfaces!.map((n) => [n.NetworkInterfaceId, n.Attachment?.DeviceIndex, n.Status])).toEqual([
      [eniIds[0], 0, 'in-use'],
      [eniIds[1], 1, 'in-use'],
      [third, 2, 'in-use'],
      [loose, undefined, 'available'],
    ]);
  });

  test('inspection returns deep copies: mutating them changes nothing', async () => {
    const emu = await fresh();
    const vpcId = emu.addVpc();
    const sg = emu.addSecurityGroup({ vpcId, name: 'copy', tags: { a: '1' }, ingress: [{ protocol: 'tcp', fromPort: 1, toPort: 1, cidr: '10.0.0.0/8' }] });
    const eniId = emu.addEni({ vpcId, groupIds: [sg] });
    const before = emu.snapshot();
    const g = emu.group(sg)!;
    g.tags.a = 'changed';
    g.ingress[0].fromPort = 9;
    emu.groups()[0].egress.length = 0;
    emu.eni(eniId)!.groupIds.push('sg-x');
    expect(emu.snapshot()).toBe(before);
  });

  test.each([
    { what: 'a group in an unknown VPC', seed: (e: Ec2Emulator) => e.addSecurityGroup({ vpcId: 'vpc-00000000000000000', name: 'x' }) },
    { what: 'a second default VPC', seed: (e: Ec2Emulator) => [e.addVpc({ isDefault: true }), e.addVpc({ isDefault: true })] },
    {
      what: 'more rules than rulesPerGroup',
      seed: (e: Ec2Emulator) => e.addSecurityGroup({ vpcId: e.addVpc(), name: 'big', ingress: [1, 2, 3, 4].map((i) => ({ protocol: 'tcp', fromPort: i, toPort: i, cidr: '10.0.0.0/8' })) }),
    },
    {
      what: 'a rule with two sources',
      seed: (e: Ec2Emulator) => e.addSecurityGroup({ vpcId: e.addVpc(), name: 'two', ingress: [{ protocol: 'tcp', fromPort: 1, toPort: 1, cidr: '10.0.0.0/8', prefixListId: 'pl-1' }] }),
    },
    {
      what: 'more groups than groupsPerInterface',
      seed: (e: Ec2Emulator) => {
        const v = e.addVpc();
        e.addEni({ vpcId: v, groupIds: ['a', 'b', 'c'].map((name) => e.addSecurityGroup({ vpcId: v, name })) });
      },
    },
    {
      what: 'a duplicate group name',
      seed: (e: Ec2Emulator) => {
        const v = e.addVpc();
        e.addSecurityGroup({ vpcId: v, name: 'n' });
        e.addSecurityGroup({ vpcId: v, name: 'n' });
      },
    },
  ])('seeding $what throws', async ({ seed }) => {
    const emu = await fresh();
    expect(() => seed(emu)).toThrow();
  });

  test('snapshot is stable: repeated, unaffected by reads, and blind to the order rules were added in', async () => {
    const build = async (order: number[]): Promise<Ec2Emulator> => {
      const emu = await fresh();
      const vpcId = emu.addVpc({ isDefault: true });
      const sg = emu.addSecurityGroup({ vpcId, name: 'ordered' });
      for (const i of order) await emu.client().send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, `10.${i}.0.0/16`)] }));
      return emu;
    };
    const a = await build([1, 2, 3]);
    const b = await build([3, 1, 2]);
    const first = a.snapshot();
    await a.client().send(new DescribeSecurityGroupsCommand({}));
    expect(a.snapshot()).toBe(first);
    expect(b.snapshot()).toBe(first);
    expect(JSON.parse(first)).toEqual(expect.objectContaining({ groups: expect.any(Object), enis: {}, vpcs: expect.any(Object) }));
  });

  test('snapshot changes when anything changes', async () => {
    const emu = await fresh();
    const vpcId = emu.addVpc();
    const before = emu.snapshot();
    emu.addSecurityGroup({ vpcId, name: 'new' });
    expect(emu.snapshot()).not.toBe(before);
  });
});
