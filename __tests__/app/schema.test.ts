import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { parseAppConfig } from '../../lambda-src/config/app-config';
import { buildApp } from '../../examples/multi-account/main';
import { buildStack } from '../../main';
import { validateAgainstProviderSchema } from '../support/provider-schema';
import { ALL_OPTIONS, EXAMPLE_CONFIG, GUARD_BUNDLE, SINGLE_ACCOUNT_CONFIG, buildTestStack, synthJson, tempDir } from '../support/app-fixtures';
import type { OriginGuardStack } from '../../constructs/stack';

/** Every resource and data source against the hashicorp/aws 6.25.0 schema: no unknown or computed-only attributes, required ones present, block counts in range. */
function problemsOf(stack: OriginGuardStack): { problems: string[]; count: number } {
  const { json, parsed } = synthJson(stack);
  const count = Object.values(parsed.resource).reduce((n, r) => n + Object.keys(r).length, 0) + Object.values(parsed.data ?? {}).reduce((n, d) => n + Object.keys(d).length, 0);
  return { problems: validateAgainstProviderSchema(json), count };
}

function allOptionsStack(overrides: Record<string, unknown> = {}): OriginGuardStack {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'cfguard.imports.json'), JSON.stringify({ 'all-options/origin/distribution/distribution': 'E2QWRUHEXAMPLE' }));
  const raw = { ...ALL_OPTIONS, ...overrides };
  return buildTestStack(parseAppConfig(raw), { configDir: dir, assumeRole: { roleArn: 'arn:aws:iam::111111111111:role/deploy', externalId: 'x' }, profile: 'tooling' });
}

describe('the synthesized JSON matches the provider schema', () => {
  test('the example app (cfguard.config.json)', () => {
    const { problems, count } = problemsOf(buildStack(Testing.app(), { configPath: EXAMPLE_CONFIG, bundlePath: GUARD_BUNDLE, env: {} }));
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(20);
  });

  test('the single-account example', () => {
    expect(problemsOf(buildStack(Testing.app(), { configPath: SINGLE_ACCOUNT_CONFIG, bundlePath: GUARD_BUNDLE, env: {} })).problems).toEqual([]);
  });

  test('a config with every option on, in lambda mode', () => {
    const { problems, count } = problemsOf(allOptionsStack());
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(20);
  });

  test('the every-option stack does render every day-two resource it validates', () => {
    const { parsed } = synthJson(allOptionsStack());
    for (const type of [
      'aws_cloudwatch_metric_alarm',
      'aws_sns_topic',
      'aws_sns_topic_subscription',
      'aws_sqs_queue',
      'aws_lambda_function_event_invoke_config',
      'aws_lambda_invocation',
      'aws_cloudfront_cache_policy',
      'aws_cloudfront_response_headers_policy',
    ]) {
      expect(Object.keys(parsed.resource[type] ?? {}).length).toBeGreaterThan(0);
    }
    expect(Object.values<any>(parsed.resource.aws_lambda_invocation).map((r) => r.lifecycle_scope)).toContain('CRUD');
    const guardTopic = Object.entries<any>(parsed.resource.aws_sns_topic).find(([name]) => name.includes('_guard_'))![1];
    expect(guardTopic.kms_master_key_id).toBe('alias/cfguard-alarms');
    const distribution = Object.values<any>(parsed.resource.aws_cloudfront_distribution)[0];
    expect(distribution.origin[0].custom_origin_config).toMatchObject({ origin_read_timeout: 90, origin_keepalive_timeout: 75 });
    expect(distribution.custom_error_response).toHaveLength(5);
  });

  test('a config with every option on, alerting an existing topic', () => {
    const guard = { ...ALL_OPTIONS.guard, alerting: { ...ALL_OPTIONS.guard!.alerting, topicKmsKeyId: undefined, topicArn: 'arn:aws:sns:eu-north-1:123456789012:ops-alarms' } };
    const stack = allOptionsStack({ guard });
    expect(problemsOf(stack).problems).toEqual([]);
    const { parsed } = synthJson(stack);
    // The guard notifies the existing topic; only the edge's us-east-1 topic is made (an alarm notifies topics in its own region).
    expect(Object.values<any>(parsed.resource.aws_sns_topic).map((t) => t.provider)).toEqual(['aws.us_east_1']);
    // errors, refused, no-success, origin-exposed, foreign-rules, the origin probe's directly-reachable alarm, and the edge's 5xx rate.
    expect(Object.keys(parsed.resource.aws_cloudwatch_metric_alarm)).toHaveLength(7);
  });

  test('a config with every option on, in prefix-list mode', () => {
    const stack = allOptionsStack({ guard: { mode: 'prefix-list', ports: ['80/tcp', '8443/tcp'], prefixName: 'EDGE_GUARD', rulesPerGroup: 100, groupsPerInterface: 10 } });
    const { problems, count } = problemsOf(stack);
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(15);
  });

  test('a config with a secondary origin, the dashboard and additional metrics, in prefix-list mode', () => {
    const stack = allOptionsStack({
      guard: { mode: 'prefix-list', ports: ['8443/tcp'], prefixName: 'EDGE_GUARD', rulesPerGroup: 100, groupsPerInterface: 10 },
      distribution: { ...ALL_OPTIONS.distribution, allowedMethods: 'GET_HEAD_OPTIONS' },
      secondaryOrigin: {
        instanceId: 'i-0fedcba9876543210',
        instanceSecurityGroupId: 'sg-0fedcba9876543210',
        elasticIp: { allocationId: 'eipalloc-0fedcba9876543210' },
        originDomainName: 'media-b.example.com',
        failoverStatusCodes: [404, 500, 502, 503, 504],
        connectionAttempts: 1,
        connectionTimeoutSeconds: 3,
      },
      edgeMonitoring: { dashboard: true, additionalMetrics: true, errorRateThresholdPercent: 2 },
    });
    const { problems } = problemsOf(stack);
    expect(problems).toEqual([]);
    const { parsed } = synthJson(stack);
    for (const type of ['aws_cloudwatch_dashboard', 'aws_cloudfront_monitoring_subscription']) expect(Object.keys(parsed.resource[type] ?? {})).toHaveLength(1);
    const distribution = Object.values<any>(parsed.resource.aws_cloudfront_distribution)[0];
    expect(distribution.origin.map((o: any) => o.domain_name)).toEqual(['media.example.com', 'media-b.example.com']);
    expect(distribution.origin.map((o: any) => o.origin_shield.origin_shield_region)).toEqual(['eu-central-1', 'eu-central-1']);
  });

  test('both stacks of the multi-account example', () => {
    const app = buildApp(tempDir(), { bundlePath: GUARD_BUNDLE });
    const stacks = app.node.children.filter((c): c is OriginGuardStack => 'origin' in c);
    expect(stacks).toHaveLength(2);
    for (const stack of stacks) expect(problemsOf(stack).problems).toEqual([]);
  });

  test('the check is not vacuous: a computed-only attribute set by hand is reported', () => {
    const stack = buildTestStack(parseAppConfig({ name: 'x', region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', instanceSecurityGroupId: 'sg-0123456789abcdef0' }));
    stack.origin.ipRangeGuard!.node.findAll().forEach((c) => {
      if ((c as { terraformResourceType?: string }).terraformResourceType === 'aws_lambda_function')
        (c as unknown as { addOverride(p: string, v: unknown): void }).addOverride('arn', 'arn:aws:lambda:x');
    });
    expect(problemsOf(stack).problems).toEqual([expect.stringContaining("attribute 'arn' is computed-only")]);
  });
});
