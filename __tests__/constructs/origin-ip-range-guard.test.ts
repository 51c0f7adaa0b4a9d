import * as fs from 'fs';
import * as path from 'path';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { Construct } from 'constructs';
import { defaultFunctionName, resolveBundlePath } from '../../constructs/guard-function';
import { OriginIpRangeGuard, type OriginIpRangeGuardProps } from '../../constructs/origin-ip-range-guard';
import { AMAZON_IP_SPACE_CHANGED_TOPIC, resolveGuardSettings, settingsToEnv } from '../../lambda-src/config/settings';
import type { GuardSettingsProps } from '../../lambda-src/config/settings-props';
import { GUARD_BUNDLE, REPO_ROOT, tempDir, usEast1 } from '../support/app-fixtures';
import { synth, synthError } from '../support/construct-synth';

const SETTINGS = { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0' };

/** The guard's props, with settings merged over SETTINGS (a case may unset a required one). */
type GuardCase = Partial<Omit<OriginIpRangeGuardProps, 'settings'>> & { readonly settings?: Partial<GuardSettingsProps> };

function guard(scope: Construct, props: GuardCase = {}): OriginIpRangeGuard {
  return new OriginIpRangeGuard(scope, 'guard', { usEast1Provider: usEast1(scope), bundlePath: GUARD_BUNDLE, ...props, settings: { ...SETTINGS, ...props.settings } });
}

describe('OriginIpRangeGuard defaults', () => {
  const s = synth((scope) => guard(scope));
  const fn = () => s.only('aws_lambda_function');

  test('the function runs the bundle on nodejs24.x arm64 with 120 s, 256 MB and no reserved concurrency', () => {
    expect(s.json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'stack-guard',
      handler: 'index.handler',
      runtime: 'nodejs24.x',
      architectures: ['arm64'],
      timeout: 120,
      memory_size: 256,
    });
    expect(fn()).not.toHaveProperty('reserved_concurrent_executions');
    expect(fn().filename).toMatch(/^assets\/guard_bundle_[0-9A-F]+\/[0-9A-F]+\/archive\.zip$/);
    expect(fn().source_code_hash).toBe(`\${filebase64sha256("${fn().filename}")}`);
  });

  test("the function's environment is the resolved settings, one variable per setting", () => {
    expect(fn().environment.variables).toEqual({
      PORTS: '80/tcp',
      SERVICE: 'CLOUDFRONT_ORIGIN_FACING',
      PREFIX_NAME: 'AUTOUPDATE_CF',
      VPC_ID: '',
      REGION: 'eu-north-1',
      DEBUG: 'false',
      INSTANCE_ID: 'i-0123456789abcdef0',
      IPV6: 'false',
      RULES_PER_GROUP: '60',
      GROUPS_PER_INTERFACE: '5',
      MAX_REVOKE_FRACTION: '0.5',
      SNS_TOPIC_ARN: AMAZON_IP_SPACE_CHANGED_TOPIC,
    });
  });

  test("GIVEN the instance's own group THEN the function gets INSTANCE_SECURITY_GROUP_ID, appended; without it the environment (and the settings hash) is unchanged", () => {
    const withOwn = synth((scope) => guard(scope, { settings: { instanceSecurityGroupId: 'sg-0123456789abcdef0' } }));
    expect(withOwn.only('aws_lambda_function').environment.variables).toEqual({ ...fn().environment.variables, INSTANCE_SECURITY_GROUP_ID: 'sg-0123456789abcdef0' });
    // the order the settings hash is taken in: the new variable comes last, the others keep their places
    const base = resolveGuardSettings(SETTINGS);
    expect(Object.keys(settingsToEnv({ ...base, instanceSecurityGroupId: 'sg-0123456789abcdef0' }))).toEqual([...Object.keys(settingsToEnv(base)), 'INSTANCE_SECURITY_GROUP_ID']);
    expect(settingsToEnv(base)).not.toHaveProperty('INSTANCE_SECURITY_GROUP_ID');
    expect(synthError((scope) => guard(scope, { settings: { instanceSecurityGroupId: 'sg-nope' } }))).toMatchObject({
      message: expect.stringContaining("'settings.instanceSecurityGroupId' must look like 'sg-0123456789abcdef0'"),
    });
  });

  test('the log group is /aws/lambda/<function> with 30 days retention, and the function waits for it', () => {
    expect(s.json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/lambda/stack-guard', retention_in_days: 30 });
    expect(fn().depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_group\./)]);
  });

  test('the role can be assumed by Lambda only', () => {
    const role = s.only('aws_iam_role');
    expect(role.name).toBe('stack-guard-role');
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(s.json).toHaveResourceWithProperties(IamRole, { name: 'stack-guard-role' });
  });

  test('the SNS subscription is made with the us-east-1 provider to AmazonIpSpaceChanged', () => {
    const sub = s.only('aws_sns_topic_subscription');
    expect(sub).toMatchObject({ provider: 'aws.us_east_1', topic_arn: AMAZON_IP_SPACE_CHANGED_TOPIC, protocol: 'lambda' });
    expect(sub.endpoint).toMatch(/^\$\{aws_lambda_function\.[^.]+\.arn\}$/);
    expect(s.json).toHaveResourceWithProperties(SnsTopicSubscription, { topic_arn: AMAZON_IP_SPACE_CHANGED_TOPIC });
  });

  test("SNS may invoke the function, from the topic only, with the permission in the function's region", () => {
    const permissions = Object.values(s.resources('aws_lambda_permission'));
    const sns = permissions.find((p) => p.principal === 'sns.amazonaws.com');
    expect(sns).toMatchObject({ action: 'lambda:InvokeFunction', source_arn: AMAZON_IP_SPACE_CHANGED_TOPIC });
    expect(sns.provider).toBeUndefined();
    expect(sns.function_name).toMatch(/^\$\{aws_lambda_function\.[^.]+\.function_name\}$/);
  });

  test('the first run invokes the direct-run event with lifecycle scope CRUD, after the policy, the permissions and the log group', () => {
    const run = Object.values(s.resources('aws_lambda_invocation')).find((r) => r.lifecycle_scope !== undefined);
    expect(JSON.parse(run.input)).toEqual({ source: 'cfguard', action: 'reconcile' });
    expect(run.lifecycle_scope).toBe('CRUD');
    expect(run.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_iam_role_policy\./),
        expect.stringMatching(/^aws_lambda_permission\..*sns-permission/),
        expect.stringMatching(/^aws_cloudwatch_log_group\./),
      ]),
    );
  });

  test('the first run has no triggers: a replacement would run the teardown on destroy', () => {
    const run = Object.values(s.resources('aws_lambda_invocation')).find((r) => r.lifecycle_scope === 'CRUD');
    expect(run.triggers).toBeUndefined();
  });

  test('a second run, create-only, reruns on a settings or code change, after the first run', () => {
    const rerun = Object.values(s.resources('aws_lambda_invocation')).find((r) => r.lifecycle_scope === undefined);
    expect(JSON.parse(rerun.input)).toEqual({ source: 'cfguard', action: 'reconcile' });
    expect(Object.keys(rerun.triggers).sort()).toEqual(['code', 'settings']);
    expect(rerun.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_lambda_invocation\..*first-run/), expect.stringMatching(/^aws_iam_role_policy\./)]));
    expect(Object.keys(s.resources('aws_lambda_invocation'))).toHaveLength(2);
  });

  test('on destroy the triggers go before the teardown: the subscription and the schedule target depend on the first run', () => {
    const firstRun = expect.stringMatching(/^aws_lambda_invocation\..*first-run/);
    expect(s.only('aws_sns_topic_subscription').depends_on).toEqual(expect.arrayContaining([firstRun]));
    expect(s.only('aws_cloudwatch_event_target').depends_on).toEqual([firstRun]);
  });

  test('a daily schedule invokes the function, allowed from that rule only', () => {
    expect(s.json).toHaveResourceWithProperties(CloudwatchEventRule, { schedule_expression: 'rate(1 day)', name: 'stack-guard-daily' });
    expect(s.json).toHaveResourceWithProperties(CloudwatchEventTarget, { target_id: 'guard' });
    const events = Object.values(s.resources('aws_lambda_permission')).find((p) => p.principal === 'events.amazonaws.com');
    expect(events.source_arn).toMatch(/^\$\{aws_cloudwatch_event_rule\.[^.]+\.arn\}$/);
  });

  test('without a VPC id the policy names the default VPC, looked up', () => {
    expect(s.json).toHaveDataSourceWithProperties(DataAwsVpc, { default: true });
    expect(s.only('aws_iam_role_policy').policy).toContain(':vpc/${data.aws_vpc.');
  });

  test('every resource and data source passes the provider schema', () => {
    expect(s.schemaProblems()).toEqual([]);
  });
});

