import { readFileSync } from 'fs';
import path from 'path';
import type { Construct } from 'constructs';
import { GUARD_RUNTIMES } from '../../lambda-src/config/app-config';
import { OriginIpRangeGuard, type OriginIpRangeGuardProps } from '../../constructs/origin-ip-range-guard';
import { COMMERCIAL_REGIONS, guardFunctionRegion, isOptInRegion } from '../../lambda-src/core/regions';
import { buildTestStack, configWith, GUARD_BUNDLE, only, synthJson, usEast1 } from '../support/app-fixtures';
import { validateAgainstProviderSchema } from '../support/provider-schema';
import { synth, synthError, type Synth } from '../support/construct-synth';

/*
 * Where the guard runs: beside the instance in a default region; in us-east-1, beside the
 * AmazonIpSpaceChanged topic, for an instance in an opt-in region (SNS does not deliver there).
 */

function guardIn(region: string, props: Partial<OriginIpRangeGuardProps> = {}) {
  return (scope: Construct) =>
    new OriginIpRangeGuard(scope, 'guard', { usEast1Provider: usEast1(scope), bundlePath: GUARD_BUNDLE, ...props, settings: { region, instanceId: 'i-0123456789abcdef0', ...props.settings } });
}

/** type.name -> provider of every resource and data source (undefined: the default provider). */
function providers(s: Synth, section: 'resource' | 'data'): Record<string, string | undefined> {
  const parsed = JSON.parse(s.json) as Record<string, Record<string, Record<string, { provider?: string }>>>;
  const out: Record<string, string | undefined> = {};
  for (const [type, bodies] of Object.entries(parsed[section] ?? {})) for (const [name, body] of Object.entries(bodies)) out[`${type}.${name}`] = body.provider;
  return out;
}

describe('the function region follows the opt-in table', () => {
  test.each(Object.keys(COMMERCIAL_REGIONS))('%s', (region) => {
    expect(guardFunctionRegion(region)).toBe(isOptInRegion(region) ? 'us-east-1' : region);
  });

  test('the regions the issue names are opt-in; the tutorial-era regions are not', () => {
    for (const r of [
      'eu-south-1',
      'ap-east-1',
      'me-south-1',
      'af-south-1',
      'eu-central-2',
      'eu-south-2',
      'ap-southeast-3',
      'ap-southeast-4',
      'ap-south-2',
      'il-central-1',
      'me-central-1',
      'ca-west-1',
    ]) {
      expect([r, isOptInRegion(r)]).toEqual([r, true]);
    }
    for (const r of ['us-east-1', 'us-west-2', 'eu-north-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1']) expect([r, isOptInRegion(r)]).toEqual([r, false]);
  });
});

describe('GIVEN an instance in a default region (eu-north-1)', () => {
  const s = synth(guardIn('eu-north-1'));
  const guard = () => {
    let g: OriginIpRangeGuard | undefined;
    synth((scope) => (g = guardIn('eu-north-1')(scope)));
    return g!;
  };

  test('THEN everything but the subscription uses the default provider (the instance region)', () => {
    const resources = providers(s, 'resource');
    for (const [name, provider] of Object.entries(resources)) expect([name, provider]).toEqual([name, name.startsWith('aws_sns_topic_subscription.') ? 'aws.us_east_1' : undefined]);
    for (const [name, provider] of Object.entries(providers(s, 'data'))) expect([name, provider]).toEqual([name, undefined]);
    expect(guard().functionRegion).toBe('eu-north-1');
  });

  test('THEN no concurrency is reserved', () => {
    expect(s.only('aws_lambda_function')).not.toHaveProperty('reserved_concurrent_executions');
  });
});

