import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupRulesCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { errorOf, startWorld, tcp, type World } from './fixtures';

/** DescribeSecurityGroupRules: the per-rule view whose `sgr-…` ids are the import IDs of aws_vpc_security_group_ingress_rule. */
describe('EC2 emulator: DescribeSecurityGroupRules', () => {
  let w: World;
  let own: string;

  beforeEach(async () => {
    // GIVEN the tutorial's own group: 22 and 80 open to the world, RTMP 1935/udp and 1945/tcp
    w = await startWorld({ pageSize: 3 });
    own = w.emu.addSecurityGroup({
      vpcId: w.vpcId,
      name: 'media-server',
      ingress: [
        { protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' },
        { protocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/0' },
        { protocol: 'udp', fromPort: 1935, toPort: 1935, cidr: '0.0.0.0/0', description: 'RTMP' },
        { protocol: 'tcp', fromPort: 1945, toPort: 1945, cidr: '::/0' },
      ],
    });
  });
  afterEach(() => w.emu.close());

  const rulesOf = async (groupId: string) => (await w.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }], MaxResults: 100 }))).SecurityGroupRules!;

  test('the group-id filter lists every ingress and egress rule of the group, one record per source', async () => {
    const rules = await rulesOf(own);
    const summary = rules.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4 ?? r.CidrIpv6]);
    expect(summary).toEqual([
      [false, 'tcp', 22, 22, '0.0.0.0/0'],
      [false, 'tcp', 80, 80, '0.0.0.0/0'],
      [false, 'udp', 1935, 1935, '0.0.0.0/0'],
      [false, 'tcp', 1945, 1945, '::/0'],
      [true, '-1', -1, -1, '0.0.0.0/0'],
    ]);
    expect(rules.every((r) => r.GroupId === own && /^sgr-[0-9a-f]{17}$/.test(r.SecurityGroupRuleId!))).toBe(true);
    expect(rules[2].Description).toBe('RTMP');
    expect(new Set(rules.map((r) => r.SecurityGroupRuleId)).size).toBe(rules.length);
  });

  test('a rule keeps its id across reads, and Authorize reports the id that Describe later shows', async () => {
    const before = await rulesOf(own);
    const out = await w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: own, IpPermissions: [tcp(443, '198.51.100.0/24')] }));
    const added = out.SecurityGroupRules![0];
    const after = await rulesOf(own);
    expect(after.filter((r) => before.some((b) => b.SecurityGroupRuleId === r.SecurityGroupRuleId))).toHaveLength(before.length);
    expect(after.find((r) => r.FromPort === 443)!.SecurityGroupRuleId).toBe(added.SecurityGroupRuleId);
  });

  test('SecurityGroupRuleIds select exactly those rules; an unknown or malformed id fails as in EC2', async () => {
    const [ssh] = await rulesOf(own);
    const byId = await w.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ssh.SecurityGroupRuleId!] }));
    expect(byId.SecurityGroupRules!.map((r) => r.FromPort)).toEqual([22]);
    expect((await errorOf(w.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ['sgr-00000000000000000'] })))).name).toBe('InvalidSecurityGroupRuleId.NotFound');
    expect((await errorOf(w.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ['rule-1'] })))).name).toBe('InvalidSecurityGroupRuleId.Malformed');
  });

  test('a revoked rule is no longer listed', async () => {
    await w.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: own, IpPermissions: [tcp(22, '0.0.0.0/0')] }));
    expect((await rulesOf(own)).map((r) => r.FromPort)).toEqual([80, 1935, 1945, -1]);
  });

  test('without MaxResults the listing pages at the emulator pageSize and every rule is seen once', async () => {
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const out = await w.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [own] }], NextToken }));
      seen.push(...out.SecurityGroupRules!.map((r) => r.SecurityGroupRuleId!));
      NextToken = out.NextToken;
      pages++;
    } while (NextToken);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(5);
  });
});
