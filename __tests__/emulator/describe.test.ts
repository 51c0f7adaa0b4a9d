import {
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  type Filter,
} from '@aws-sdk/client-ec2';
import { errorOf, startWorld, type World } from './fixtures';

describe('EC2 emulator: Describe actions, filters and pagination', () => {
  let w: World;
  let otherVpc: string;
  let managed: string[];
  let instance: { instanceId: string; eniIds: string[] };
  let standaloneEni: string;
  let eip: { allocationId: string; publicIp: string };

  beforeAll(async () => {
    // GIVEN a default VPC with 12 managed groups (alternating tags), one more VPC, an instance with 2 ENIs and an EIP
    w = await startWorld({ pageSize: 4 });
    otherVpc = w.emu.addVpc();
    managed = Array.from({ length: 12 }, (_, i) => w.emu.addSecurityGroup({ vpcId: w.vpcId, name: `AUTOUPDATE_CF-${i}`, tags: { PREFIX_NAME: 'AUTOUPDATE_CF', Parity: i % 2 ? 'odd' : 'even' } }));
    w.emu.addSecurityGroup({ vpcId: otherVpc, name: 'elsewhere', tags: { PREFIX_NAME: 'OTHER' } });
    instance = w.emu.addInstance({ vpcId: w.vpcId, groupIds: [managed[0], w.defaultGroupId], eniCount: 2 });
    standaloneEni = w.emu.addEni({ vpcId: w.vpcId, groupIds: [managed[1]] });
    eip = w.emu.addAddress({ instanceId: instance.instanceId });
    w.emu.addAddress({});
  });
  afterAll(() => w.emu.close());

  const groupIds = async (Filters: Filter[]): Promise<string[]> => {
    const ids: string[] = [];
    for await (const page of paginateDescribeSecurityGroups({ client: w.ec2, pageSize: 1000 }, { Filters })) ids.push(...page.SecurityGroups!.map((g) => g.GroupId!));
    return ids;
  };

  test('DescribeVpcs lists VPCs and filters on isDefault / is-default and vpc-id', async () => {
    expect((await w.ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId)).toEqual([w.vpcId, otherVpc]);
    const byIsDefault = await w.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }));
    const byDashed = await w.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['false'] }] }));
    expect(byIsDefault.Vpcs).toEqual([expect.objectContaining({ VpcId: w.vpcId, IsDefault: true, CidrBlock: '172.31.0.0/16', State: 'available' })]);
    expect(byDashed.Vpcs!.map((v) => v.VpcId)).toEqual([otherVpc]);
    expect((await w.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [otherVpc] }] }))).Vpcs).toHaveLength(1);
    expect((await w.ec2.send(new DescribeVpcsCommand({ VpcIds: [otherVpc] }))).Vpcs![0].IsDefault).toBe(false);
  });

  test('DescribeVpcs refuses an unknown VPC id with InvalidVpcID.NotFound', async () => {
    const err = await errorOf(w.ec2.send(new DescribeVpcsCommand({ VpcIds: [w.vpcId, 'vpc-0000000000000beef'] })));
    expect(err).toMatchObject({ name: 'InvalidVpcID.NotFound', message: "The vpc ID 'vpc-0000000000000beef' does not exist" });
  });

  test('every VPC has its default group', async () => {
    const defaults = (await w.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }))).SecurityGroups!;
    expect(defaults.map((g) => g.VpcId).sort()).toEqual([w.vpcId, otherVpc].sort());
  });

  test.each([
    { what: 'tag:<Key>', filters: [{ Name: 'tag:PREFIX_NAME', Values: ['AUTOUPDATE_CF'] }], count: 12 },
    { what: 'tag-key', filters: [{ Name: 'tag-key', Values: ['Parity'] }], count: 12 },
    { what: 'tag-value', filters: [{ Name: 'tag-value', Values: ['OTHER'] }], count: 1 },
    { what: 'values OR-ed within a filter', filters: [{ Name: 'tag:PREFIX_NAME', Values: ['AUTOUPDATE_CF', 'OTHER'] }], count: 13 },
    {
      what: 'filters AND-ed',
      filters: [
        { Name: 'tag:PREFIX_NAME', Values: ['AUTOUPDATE_CF'] },
        { Name: 'tag:Parity', Values: ['odd'] },
      ],
      count: 6,
    },
    { what: 'a * wildcard in group-name', filters: [{ Name: 'group-name', Values: ['AUTOUPDATE_CF-1*'] }], count: 3 },
    { what: 'a ? wildcard in group-name', filters: [{ Name: 'group-name', Values: ['AUTOUPDATE_CF-?'] }], count: 10 },
    { what: 'a wildcard in a tag value', filters: [{ Name: 'tag:PREFIX_NAME', Values: ['AUTO*'] }], count: 12 },
  ])('DescribeSecurityGroups honours $what', async ({ filters, count }) => {
    expect(await groupIds(filters)).toHaveLength(count);
  });

  test('group-id and vpc-id filters select exactly the named groups', async () => {
    expect(await groupIds([{ Name: 'group-id', Values: [managed[3], managed[5]] }])).toEqual([managed[3], managed[5]]);
    const inOther = await groupIds([{ Name: 'vpc-id', Values: [otherVpc] }]);
    expect(inOther.map((id) => w.emu.group(id)!.groupName).sort()).toEqual(['default', 'elsewhere']);
  });

  test('GroupIds return exactly those groups; an unknown id fails with InvalidGroup.NotFound', async () => {
    const out = await w.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [managed[2]] }));
    expect(out.SecurityGroups!.map((g) => g.GroupName)).toEqual(['AUTOUPDATE_CF-2']);
    const err = await errorOf(w.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [managed[2], 'sg-0000000000000cafe'] })));
    expect(err).toMatchObject({ name: 'InvalidGroup.NotFound', message: "The security group 'sg-0000000000000cafe' does not exist" });
  });

  test('GroupNames look in the default VPC only', async () => {
    const out = await w.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['AUTOUPDATE_CF-4'] }));
    expect(out.SecurityGroups!.map((g) => g.GroupId)).toEqual([managed[4]]);
    expect((await errorOf(w.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['elsewhere'] })))).name).toBe('InvalidGroup.NotFound');
  });

  test('an unknown filter name or a filter without values fails with InvalidParameterValue', async () => {
    const unknown = await errorOf(w.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })));
    const empty = await errorOf(w.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [] }] })));
    expect([unknown.name, empty.name]).toEqual(['InvalidParameterValue', 'InvalidParameterValue']);
  });

  test('MaxResults pages through every group exactly once, in a stable order', async () => {
    const pages: string[][] = [];
    for await (const page of paginateDescribeSecurityGroups({ client: w.ec2, pageSize: 5 }, {})) pages.push(page.SecurityGroups!.map((g) => g.GroupId!));
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5]);
    expect(pages.flat()).toEqual(w.emu.groups().map((g) => g.groupId));
  });

  test('without MaxResults a listing is cut at the emulator pageSize and continues by NextToken', async () => {
    const first = await w.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:PREFIX_NAME', Values: ['AUTOUPDATE_CF'] }] }));
    expect(first.SecurityGroups).toHaveLength(4);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await w.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:PREFIX_NAME', Values: ['AUTOUPDATE_CF'] }], NextToken: first.NextToken }));
    expect(second.SecurityGroups!.map((g) => g.GroupId)).toEqual(managed.slice(4, 8));
  });

  test.each([
    { what: 'MaxResults below 5', input: { MaxResults: 4 }, code: 'InvalidParameterValue' },
    { what: 'MaxResults above 1000', input: { MaxResults: 1001 }, code: 'InvalidParameterValue' },
    { what: 'MaxResults with GroupIds', input: { MaxResults: 5, GroupIds: ['sg-0000000000000cafe'] }, code: 'InvalidParameterCombination' },
    { what: 'a forged NextToken', input: { NextToken: 'not-a-token' }, code: 'InvalidPaginationToken' },
  ])('DescribeSecurityGroups refuses $what with $code', async ({ input, code }) => {
    expect((await errorOf(w.ec2.send(new DescribeSecurityGroupsCommand(input)))).name).toBe(code);
  });

  test('DescribeNetworkInterfaces reports groups, attachment and the Elastic IP association', async () => {
    const out = await w.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [instance.eniIds[0]] }));
    expect(out.NetworkInterfaces).toEqual([
      expect.objectContaining({
        NetworkInterfaceId: instance.eniIds[0],
        VpcId: w.vpcId,
        Status: 'in-use',
        Groups: [
          { GroupId: managed[0], GroupName: 'AUTOUPDATE_CF-0' },
          { GroupId: w.defaultGroupId, GroupName: 'default' },
        ],
        Attachment: expect.objectContaining({ InstanceId: instance.instanceId, DeviceIndex: 0, Status: 'attached' }),
        Association: expect.objectContaining({ PublicIp: eip.publicIp, AllocationId: eip.allocationId }),
      }),
    ]);
  });

  test.each([
    { what: 'attachment.instance-id', filter: 'attachment.instance-id', value: () => instance.instanceId, expected: () => instance.eniIds },
    { what: 'group-id', filter: 'group-id', value: () => managed[1], expected: () => [standaloneEni] },
    { what: 'network-interface-id', filter: 'network-interface-id', value: () => standaloneEni, expected: () => [standaloneEni] },
    { what: 'vpc-id', filter: 'vpc-id', value: () => otherVpc, expected: () => [] },
    { what: 'status', filter: 'status', value: () => 'available', expected: () => [standaloneEni] },
  ])('DescribeNetworkInterfaces filters on $what', async ({ filter, value, expected }) => {
    const out = await w.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: filter, Values: [value()] }] }));
    expect(out.NetworkInterfaces!.map((e) => e.NetworkInterfaceId)).toEqual(expected());
  });

  test('DescribeNetworkInterfaces pages, and refuses unknown ids', async () => {
    const ids: string[] = [];
    for await (const page of paginateDescribeNetworkInterfaces({ client: w.ec2, pageSize: 5 }, { Filters: [{ Name: 'vpc-id', Values: [w.vpcId] }] })) {
      ids.push(...page.NetworkInterfaces!.map((e) => e.NetworkInterfaceId!));
    }
    expect(ids).toEqual([...instance.eniIds, standaloneEni]);
    const err = await errorOf(w.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0000000000000f00d'] })));
    expect(err.name).toBe('InvalidNetworkInterfaceID.NotFound');
  });

  test('DescribeInstances returns a reservation with the instance, its primary groups and every ENI', async () => {
    const out = await w.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance.instanceId] }));
    const [reservation] = out.Reservations!;
    const [inst] = reservation.Instances!;
    expect(inst).toMatchObject({ InstanceId: instance.instanceId, VpcId: w.vpcId, State: { Code: 16, Name: 'running' }, PublicIpAddress: eip.publicIp });
    expect(inst.SecurityGroups!.map((g) => g.GroupId)).toEqual([managed[0], w.defaultGroupId]);
    expect(inst.NetworkInterfaces!.map((n) => [n.NetworkInterfaceId, n.Attachment!.DeviceIndex, n.Groups!.length])).toEqual([
      [instance.eniIds[0], 0, 2],
      [instance.eniIds[1], 1, 2],
    ]);
    const filtered = await w.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [instance.instanceId] }] }));
    expect(filtered.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([instance.instanceId]);
    expect((await errorOf(w.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0000000000000beef'] })))).name).toBe('InvalidInstanceID.NotFound');
  });

  test('DescribeInstances pages by instance with MaxResults and NextToken', async () => {
    const more = Array.from({ length: 5 }, () => w.emu.addInstance({ vpcId: otherVpc }).instanceId);
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const out = await w.ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken }));
      expect(out.Reservations!.length).toBeLessThanOrEqual(5);
      seen.push(...out.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
      NextToken = out.NextToken;
    } while (NextToken);
    expect(seen).toEqual([instance.instanceId, ...more]);
  });

  test('DescribeAddresses finds Elastic IPs by instance-id, allocation id and public IP', async () => {
    const byInstance = await w.ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'instance-id', Values: [instance.instanceId] }] }));
    expect(byInstance.Addresses).toEqual([
      expect.objectContaining({ AllocationId: eip.allocationId, PublicIp: eip.publicIp, InstanceId: instance.instanceId, Domain: 'vpc', AssociationId: expect.stringMatching(/^eipassoc-/) }),
    ]);
    expect((await w.ec2.send(new DescribeAddressesCommand({}))).Addresses).toHaveLength(2);
    expect((await w.ec2.send(new DescribeAddressesCommand({ AllocationIds: [eip.allocationId] }))).Addresses![0].PublicIp).toBe(eip.publicIp);
    expect((await w.ec2.send(new DescribeAddressesCommand({ PublicIps: [eip.publicIp] }))).Addresses![0].AllocationId).toBe(eip.allocationId);
    const errors = await Promise.all([
      errorOf(w.ec2.send(new DescribeAddressesCommand({ AllocationIds: ['eipalloc-0000000000000beef'] }))),
      errorOf(w.ec2.send(new DescribeAddressesCommand({ PublicIps: ['198.51.100.7'] }))),
    ]);
    expect(errors.map((e) => e.name)).toEqual(['InvalidAllocationID.NotFound', 'InvalidAddress.NotFound']);
  });

  test('Describe calls are recorded as reads and change nothing', async () => {
    const before = w.emu.snapshot();
    w.emu.resetCalls();
    await w.ec2.send(new DescribeVpcsCommand({}));
    await w.ec2.send(new DescribeSecurityGroupsCommand({}));
    expect(w.emu.calls).toEqual([
      { action: 'DescribeVpcs', write: false, ok: true },
      { action: 'DescribeSecurityGroups', write: false, ok: true },
    ]);
    expect(w.emu.snapshot()).toBe(before);
  });
});
