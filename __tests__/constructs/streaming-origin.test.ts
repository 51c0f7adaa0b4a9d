import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { DataAwsInstance } from '@cdktf/provider-aws/lib/data-aws-instance';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { NetworkInterfaceSgAttachment } from '@cdktf/provider-aws/lib/network-interface-sg-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { Construct } from 'constructs';
import { StreamingOrigin, type StreamingOriginProps } from '../../constructs/streaming-origin';
import { GUARD_BUNDLE, usEast1 } from '../support/app-fixtures';
import { synth, synthError } from '../support/construct-synth';

const INSTANCE = 'i-0123456789abcdef0';
const OWN_GROUP = 'sg-0123456789abcdef0';

function origin(scope: Construct, props: Partial<StreamingOriginProps> = {}): StreamingOrigin {
  return new StreamingOrigin(scope, 'origin', {
    region: 'eu-north-1',
    instanceId: INSTANCE,
    instanceSecurityGroupId: OWN_GROUP,
    usEast1Provider: usEast1(scope),
    ...props,
    guard: { bundlePath: GUARD_BUNDLE, ...props.guard },
  });
}

const ingressCidrs = (s: ReturnType<typeof synth>) => Object.values(s.resources('aws_vpc_security_group_ingress_rule'));

describe('StreamingOrigin in lambda mode (the default)', () => {
  const s = synth((scope) => origin(scope));

  test('the distribution fronts the EIP public DNS with Origin Shield from the table', () => {
    expect(s.json).toHaveResource(Eip);
    const d = s.only('aws_cloudfront_distribution');
    expect(d.origin[0].domain_name).toMatch(/^\$\{aws_eip\.[^.]+\.public_dns\}$/);
    expect(d.origin[0].origin_shield).toEqual({ enabled: true, origin_shield_region: 'eu-west-2' });
  });

  test('the guard is the Lambda, attached to the instance, IPv4 only', () => {
    expect(s.json).toHaveResourceWithProperties(LambdaFunction, { function_name: 'stack-origin-guard' });
    expect(s.only('aws_lambda_function').environment.variables).toMatchObject({ INSTANCE_ID: INSTANCE, REGION: 'eu-north-1', IPV6: 'false', INSTANCE_SECURITY_GROUP_ID: OWN_GROUP });
    expect(s.json).not.toHaveResource(SecurityGroup);
  });

  test('the function expects the ingest rules the stack opens: none named while the default, the configured ones, none with ingest off', () => {
    expect(s.only('aws_lambda_function').environment.variables).not.toHaveProperty('INGEST_RULES');
    const own = synth((scope) => origin(scope, { ingest: { rules: [{ port: 5000, protocol: 'udp', cidrs: ['203.0.113.0/24'] }] } }));
    expect(own.only('aws_lambda_function').environment.variables.INGEST_RULES).toBe('5000/udp@203.0.113.0/24');
    const off = synth((scope) => origin(scope, { ingest: { enabled: false } }));
    expect(off.only('aws_lambda_function').environment.variables.INGEST_RULES).toBe('');
  });

  test("the ingest rules go on the instance's own group, as named; nothing is looked up", () => {
    expect(s.json).not.toHaveDataSourceWithProperties(DataAwsInstance, { instance_id: INSTANCE });
    const rules = ingressCidrs(s);
    expect(rules.map((r) => `${r.from_port}/${r.ip_protocol}`).sort()).toEqual(['1935/udp', '1945/tcp']);
    for (const r of rules) expect(r.security_group_id).toBe(OWN_GROUP);
  });

  test("GIVEN ingest enabled and no instanceSecurityGroupId THEN it refuses to guess the instance's own group", () => {
    // a guess could be a managed group, whose foreign rules the reconciler revokes
    expect(synthError((scope) => origin(scope, { instanceSecurityGroupId: undefined }))).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining("'instanceSecurityGroupId' must be set"),
    });
  });

  test('it passes the provider schema', () => {
    expect(s.schemaProblems()).toEqual([]);
  });
});

test('GIVEN guard.alerting in lambda mode THEN it reaches the guard: its alarms and subscriptions', () => {
  const s = synth((scope) => origin(scope, { guard: { alerting: { refusedAlarm: false, emails: ['ops@example.com'] } } }));
  expect(
    Object.values(s.resources('aws_cloudwatch_metric_alarm'))
      .map((a) => a.alarm_name)
      .sort(),
  ).toEqual([
    // The edge's alarm (edge-monitoring.test.ts), beside the guard's.
    'stack-origin-edge-5xx-error-rate',
    'stack-origin-guard-errors',
    'stack-origin-guard-foreign-rules',
    'stack-origin-guard-no-success',
    'stack-origin-guard-origin-directly-reachable',
    'stack-origin-guard-origin-exposed',
  ]);
  // The guard's topic and the edge's us-east-1 topic each subscribe the address.
  expect(Object.values(s.resources('aws_sns_topic_subscription')).filter((sub) => sub.protocol === 'email')).toHaveLength(2);
  expect(s.schemaProblems()).toEqual([]);
});

