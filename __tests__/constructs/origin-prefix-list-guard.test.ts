import { DataAwsEc2ManagedPrefixList } from '@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list';
import { DataAwsInstance } from '@cdktf/provider-aws/lib/data-aws-instance';
import { NetworkInterfaceSgAttachment } from '@cdktf/provider-aws/lib/network-interface-sg-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformVariable } from 'cdktf';
import { OriginPrefixListGuard, type OriginPrefixListGuardProps } from '../../constructs/origin-prefix-list-guard';
import { assertPrefixListQuotas, CLOUDFRONT_PREFIX_LIST_WEIGHT } from '../../constructs/prefix-list-quota';
import { synth, synthError } from '../support/construct-synth';

const INSTANCE = 'i-0123456789abcdef0';
const ENI = 'eni-0123456789abcdef0';
const ref = (type: string, attr: string) => expect.stringMatching(new RegExp(`^\\$\\{${type.replace('.', '\\.')}\\.[^.]+\\.${attr}\\}$`));

function build(props: OriginPrefixListGuardProps) {
  let guard: OriginPrefixListGuard | undefined;
  const s = synth((scope) => {
    guard = new OriginPrefixListGuard(scope, 'guard', props);
  });
  return { s, guard: guard! };
}

function errorOf(fn: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error('expected an error');
}