describe('OriginIpRangeGuard options', () => {
  test('GIVEN every option THEN each reaches its resource', () => {
    const s = synth((scope) =>
      guard(scope, {
        functionName: 'edge-guard',
        timeoutSeconds: 300,
        memorySizeMb: 512,
        logRetentionDays: 90,
        tags: { project: 'streaming' },
        settings: { vpcId: 'vpc-0123456789abcdef0', ports: '80/tcp,443/tcp', ipv6: true, prefixName: 'EDGE', debug: true, ipRangesAllowedUrls: ['https://m.example.com/r.json'] },
      }),
    );
    expect(s.json).toHaveResourceWithProperties(LambdaFunction, { function_name: 'edge-guard', timeout: 300, memory_size: 512, tags: { project: 'streaming' } });
    expect(s.json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/lambda/edge-guard', retention_in_days: 90, tags: { project: 'streaming' } });
    expect(s.only('aws_lambda_function').environment.variables).toMatchObject({
      PORTS: '80/tcp,443/tcp',
      VPC_ID: 'vpc-0123456789abcdef0',
      IPV6: 'true',
      PREFIX_NAME: 'EDGE',
      DEBUG: 'true',
      IP_RANGES_ALLOWED_URLS: 'https://m.example.com/r.json',
    });
    expect(s.dataSources('aws_vpc')).toEqual({});
    expect(s.only('aws_iam_role_policy').policy).toContain(':vpc/vpc-0123456789abcdef0"');
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN schedule off THEN there is no rule, target or events permission', () => {
    const s = synth((scope) => guard(scope, { schedule: false }));
    expect(s.json).not.toHaveResource(CloudwatchEventRule);
    expect(s.json).not.toHaveResource(CloudwatchEventTarget);
    expect(Object.values(s.resources('aws_lambda_permission')).map((p) => p.principal)).toEqual(['sns.amazonaws.com']);
    expect(s.json).toHaveResource(LambdaInvocation);
  });

  test('GIVEN changed settings THEN the rerun is triggered again and the first run is unchanged (no teardown); the same settings keep both', () => {
    const runs = (settings: OriginIpRangeGuardProps['settings']) => {
      const all = Object.values(synth((scope) => guard(scope, { settings })).resources('aws_lambda_invocation'));
      return { first: all.find((r) => r.lifecycle_scope === 'CRUD'), rerun: all.find((r) => r.lifecycle_scope === undefined) };
    };
    const before = runs({ ...SETTINGS });
    expect(runs({ ...SETTINGS })).toEqual(before);
    const after = runs({ ...SETTINGS, ports: '443/tcp' });
    expect(after.rerun.triggers.settings).not.toBe(before.rerun.triggers.settings);
    expect(after.rerun.triggers.code).toBe(before.rerun.triggers.code);
    expect(after.first).toEqual(before.first);
  });

  test('GIVEN a long construct path THEN the default name is cut to 58 characters with a hash', () => {
    const name = defaultFunctionName(`stack/${'x'.repeat(80)}/guard`);
    expect(name).toHaveLength(58);
    expect(name).toMatch(/^stack-x+-[0-9a-f]{8}$/);
    expect(defaultFunctionName('streaming-origin/origin/guard')).toBe('streaming-origin-origin-guard');
  });

  test('GIVEN no bundlePath THEN the bundle is dist/lambda of the package', () => {
    const dist = path.join(REPO_ROOT, 'dist', 'lambda');
    if (fs.existsSync(path.join(dist, 'index.js'))) expect(resolveBundlePath()).toBe(dist);
    else expect(() => resolveBundlePath()).toThrow(dist);
  });

  test('GIVEN a folder without index.js THEN the error says to run npm run bundle', () => {
    const empty = tempDir();
    expect(() => resolveBundlePath(empty)).toThrow(`'bundlePath' must be a folder holding the bundled Lambda 'index.js'; run 'npm run bundle' to build dist/lambda/index.js, got '${empty}'`);
  });
});

describe('OriginIpRangeGuard validation', () => {
  test.each<[string, GuardCase, string]>([
    ['no region', { settings: { region: undefined } }, "'settings.region' must be set to the instance's region"],
    ['no instance', { settings: { instanceId: undefined } }, "'settings.instanceId' must be set"],
    ['a bad instance id', { settings: { instanceId: 'i-xyz' } }, "'settings.instanceId' must look like 'i-0123456789abcdef0'"],
    ['a bad port', { settings: { ports: '80/icmp' } }, "'settings.ports' must be a comma-separated list"],
    ['a topic outside us-east-1', { settings: { snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:t' } }, "'settings.snsTopicArn' must be a topic in us-east-1"],
    ['an unknown setting', { settings: { colour: 'red' } as never }, 'unknown setting(s) colour'],
    ['a bad function name', { functionName: 'has space' }, "'functionName' must be 1-58 letters"],
    ['a timeout above 900', { timeoutSeconds: 901 }, "'timeoutSeconds' must be an integer from 3 to 900"],
    ['memory below 128', { memorySizeMb: 64 }, "'memorySizeMb' must be an integer from 128 to 10240"],
    ['a retention CloudWatch lacks', { logRetentionDays: 31 }, "'logRetentionDays' must be one of CloudWatch's retentions"],
  ])('GIVEN %s THEN synth fails with CONFIG_INVALID naming the prop', (_name, props, message) => {
    const error = synthError((scope) => guard(scope, props));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });

  test('GIVEN rules x groups above 1,000 THEN synth fails with QUOTA_PRODUCT_LIMIT', () => {
    const error = synthError((scope) => guard(scope, { settings: { rulesPerGroup: 200, groupsPerInterface: 6 } }));
    expect(error.code).toBe('QUOTA_PRODUCT_LIMIT');
    expect(error.message).toContain("above EC2's limit of 1000");
  });
});

test('a permission exists for each principal that invokes the function', () => {
  const s = synth((scope) => guard(scope));
  expect(s.json).toHaveResourceWithProperties(LambdaPermission, { principal: 'sns.amazonaws.com', statement_id: 'AllowAmazonIpSpaceChanged' });
  expect(s.json).toHaveResourceWithProperties(LambdaPermission, { principal: 'events.amazonaws.com', statement_id: 'AllowDailySchedule' });
});
