import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Token } from 'cdktf';
import { IngestRules } from '../../constructs/ingest-rules';
import { DEFAULT_INGEST_RULES, ingestRuleIds, type IngestRule } from '../../lambda-src/config/ingest-rule-ids';
import { synth, synthError } from '../support/construct-synth';
import { caught } from '../support/caught';

const GROUP = 'sg-0123456789abcdef0';

describe('ingestRuleIds', () => {
  test("GIVEN no rules THEN the tutorial's 1935/udp and 1945/tcp from 0.0.0.0/0 are named udp-1935-0 and tcp-1945-0", () => {
    expect(ingestRuleIds()).toEqual([
      { id: 'udp-1935-0', protocol: 'udp', fromPort: 1935, toPort: 1935, cidr: '0.0.0.0/0', family: 'ipv4' },
      { id: 'tcp-1945-0', protocol: 'tcp', fromPort: 1945, toPort: 1945, cidr: '0.0.0.0/0', family: 'ipv4' },
    ]);
    expect(ingestRuleIds(DEFAULT_INGEST_RULES)).toEqual(ingestRuleIds());
  });

  test('GIVEN several CIDRs, a range and a second entry for the same port THEN ids count per protocol and ports in list order', () => {
    const rules: IngestRule[] = [
      { port: 1935, protocol: 'udp', cidrs: ['203.0.113.0/24', '2001:db8::/32'] },
      { port: 8000, toPort: 8010, protocol: 'tcp' },
      { port: 1935, protocol: 'udp', cidrs: ['198.51.100.0/24'] },
    ];
    expect(ingestRuleIds(rules).map((e) => [e.id, e.cidr, e.family])).toEqual([
      ['udp-1935-0', '203.0.113.0/24', 'ipv4'],
      ['udp-1935-1', '2001:db8::/32', 'ipv6'],
      ['tcp-8000-8010-0', '0.0.0.0/0', 'ipv4'],
      ['udp-1935-2', '198.51.100.0/24', 'ipv4'],
    ]);
  });

  test.each<[string, IngestRule[], string]>([
    ['port 0', [{ port: 0, protocol: 'tcp' }], "'rules[0].port' must be an integer port from 1 to 65535"],
    ['port 70000', [{ port: 70000, protocol: 'tcp' }], "'rules[0].port' must be an integer port from 1 to 65535"],
    ['a fractional port', [{ port: 80.5, protocol: 'tcp' }], "'rules[0].port' must be an integer port"],
    ['a token port', [{ port: Token.asNumber({ Ref: 'p' }), protocol: 'tcp' }], "'rules[0].port' must be an integer port"],
    ['toPort below port', [{ port: 90, toPort: 80, protocol: 'tcp' }], "'rules[0].toPort' must be at least 'port' (90), got 80"],
    ['protocol icmp', [{ port: 80, protocol: 'icmp' as 'tcp' }], "'rules[0].protocol' must be 'tcp' or 'udp', got 'icmp'"],
    ['no CIDRs', [{ port: 80, protocol: 'tcp', cidrs: [] }], "'rules[0].cidrs' must be at least one CIDR"],
    ['a malformed CIDR', [{ port: 80, protocol: 'tcp', cidrs: ['10.0.0.0/33'] }], "'rules[0].cidrs[0]' must be an IPv4 or IPv6 CIDR"],
    ['host bits set', [{ port: 80, protocol: 'tcp', cidrs: ['10.1.2.3/8'] }], "'rules[0].cidrs[0]' must be a canonical CIDR with the host bits clear ('10.0.0.0/8'), got '10.1.2.3/8'"],
    [
      'a duplicate',
      [
        { port: 80, protocol: 'tcp' },
        { port: 80, protocol: 'tcp' },
      ],
      "'rules[1].cidrs[0]' must be listed once per protocol and port range (tcp-80 already has it)",
    ],
  ])('GIVEN %s THEN CONFIG_INVALID names the rule and field', (_case, rules, message) => {
    const error = caught(() => ingestRuleIds(rules));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });

  test("GIVEN a caller-supplied prop name THEN errors use it (the config's JSON path)", () => {
    expect(caught(() => ingestRuleIds([{ port: 0, protocol: 'tcp' }], 'ingest.rules')).message).toMatch(/^'ingest\.rules\[0\]\.port'/);
  });
});