describe('OriginPrefixListGuard', () => {
  test("GIVEN an instance THEN one group for 80/tcp admits the IPv4 origin-facing list and is attached to the instance's primary interface", () => {
    const { s } = build({ instanceId: INSTANCE });
    expect(s.json).toHaveDataSourceWithProperties(DataAwsEc2ManagedPrefixList, { name: 'com.amazonaws.global.cloudfront.origin-facing' });
    expect(Object.keys(s.dataSources('aws_ec2_managed_prefix_list'))).toHaveLength(1);
    expect(s.json).toHaveDataSourceWithProperties(DataAwsInstance, { instance_id: INSTANCE });
    expect(s.only('aws_security_group')).toEqual({
      name: 'AUTOUPDATE_CF-pl-80-tcp',
      description: 'CloudFront origin-facing prefix list on 80/tcp (cfguard prefix-list mode)',
      egress: [],
      tags: { Name: 'AUTOUPDATE_CF-pl-80-tcp' },
    });
    expect(s.json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: ref('aws_security_group', 'id'),
      ip_protocol: 'tcp',
      from_port: 80,
      to_port: 80,
      prefix_list_id: ref('data.aws_ec2_managed_prefix_list', 'id'),
    });
    expect(s.json).toHaveResourceWithProperties(NetworkInterfaceSgAttachment, {
      security_group_id: ref('aws_security_group', 'id'),
      network_interface_id: ref('data.aws_instance', 'network_interface_id'),
    });
    expect(s.schemaProblems()).toEqual([]);
  });

  test("GIVEN defaults THEN the groups do not carry the Lambda mode's managed PREFIX_NAME tag", () => {
    expect(build({ instanceId: INSTANCE }).s.only('aws_security_group').tags).not.toHaveProperty('PREFIX_NAME');
  });

  test('GIVEN a network interface THEN it is used directly and the instance is not looked up', () => {
    const { s, guard } = build({ networkInterfaceId: ENI, instanceId: INSTANCE });
    expect(s.json).not.toHaveDataSource(DataAwsInstance);
    expect(s.json).toHaveResourceWithProperties(NetworkInterfaceSgAttachment, { network_interface_id: ENI });
    expect(guard.networkInterfaceId).toBe(ENI);
  });

  test('GIVEN ipv6 THEN each group also admits the IPv6 list, on a rule of its own', () => {
    const { s, guard } = build({ networkInterfaceId: ENI, ipv6: true });
    expect(s.json).toHaveDataSourceWithProperties(DataAwsEc2ManagedPrefixList, { name: 'com.amazonaws.global.ipv6.cloudfront.origin-facing' });
    const rules = Object.values(s.resources('aws_vpc_security_group_ingress_rule'));
    expect(rules.map((r) => r.description).sort()).toEqual(['CloudFront origin-facing (ipv4) on 80/tcp', 'CloudFront origin-facing (ipv6) on 80/tcp']);
    expect(new Set(rules.map((r) => r.prefix_list_id)).size).toBe(2);
    expect(Object.keys(guard.prefixListIds).sort()).toEqual(['ipv4', 'ipv6']);
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN several ports, as strings and objects, THEN there is one group, rule and attachment per port with stable ids', () => {
    const { s, guard } = build({
      networkInterfaceId: ENI,
      prefixName: 'EDGE',
      vpcId: 'vpc-0123456789abcdef0',
      ports: ['80/tcp', { protocol: 'tcp', fromPort: 8000, toPort: 8010 }, '443/tcp', '80/tcp'],
      tags: { project: 'streaming' },
      groupsPerInterface: 4,
    });
    expect(Object.keys(guard.securityGroups)).toEqual(['80-tcp', '8000-8010-tcp', '443-tcp']);
    expect(guard.securityGroups['8000-8010-tcp'].node.path).toBe('stack/guard/group-8000-8010-tcp');
    expect(guard.securityGroupIds).toHaveLength(3);
    expect(s.json).toHaveResourceWithProperties(SecurityGroup, { name: 'EDGE-pl-8000-8010-tcp', vpc_id: 'vpc-0123456789abcdef0', tags: { project: 'streaming', Name: 'EDGE-pl-8000-8010-tcp' } });
    expect(s.json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { from_port: 8000, to_port: 8010, tags: { project: 'streaming' } });
    expect(Object.keys(s.resources('aws_vpc_security_group_ingress_rule'))).toHaveLength(3);
    expect(Object.keys(s.resources('aws_network_interface_sg_attachment'))).toHaveLength(3);
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN no vpcId THEN the group is left to the default VPC', () => {
    expect(build({ networkInterfaceId: ENI }).s.only('aws_security_group')).not.toHaveProperty('vpc_id');
  });

  test('GIVEN neither an interface nor an instance THEN CONFIG_INVALID asks for one', () => {
    const error = synthError((scope) => new OriginPrefixListGuard(scope, 'guard', {}));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe("'networkInterfaceId' must be set (or set 'instanceId' to look up the instance's primary interface), got undefined");
  });

  test.each<[string, OriginPrefixListGuardProps, string]>([
    ['a malformed interface id', { networkInterfaceId: 'eth0' }, "'networkInterfaceId' must be a network interface id like 'eni-0123456789abcdef0', got 'eth0'"],
    ['a malformed instance id', { instanceId: 'web' }, "'instanceId' must be an instance id"],
    ['a malformed VPC id', { networkInterfaceId: ENI, vpcId: 'default' }, "'vpcId' must be a VPC id"],
    ['a malformed prefix name', { networkInterfaceId: ENI, prefixName: 'with space' }, "'prefixName' must be 1-200 letters, digits, _ . or -, got 'with space'"],
    ['a malformed port', { networkInterfaceId: ENI, ports: ['http'] }, "'ports' must be a comma-separated list like '80/tcp,443/tcp'"],
    ['no ports', { networkInterfaceId: ENI, ports: [] }, "'ports' must be at least one port like '80/tcp'"],
    ['groupsPerInterface 17', { networkInterfaceId: ENI, groupsPerInterface: 17 }, "'groupsPerInterface' must be an integer from 1 to 16, got 17"],
    ['rulesPerGroup 0', { networkInterfaceId: ENI, rulesPerGroup: 0 }, "'rulesPerGroup' must be an integer from 1 to 1000, got 0"],
    ['existingGroupsOnInterface -1', { networkInterfaceId: ENI, existingGroupsOnInterface: -1 }, "'existingGroupsOnInterface' must be an integer from 0 to 15, got -1"],
  ])('GIVEN %s THEN CONFIG_INVALID names the prop', (_case, props, message) => {
    const error = synthError((scope) => new OriginPrefixListGuard(scope, 'guard', props));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });

  test("GIVEN rulesPerGroup below the list's weight THEN QUOTA_RULES_PER_GROUP says to raise it to 55", () => {
    const error = synthError((scope) => new OriginPrefixListGuard(scope, 'guard', { networkInterfaceId: ENI, rulesPerGroup: 50 }));
    expect(error.code).toBe('QUOTA_RULES_PER_GROUP');
    expect(error.message).toContain("counts as 55 rules, above 'rulesPerGroup' (50); raise EC2's 'Inbound or outbound rules per security group' quota and 'rulesPerGroup' to 55");
  });

  test('GIVEN more ports than free group slots THEN QUOTA_GROUPS_PER_INTERFACE says to raise it to what is needed', () => {
    const error = synthError((scope) => new OriginPrefixListGuard(scope, 'guard', { networkInterfaceId: ENI, ports: ['80/tcp', '443/tcp', '8080/tcp', '8443/tcp', '9000/tcp'] }));
    expect(error.code).toBe('QUOTA_GROUPS_PER_INTERFACE');
    expect(error.message).toContain(
      "5 prefix-list group(s), one per port, + 1 existing = 6 groups on the interface, above 'groupsPerInterface' (5); raise EC2's 'Security groups per network interface' quota and 'groupsPerInterface' to 6",
    );
  });

  test('GIVEN a quota only known at apply time THEN the synth-time quota check is skipped, not failed', () => {
    const s = synth((scope) => {
      const rules = new TerraformVariable(scope, 'rules_per_group', { type: 'number' });
      new OriginPrefixListGuard(scope, 'guard', { networkInterfaceId: ENI, rulesPerGroup: rules.numberValue });
    });
    expect(s.json).toHaveResource(SecurityGroup);
  });

  test('GIVEN the quota fits exactly THEN it synthesizes', () => {
    const { guard } = build({ networkInterfaceId: ENI, ports: ['80/tcp', '443/tcp'], groupsPerInterface: 3, existingGroupsOnInterface: 1 });
    expect(guard.securityGroupIds).toHaveLength(2);
  });
});

