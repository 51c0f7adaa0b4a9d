import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { cidrs, cidrs6, errorOf, startWorld, tcp, type World } from './fixtures';

describe('EC2 emulator: Authorize/Revoke security group rules', () => {
  let w: World;
  let sg: string;
  beforeAll(async () => {
    w = await startWorld({ rulesPerGroup: 4 });
  });
  afterAll(() => w.emu.close());
  beforeEach(() => {
    sg = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: `g-${Math.random().toString(36).slice(2)}` });
  });

  test('an authorized rule is stored and described back, grouped by protocol and ports, with its description', async () => {
    // GIVEN a group WHEN two ranges on one port and one on another are authorized
    const out = await w.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/24', Description: 'cf' }, { CidrIp: '10.0.1.0/24' }] },
          { IpProtocol: 'udp', FromPort: 1935, ToPort: 1940, Ipv6Ranges: [{ CidrIpv6: '2600:9000::/36' }] },
        ],
      }),
    );
    // THEN the call returns true and Describe groups rules per (protocol, ports)
    expect(out.Return).toBe(true);
    expect(out.SecurityGroupRules).toHaveLength(3);
    expect(out.SecurityGroupRules![0]).toMatchObject({ GroupId: sg, IsEgress: false, IpProtocol: 'tcp', CidrIpv4: '10.0.0.0/24', Description: 'cf' });
    const [group] = (await w.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups!;
    expect(group.IpPermissions).toEqual([
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '10.0.0.0/24', Description: 'cf' }, { CidrIp: '10.0.1.0/24' }], Ipv6Ranges: [], PrefixListIds: [] },
      { IpProtocol: 'udp', FromPort: 1935, ToPort: 1940, UserIdGroupPairs: [], IpRanges: [], Ipv6Ranges: [{ CidrIpv6: '2600:9000::/36' }], PrefixListIds: [] },
    ]);
    expect(w.emu.group(sg)!.ingress).toEqual([
      { protocol: 'tcp', fromPort: 80, toPort: 80, source: '10.0.0.0/24', description: 'cf' },
      { protocol: 'tcp', fromPort: 80, toPort: 80, source: '10.0.1.0/24' },
      { protocol: 'udp', fromPort: 1935, toPort: 1940, source: '2600:9000::/36' },
    ]);
  });

  test('group and prefix-list sources are stored and described, protocol numbers are named, and -1 rules have no ports', async () => {
    await w.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg,
        IpPermissions: [
          { IpProtocol: '6', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: w.defaultGroupId }], PrefixListIds: [{ PrefixListId: 'pl-0123abcd' }] },
          { IpProtocol: '-1', IpRanges: [{ CidrIp: '192.168.0.0/16' }] },
        ],
      }),
    );
    const [group] = (await w.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups!;
    expect(group.IpPermissions![0]).toMatchObject({
      IpProtocol: 'tcp',
      FromPort: 443,
      UserIdGroupPairs: [{ GroupId: w.defaultGroupId, UserId: '123456789012' }],
      PrefixListIds: [{ PrefixListId: 'pl-0123abcd' }],
    });
    expect(group.IpPermissions![1]).toEqual({ IpProtocol: '-1', UserIdGroupPairs: [], IpRanges: [{ CidrIp: '192.168.0.0/16' }], Ipv6Ranges: [], PrefixListIds: [] });
    expect(w.emu.group(sg)!.ingress.map((r) => r.source)).toEqual([w.defaultGroupId, 'pl-0123abcd', '192.168.0.0/16']);
  });

  test('authorizing a rule that exists fails with InvalidPermission.Duplicate, even with another description', async () => {
    await w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, '10.0.0.0/24')] }));
    const before = w.emu.snapshot();
    const err = await errorOf(w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ ...tcp(80), IpRanges: [{ CidrIp: '10.0.0.0/24', Description: 'other' }] }] })));
    expect(err).toMatchObject({ name: 'InvalidPermission.Duplicate', status: 400, attempts: 1 });
    expect(err.message).toContain('10.0.0.0/24');
    expect(w.emu.snapshot()).toBe(before);
  });

  test('a call mixing new rules with one existing rule changes nothing (all or nothing)', async () => {
    await w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, '10.0.0.0/24')] }));
    const before = w.emu.snapshot();
    const err = await errorOf(w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, '10.9.0.0/24', '10.0.0.0/24')] })));
    expect(err.name).toBe('InvalidPermission.Duplicate');
    expect(w.emu.snapshot()).toBe(before);
  });

  test('the same rule twice in one call is a duplicate', async () => {
    const err = await errorOf(w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, '10.0.0.0/24'), tcp(80, '10.0.0.0/24')] })));
    expect(err.name).toBe('InvalidPermission.Duplicate');
    expect(w.emu.group(sg)!.ingress).toEqual([]);
  });

  test('revoke removes exactly the named rules and ignores descriptions', async () => {
    w.emu.resetCalls();
    await w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ ...tcp(80), IpRanges: [{ CidrIp: '10.0.0.0/24', Description: 'x' }, { CidrIp: '10.0.1.0/24' }] }] }));
    const out = await w.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, '10.0.0.0/24')] }));
    expect(out.Return).toBe(true);
    expect(w.emu.group(sg)!.ingress).toEqual([{ protocol: 'tcp', fromPort: 80, toPort: 80, source: '10.0.1.0/24' }]);
    // every successful write also records the whole world (worldAfter: see fidelity.test)
    expect(w.emu.calls.map(({ worldAfter: _world, ...call }) => call)).toEqual([
      { action: 'AuthorizeSecurityGroupIngress', write: true, ok: true },
      { action: 'RevokeSecurityGroupIngress', write: true, ok: true },
    ]);
  });

  test('revoking a rule that is absent fails with InvalidPermission.NotFound and revokes nothing else in the call', async () => {
    await w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, '10.0.0.0/24')] }));
    const before = w.emu.snapshot();
    const absentPort = await errorOf(w.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(81, '10.0.0.0/24')] })));
    const mixed = await errorOf(w.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, '10.0.0.0/24', '10.7.0.0/24')] })));
    expect([absentPort.name, mixed.name]).toEqual(['InvalidPermission.NotFound', 'InvalidPermission.NotFound']);
    expect(w.emu.snapshot()).toBe(before);
  });

  test('the rules quota holds per address family: IPv4 (with group and prefix-list sources) and IPv6 count separately', async () => {
    // GIVEN rulesPerGroup = 4 WHEN 3 IPv4 CIDRs and a group reference are authorized THEN IPv4 is full
    await w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, ...cidrs(3)), { ...tcp(80), UserIdGroupPairs: [{ GroupId: w.defaultGroupId }] }] }));
    const before = w.emu.snapshot();
    const v4 = await errorOf(w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ ...tcp(80), PrefixListIds: [{ PrefixListId: 'pl-00aa' }] }] })));
    expect(v4).toMatchObject({ name: 'RulesPerSecurityGroupLimitExceeded', status: 400 });
    expect(w.emu.snapshot()).toBe(before);
    // AND 4 IPv6 rules still fit, a 5th does not, and a call that would overflow adds none of its rules
    await w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, ...cidrs6(4))] }));
    const v6 = await errorOf(w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(443, '2600:1f00::/40')] })));
    expect(v6.name).toBe('RulesPerSecurityGroupLimitExceeded');
    expect(w.emu.group(sg)!.ingress).toHaveLength(8);
  });

  test('inbound and outbound rules have separate quotas', async () => {
    await w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, ...cidrs(4))] }));
    // the default egress rule plus 3 more fill the outbound IPv4 quota
    await w.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [tcp(443, ...cidrs(3, 1))] }));
    const err = await errorOf(w.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [tcp(443, '10.200.0.0/24')] })));
    expect(err.name).toBe('RulesPerSecurityGroupLimitExceeded');
    expect(w.emu.group(sg)!.egress).toHaveLength(4);
  });

  test("a new group's allow-all egress can be revoked, and egress rules are authorized and revoked like ingress", async () => {
    expect(w.emu.group(sg)!.egress).toEqual([{ protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' }]);
    await w.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    expect(w.emu.group(sg)!.egress).toEqual([]);
    await w.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [tcp(443, '0.0.0.0/0')] }));
    const dup = await errorOf(w.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [tcp(443, '0.0.0.0/0')] })));
    const gone = await errorOf(w.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: sg, IpPermissions: [tcp(80, '0.0.0.0/0')] })));
    expect([dup.name, gone.name]).toEqual(['InvalidPermission.Duplicate', 'InvalidPermission.NotFound']);
    expect(w.emu.group(sg)!.ingress).toEqual([]);
  });

  test.each([
    { what: 'no IpPermissions at all', IpPermissions: [], code: 'MissingParameter' },
    { what: 'a permission without any source', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }], code: 'InvalidRequest' },
    { what: 'a malformed IPv4 CIDR', IpPermissions: [tcp(80, '10.0.0.0/33')], code: 'InvalidParameterValue' },
    { what: 'a malformed IPv6 CIDR', IpPermissions: [tcp(80, '2600:::1/64')], code: 'InvalidParameterValue' },
    { what: 'tcp without ports', IpPermissions: [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '10.0.0.0/24' }] }], code: 'InvalidParameterValue' },
    { what: 'a port range upside down', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 90, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/24' }] }], code: 'InvalidParameterValue' },
    { what: 'an unknown protocol name', IpPermissions: [{ IpProtocol: 'sctp-ish', IpRanges: [{ CidrIp: '10.0.0.0/24' }] }], code: 'InvalidParameterValue' },
    { what: 'a description with characters EC2 refuses', IpPermissions: [{ ...tcp(80), IpRanges: [{ CidrIp: '10.0.0.0/24', Description: 'é<script>' }] }], code: 'InvalidParameterValue' },
    { what: 'an unknown referenced group', IpPermissions: [{ ...tcp(80), UserIdGroupPairs: [{ GroupId: 'sg-0000000000000dead' }] }], code: 'InvalidGroup.NotFound' },
  ])('authorizing $what fails with $code and changes nothing', async ({ IpPermissions, code }) => {
    const before = w.emu.snapshot();
    const err = await errorOf(w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions })));
    expect(err).toMatchObject({ name: code, status: 400 });
    expect(w.emu.snapshot()).toBe(before);
  });

  test('an unknown or malformed group id is refused by every rule action', async () => {
    const unknown = 'sg-0123456789abcdef0';
    const results = await Promise.all([
      errorOf(w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: unknown, IpPermissions: [tcp(80, '10.0.0.0/24')] }))),
      errorOf(w.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: unknown, IpPermissions: [tcp(80, '10.0.0.0/24')] }))),
      errorOf(w.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: unknown, IpPermissions: [tcp(80, '10.0.0.0/24')] }))),
      errorOf(w.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: unknown, IpPermissions: [tcp(80, '10.0.0.0/24')] }))),
      errorOf(w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: 'web', IpPermissions: [tcp(80, '10.0.0.0/24')] }))),
    ]);
    expect(results.map((r) => r.name)).toEqual(['InvalidGroup.NotFound', 'InvalidGroup.NotFound', 'InvalidGroup.NotFound', 'InvalidGroup.NotFound', 'InvalidGroupId.Malformed']);
    expect(results[0].message).toBe(`The security group '${unknown}' does not exist`);
  });
});