describe('IngestRules', () => {
  test("GIVEN defaults THEN 1935/udp and 1945/tcp are opened from 0.0.0.0/0 on the instance's own group", () => {
    const s = synth((scope) => new IngestRules(scope, 'ingest', { securityGroupId: GROUP }));
    expect(s.json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: GROUP,
      ip_protocol: 'udp',
      from_port: 1935,
      to_port: 1935,
      cidr_ipv4: '0.0.0.0/0',
    });
    expect(s.json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: GROUP,
      ip_protocol: 'tcp',
      from_port: 1945,
      to_port: 1945,
      cidr_ipv4: '0.0.0.0/0',
    });
    expect(Object.keys(s.resources('aws_vpc_security_group_ingress_rule'))).toHaveLength(2);
    expect(Object.values(s.resources('aws_vpc_security_group_ingress_rule')).some((r) => 'cidr_ipv6' in r)).toBe(false);
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN defaults THEN construct ids are the stable import-path names', () => {
    let paths: string[] = [];
    synth((scope) => {
      const ingest = new IngestRules(scope, 'ingest', { securityGroupId: GROUP });
      expect(ingest.ruleIds).toEqual(['udp-1935-0', 'tcp-1945-0']);
      paths = ingest.ruleIds.map((id) => ingest.rules[id].node.path);
    });
    expect(paths).toEqual(['stack/ingest/udp-1935-0', 'stack/ingest/tcp-1945-0']);
  });

  test('GIVEN custom rules with IPv6 and a range THEN each (rule, CIDR) becomes one rule in its family', () => {
    const s = synth(
      (scope) =>
        new IngestRules(scope, 'ingest', {
          securityGroupId: GROUP,
          rules: [{ port: 9000, toPort: 9010, protocol: 'udp', cidrs: ['198.51.100.0/24', '2001:db8::/32'] }],
          tags: { project: 'streaming' },
        }),
    );
    expect(s.json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { from_port: 9000, to_port: 9010, cidr_ipv4: '198.51.100.0/24', tags: { project: 'streaming' } });
    expect(s.json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { from_port: 9000, to_port: 9010, cidr_ipv6: '2001:db8::/32', description: 'cfguard ingest 9000-9010/udp' });
    expect(Object.keys(s.resources('aws_vpc_security_group_ingress_rule'))).toHaveLength(2);
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN an empty rules list THEN no rule is created', () => {
    const s = synth((scope) => new IngestRules(scope, 'ingest', { securityGroupId: GROUP, rules: [] }));
    expect(s.json).not.toHaveResource(VpcSecurityGroupIngressRule);
  });

  test('GIVEN a group id only known at apply time THEN it is accepted', () => {
    const s = synth((scope) => new IngestRules(scope, 'ingest', { securityGroupId: Token.asString({ Ref: 'sg' }) }));
    expect(s.json).toHaveResource(VpcSecurityGroupIngressRule);
  });

  test('GIVEN a malformed group id THEN CONFIG_INVALID names securityGroupId', () => {
    const error = synthError((scope) => new IngestRules(scope, 'ingest', { securityGroupId: 'default' }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe("'securityGroupId' must be a security group id like 'sg-0123456789abcdef0', got 'default'");
  });

  test('GIVEN an invalid rule THEN the construct fails with the same error as ingestRuleIds', () => {
    const error = synthError((scope) => new IngestRules(scope, 'ingest', { securityGroupId: GROUP, rules: [{ port: 0, protocol: 'udp' }] }));
    expect(error.message).toMatch(/^'rules\[0\]\.port' must be an integer port/);
  });
});