describe('GIVEN an instance in an opt-in region (eu-south-1, Milan)', () => {
  const s = synth(guardIn('eu-south-1'));

  test('THEN the function and everything it needs use the us-east-1 provider', () => {
    const resources = providers(s, 'resource');
    expect(Object.keys(resources).length).toBeGreaterThan(10);
    for (const [name, provider] of Object.entries(resources)) expect([name, provider]).toEqual([name, 'aws.us_east_1']);
    for (const type of [
      'aws_lambda_function',
      'aws_cloudwatch_log_group',
      'aws_sqs_queue',
      'aws_cloudwatch_metric_alarm',
      'aws_sns_topic',
      'aws_lambda_invocation',
      'aws_cloudwatch_event_rule',
      'aws_lambda_function_event_invoke_config',
    ]) {
      expect(Object.keys(resources).some((n) => n.startsWith(`${type}.`))).toBe(true);
    }
  });

  test("THEN the default VPC is still looked up in the instance's region, and the function region in us-east-1", () => {
    const data = providers(s, 'data');
    const vpc = Object.entries(data).filter(([n]) => n.startsWith('aws_vpc.'));
    expect(vpc).toEqual([[expect.any(String), undefined]]);
    const region = Object.entries(data).filter(([n]) => n.startsWith('aws_region.'));
    expect(region).toEqual([[expect.stringContaining('function-region'), 'aws.us_east_1']]);
  });

  test("THEN REGION points at the instance's region, and the policy's EC2 ARNs name it while the log group follows the function", () => {
    expect(s.only('aws_lambda_function').environment.variables.REGION).toBe('eu-south-1');
    const policy = JSON.parse(s.only('aws_iam_role_policy').policy) as { Statement: { Sid: string; Resource: string[] }[] };
    const ec2 = policy.Statement.flatMap((st) => st.Resource).filter((r) => r.includes(':ec2:'));
    expect(ec2.length).toBeGreaterThan(0);
    for (const arn of ec2) expect(arn).toMatch(/^arn:\$\{[^}]+\}:ec2:eu-south-1:/);
    const logs = policy.Statement.find((st) => st.Sid === 'OwnLogGroupOnly')!.Resource[0];
    expect(logs).toMatch(/:logs:\$\{data\.aws_region\.[^}]*function-region[^}]*\}:/);
  });

  test('THEN the synthesized stack passes the provider schema', () => {
    expect(s.schemaProblems()).toEqual([]);
  });
});

describe('runtime and reserved concurrency', () => {
  test('GIVEN reservedConcurrency 2 and runtime nodejs22.x THEN the function carries both', () => {
    const s = synth(guardIn('eu-north-1', { reservedConcurrency: 2, runtime: 'nodejs22.x' }));
    expect(s.only('aws_lambda_function')).toMatchObject({ reserved_concurrent_executions: 2, runtime: 'nodejs22.x' });
  });

  test.each([
    [{ reservedConcurrency: 0 }, "'reservedConcurrency' must be a whole number of at least 1 (or unset: none reserved), got 0"],
    [{ runtime: 'nodejs18.x' as never }, "'runtime' must be one of 'nodejs24.x', 'nodejs22.x', got 'nodejs18.x'"],
  ])('GIVEN %j THEN one CONFIG_INVALID names the prop', (props, message) => {
    expect(synthError(guardIn('eu-north-1', props))).toMatchObject({ code: 'CONFIG_INVALID', message });
  });

  test('the bundle targets a Node.js no newer than every allowed runtime', () => {
    const bundleScript = readFileSync(path.join(__dirname, '..', '..', 'scripts', 'bundle.js'), 'utf8');
    const target = Number(/target: 'node(\d+)'/.exec(bundleScript)![1]);
    for (const runtime of GUARD_RUNTIMES) expect(target).toBeLessThanOrEqual(Number(/^nodejs(\d+)\.x$/.exec(runtime)![1]));
  });
});

describe('region typos at synth', () => {
  test("GIVEN 'eu-nrth-1' THEN one CONFIG_INVALID with a did-you-mean, not the Origin Shield hint", () => {
    const e = synthError(guardIn('eu-nrth-1'));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain("did you mean 'eu-north-1'");
    expect(e.message).not.toContain('Origin Shield');
  });
});

describe('the whole stack for an instance in Milan (eu-south-1)', () => {
  const { json, parsed } = synthJson(buildTestStack(configWith({ region: 'eu-south-1' })));
  const byProvider = (section: 'resource' | 'data') =>
    Object.entries(parsed[section]).flatMap(([type, bodies]) => Object.entries(bodies).map(([name, body]) => [`${type}.${name}`, (body as { provider?: string }).provider] as const));

  test("THEN the guard's resources use us-east-1, and the instance's own resources its region", () => {
    const resources = byProvider('resource');
    const guard = resources.filter(([n]) => /guard/.test(n));
    expect(guard.length).toBeGreaterThan(10);
    for (const [name, provider] of guard) expect([name, provider]).toEqual([name, 'aws.us_east_1']);
    for (const [name, provider] of resources.filter(([n]) => n.startsWith('aws_eip') || n.startsWith('aws_vpc_security_group_ingress_rule'))) expect([name, provider]).toEqual([name, undefined]);
    expect(only(parsed, 'aws_lambda_function').environment.variables.REGION).toBe('eu-south-1');
    expect(parsed.provider.aws.map((p: { region: string }) => p.region).sort()).toEqual(['eu-south-1', 'us-east-1']);
  });

  test('THEN it passes the provider schema', () => {
    expect(validateAgainstProviderSchema(json)).toEqual([]);
  });
});