describe('StreamingOrigin options', () => {
  test('GIVEN a dualstack origin THEN the guard opens IPv6 too', () => {
    const s = synth((scope) => origin(scope, { distribution: { originDomainName: 'media.example.com', originIpAddressType: 'dualstack' } }));
    expect(s.only('aws_lambda_function').environment.variables.IPV6).toBe('true');
    expect(s.only('aws_cloudfront_distribution').origin[0].domain_name).toBe('media.example.com');
  });

  test('GIVEN the instance group, an allocation, a VPC and tags THEN nothing is looked up and all is tagged', () => {
    const s = synth((scope) =>
      origin(scope, {
        vpcId: 'vpc-0123456789abcdef0',
        instanceSecurityGroupId: 'sg-0123456789abcdef0',
        elasticIp: { allocationId: 'eipalloc-0123456789abcdef0' },
        tags: { project: 'streaming' },
      }),
    );
    expect(s.json).not.toHaveDataSource(DataAwsInstance);
    expect(s.json).not.toHaveResource(Eip);
    for (const r of ingressCidrs(s)) expect(r).toMatchObject({ security_group_id: 'sg-0123456789abcdef0', tags: { project: 'streaming' } });
    expect(s.json).toHaveResourceWithProperties(CloudfrontDistribution, { tags: { project: 'streaming' } });
    expect(s.only('aws_lambda_function').environment.variables.VPC_ID).toBe('vpc-0123456789abcdef0');
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN ingest disabled THEN there are no ingest rules and no lookup', () => {
    const s = synth((scope) => origin(scope, { ingest: { enabled: false } }));
    expect(s.json).not.toHaveResource(VpcSecurityGroupIngressRule);
    expect(s.json).not.toHaveDataSource(DataAwsInstance);
  });

  test('GIVEN custom ingest rules THEN exactly those are opened', () => {
    const s = synth((scope) => origin(scope, { instanceSecurityGroupId: 'sg-0123456789abcdef0', ingest: { rules: [{ port: 9000, toPort: 9010, protocol: 'tcp', cidrs: ['198.51.100.0/24'] }] } }));
    expect(ingressCidrs(s).map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([[9000, 9010, '198.51.100.0/24']]);
  });
});

describe('StreamingOrigin in prefix-list mode', () => {
  const s = synth((scope) => origin(scope, { guard: { mode: 'prefix-list', ports: ['80/tcp', '443/tcp'] }, distribution: { originDomainName: 'media.example.com', originIpAddressType: 'ipv6' } }));

  test('there is no Lambda; one group per port is attached to the instance ENI, looked up once', () => {
    expect(s.json).not.toHaveResource(LambdaFunction);
    expect(Object.keys(s.resources('aws_security_group'))).toHaveLength(2);
    expect(Object.keys(s.dataSources('aws_instance'))).toHaveLength(1);
    for (const a of Object.values(s.resources('aws_network_interface_sg_attachment'))) {
      expect(a.network_interface_id).toMatch(/^\$\{data\.aws_instance\.[^.]+\.network_interface_id\}$/);
    }
    expect(s.json).toHaveResource(NetworkInterfaceSgAttachment);
  });

  test('an IPv6 origin adds the IPv6 prefix list', () => {
    const lists = Object.values(s.dataSources('aws_ec2_managed_prefix_list')).map((d) => d.name);
    expect(lists.sort()).toEqual(['com.amazonaws.global.cloudfront.origin-facing', 'com.amazonaws.global.ipv6.cloudfront.origin-facing']);
  });

  test('it passes the provider schema', () => {
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN services beyond origin-facing THEN synth fails: the prefix list has no others', () => {
    const error = synthError((scope) => origin(scope, { guard: { mode: 'prefix-list', services: ['CLOUDFRONT'] } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain("'guard.services' must be ['CLOUDFRONT_ORIGIN_FACING'] in prefix-list mode");
  });

  test('GIVEN alerting THEN synth fails naming guard.alerting: there is no function to watch', () => {
    const error = synthError((scope) => origin(scope, { guard: { mode: 'prefix-list', alerting: { emails: ['ops@example.com'] } } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain("'guard.alerting' must be absent in prefix-list mode");
  });

  test('there are no guard alarms, topic, queue or invocations (only the edge alarm and its us-east-1 topic)', () => {
    for (const type of ['aws_sqs_queue', 'aws_lambda_invocation']) expect(s.resources(type)).toEqual({});
    for (const type of ['aws_cloudwatch_metric_alarm', 'aws_sns_topic']) expect(Object.keys(s.resources(type)).every((name) => name.includes('edge-monitoring'))).toBe(true);
  });

  test("GIVEN the default 60 rules per group and a quota below the list's weight THEN synth fails naming the quota", () => {
    const error = synthError((scope) => origin(scope, { guard: { mode: 'prefix-list', rulesPerGroup: 50 } }));
    expect(error.code).toBe('QUOTA_RULES_PER_GROUP');
  });
});

test('GIVEN an unknown guard mode THEN synth fails naming guard.mode', () => {
  const error = synthError((scope) => origin(scope, { guard: { mode: 'cron' as never } }));
  expect(error.message).toBe("'guard.mode' must be 'lambda' or 'prefix-list', got 'cron'");
});