describe('assertPrefixListQuotas', () => {
  const fits = { portCount: 1, rulesPerGroup: 60, groupsPerInterface: 5, existingGroupsOnInterface: 1 };

  test('GIVEN the defaults THEN the weight 55 fits 60 rules and 2 groups fit 5', () => {
    expect(CLOUDFRONT_PREFIX_LIST_WEIGHT).toBe(55);
    expect(() => assertPrefixListQuotas(fits)).not.toThrow();
    expect(() => assertPrefixListQuotas({ ...fits, rulesPerGroup: 55 })).not.toThrow();
  });

  test('GIVEN 54 rules per group THEN the details carry the quota and the value to raise it to', () => {
    expect(errorOf(() => assertPrefixListQuotas({ ...fits, rulesPerGroup: 54 })).details).toEqual({ quota: 'rulesPerGroup', rulesPerGroup: 54, weight: 55, raiseTo: 55 });
  });

  test('GIVEN raising the groups would break rules x groups <= 1000 THEN the fix also lowers rulesPerGroup', () => {
    const error = errorOf(() => assertPrefixListQuotas({ portCount: 10, rulesPerGroup: 100, groupsPerInterface: 10, existingGroupsOnInterface: 1 }));
    expect(error.message).toContain("'groupsPerInterface' to 11 and lower 'rulesPerGroup' to 90 (EC2 caps rules x groups at 1000)");
    expect(error.details).toMatchObject({ quota: 'groupsPerInterface', groupsNeeded: 11, raiseTo: 11 });
  });

  test('GIVEN more groups than EC2 ever allows THEN the fix is fewer ports, not a quota', () => {
    const error = errorOf(() => assertPrefixListQuotas({ portCount: 16, rulesPerGroup: 60, groupsPerInterface: 16, existingGroupsOnInterface: 1 }));
    expect(error.message).toContain('EC2 allows at most 16 groups per interface, so open fewer ports');
    expect(error.details).not.toHaveProperty('raiseTo');
  });
});
