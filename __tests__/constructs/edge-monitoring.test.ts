import { buildTestStack, configErrorOf, configWith, synthJson, type SynthJson } from '../support/app-fixtures';
import { validateAgainstProviderSchema } from '../support/provider-schema';
import { DEFAULT_ERROR_RATE_EVALUATION_PERIODS, DEFAULT_ERROR_RATE_PERIOD_SECONDS, DEFAULT_ERROR_RATE_THRESHOLD_PERCENT } from '../../lambda-src/config/edge-monitoring';
import type { AppConfigInput } from '../../lambda-src/config/app-config';

/** The edge watched: CloudFront's alarms, topic, dashboard and additional metrics, all in us-east-1. */

const DISTRIBUTION_ID = /^\$\{aws_cloudfront_distribution\.[^.]+\.id\}$/;
const US_EAST_1 = 'aws.us_east_1';

function synthOf(overrides: Partial<Record<keyof AppConfigInput, unknown>> = {}): { parsed: SynthJson; problems: string[] } {
  const { json, parsed } = synthJson(buildTestStack(configWith(overrides)));
  return { parsed, problems: validateAgainstProviderSchema(json) };
}
const edge = (parsed: SynthJson, type: string) => Object.entries<any>(parsed.resource[type] ?? {}).filter(([name]) => name.includes('edge-monitoring'));
const errorRateAlarm = (parsed: SynthJson) => edge(parsed, 'aws_cloudwatch_metric_alarm').find(([name]) => name.includes('error-rate-alarm'))?.[1];

describe('GIVEN no edgeMonitoring block THEN the 5xx error-rate alarm is on', () => {
  const { parsed, problems } = synthOf({ guard: { alerting: { emails: ['ops@media-team.test', 'oncall@media-team.test'] } } });

  test("it watches CloudFront's 5xxErrorRate for the distribution, Region=Global, averaged per minute, above 5 % three minutes running", () => {
    const alarm = errorRateAlarm(parsed);
    expect(alarm).toMatchObject({
      namespace: 'AWS/CloudFront',
      metric_name: '5xxErrorRate',
      statistic: 'Average',
      period: DEFAULT_ERROR_RATE_PERIOD_SECONDS,
      evaluation_periods: DEFAULT_ERROR_RATE_EVALUATION_PERIODS,
      threshold: DEFAULT_ERROR_RATE_THRESHOLD_PERCENT,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
    });
    expect(Object.keys(alarm.dimensions).sort()).toEqual(['DistributionId', 'Region']);
    expect(alarm.dimensions.DistributionId).toMatch(DISTRIBUTION_ID);
    expect(alarm.dimensions.Region).toBe('Global');
  });

  test('the alarm, its topic and the subscriptions are in us-east-1, on the aliased provider', () => {
    const resources = [...edge(parsed, 'aws_cloudwatch_metric_alarm'), ...edge(parsed, 'aws_sns_topic'), ...edge(parsed, 'aws_sns_topic_subscription')];
    expect(resources).toHaveLength(4);
    for (const [, body] of resources) expect(body.provider).toBe(US_EAST_1);
    expect(parsed.provider.aws.find((p: any) => p.alias === 'us_east_1').region).toBe('us-east-1');
  });

  test("the us-east-1 topic has exactly the guard topic's e-mail subscriptions, and the alarm notifies it on alarm and on recovery", () => {
    const [[topicName]] = edge(parsed, 'aws_sns_topic');
    const topicRef = `\${aws_sns_topic.${topicName}.arn}`;
    const subscriptions = edge(parsed, 'aws_sns_topic_subscription').map(([, s]) => s);
    expect(subscriptions.map((s) => s.endpoint).sort()).toEqual(['oncall@media-team.test', 'ops@media-team.test']);
    for (const s of subscriptions) expect(s).toMatchObject({ protocol: 'email', topic_arn: topicRef });
    expect(errorRateAlarm(parsed)).toMatchObject({ alarm_actions: [topicRef], ok_actions: [topicRef] });
    expect(parsed.output.edge_alarm_topic_arn.value).toBe(topicRef);
  });

  test('every edge resource matches the provider schema', () => {
    expect(problems).toEqual([]);
  });
});

describe('which topic the edge alarms notify', () => {
  test("GIVEN an instance in us-east-1 THEN the guard's own topic is reused: no second topic", () => {
    const { parsed } = synthOf({ region: 'us-east-1' });
    expect(Object.keys(parsed.resource.aws_sns_topic)).toHaveLength(1);
    expect(edge(parsed, 'aws_sns_topic')).toEqual([]);
    const [[guardTopic]] = Object.entries(parsed.resource.aws_sns_topic);
    expect(errorRateAlarm(parsed).alarm_actions).toEqual([`\${aws_sns_topic.${guardTopic}.arn}`]);
    expect(parsed.output.edge_alarm_topic_arn).toBeUndefined();
  });

  test('GIVEN an opt-in region THEN the guard (and its topic) are in us-east-1, and that topic is reused', () => {
    const { parsed } = synthOf({ region: 'af-south-1' });
    expect(Object.keys(parsed.resource.aws_sns_topic)).toHaveLength(1);
    expect(errorRateAlarm(parsed).alarm_actions[0]).toMatch(/^\$\{aws_sns_topic\.origin_guard_alarm-topic/);
  });

  test('GIVEN edgeMonitoring.topicArn in us-east-1 THEN it is notified and no edge topic is made', () => {
    const topicArn = 'arn:aws:sns:us-east-1:123456789012:edge-alarms';
    const { parsed } = synthOf({ edgeMonitoring: { topicArn } });
    expect(edge(parsed, 'aws_sns_topic')).toEqual([]);
    expect(errorRateAlarm(parsed)).toMatchObject({ alarm_actions: [topicArn], ok_actions: [topicArn] });
  });

  test("GIVEN the guard notifies an existing topic THEN the edge topic subscribes nobody (that topic's subscriptions are not ours to copy)", () => {
    const { parsed } = synthOf({ guard: { alerting: { topicArn: 'arn:aws:sns:eu-north-1:123456789012:ops' } } });
    expect(edge(parsed, 'aws_sns_topic')).toHaveLength(1);
    expect(edge(parsed, 'aws_sns_topic_subscription')).toEqual([]);
  });

  test('GIVEN prefix-list mode (no guard topic) THEN the edge alarm still gets a us-east-1 topic', () => {
    const { parsed, problems } = synthOf({ guard: { mode: 'prefix-list' } });
    expect(problems).toEqual([]);
    expect(edge(parsed, 'aws_sns_topic')).toHaveLength(1);
    expect(errorRateAlarm(parsed).provider).toBe(US_EAST_1);
  });
});

describe('GIVEN edgeMonitoring settings', () => {
  test('threshold, period and periods are the configured ones', () => {
    const { parsed } = synthOf({ edgeMonitoring: { errorRateThresholdPercent: 2.5, errorRatePeriodSeconds: 300, errorRateEvaluationPeriods: 2 } });
    expect(errorRateAlarm(parsed)).toMatchObject({ threshold: 2.5, period: 300, evaluation_periods: 2 });
  });

  test('errorRateAlarm false THEN no edge resource at all', () => {
    const { parsed } = synthOf({ edgeMonitoring: { errorRateAlarm: false } });
    for (const type of Object.keys(parsed.resource)) expect(edge(parsed, type)).toEqual([]);
  });

  test.each([
    [{ errorRateThresholdPercent: 0 }, 'edgeMonitoring.errorRateThresholdPercent', 'a percentage above 0 and below 100'],
    [{ errorRateThresholdPercent: 100 }, 'edgeMonitoring.errorRateThresholdPercent', 'a percentage above 0 and below 100'],
    [{ errorRatePeriodSeconds: 30 }, 'edgeMonitoring.errorRatePeriodSeconds', 'a multiple of 60'],
    [{ errorRatePeriodSeconds: 90 }, 'edgeMonitoring.errorRatePeriodSeconds', 'a multiple of 60'],
    [{ errorRateEvaluationPeriods: 0 }, 'edgeMonitoring.errorRateEvaluationPeriods', 'an integer of at least 1'],
    [{ errorRatePeriodSeconds: 300, errorRateEvaluationPeriods: 289 }, 'edgeMonitoring.errorRateEvaluationPeriods', 'at most 288 with a period of 300 s'],
    [{ topicArn: 'arn:aws:sns:eu-north-1:123456789012:ops' }, 'edgeMonitoring.topicArn', 'an SNS topic ARN in us-east-1'],
    [{ topicArn: 'arn:aws:sns:us-east-1:123456789012:ops', errorRateAlarm: false }, 'edgeMonitoring.topicArn', 'absent when'],
    [{ originLatencyThresholdMs: 500 }, 'edgeMonitoring.originLatencyThresholdMs', "absent unless 'additionalMetrics' is true"],
    [{ additionalMetrics: true, originLatencyThresholdMs: 0 }, 'edgeMonitoring.originLatencyThresholdMs', 'an integer from 1 to 180000'],
  ])('%j is refused with one CONFIG_INVALID naming %s', (edgeMonitoring, key, rule) => {
    const error = configErrorOf({ name: 'x', region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', instanceSecurityGroupId: 'sg-0123456789abcdef0', edgeMonitoring });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`'${key}' must be ${rule}`);
  });

  test('an unknown key is refused, naming the known ones', () => {
    const error = configErrorOf({ name: 'x', region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', instanceSecurityGroupId: 'sg-0123456789abcdef0', edgeMonitoring: { errorRate: 5 } });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('errorRateThresholdPercent');
  });
});

describe('GIVEN dashboard and additionalMetrics on', () => {
  const { parsed, problems } = synthOf({ edgeMonitoring: { dashboard: true, additionalMetrics: true, originLatencyThresholdMs: 1500 } });

  test('the dashboard, the monitoring subscription and the origin-latency alarm match the provider schema', () => {
    expect(problems).toEqual([]);
    expect(edge(parsed, 'aws_cloudwatch_dashboard')).toHaveLength(1);
    expect(edge(parsed, 'aws_cloudfront_monitoring_subscription')).toHaveLength(1);
  });

  test('all three are in us-east-1 on the aliased provider', () => {
    for (const type of ['aws_cloudwatch_dashboard', 'aws_cloudfront_monitoring_subscription', 'aws_cloudwatch_metric_alarm']) {
      for (const [, body] of edge(parsed, type)) expect(body.provider).toBe(US_EAST_1);
    }
  });

  test('the subscription enables the additional metrics of this distribution, and the latency alarm waits for it', () => {
    const [[name, subscription]] = edge(parsed, 'aws_cloudfront_monitoring_subscription');
    expect(subscription.distribution_id).toMatch(DISTRIBUTION_ID);
    expect(subscription.monitoring_subscription).toEqual({ realtime_metrics_subscription_config: { realtime_metrics_subscription_status: 'Enabled' } });
    const latency = edge(parsed, 'aws_cloudwatch_metric_alarm').find(([n]) => n.includes('origin-latency-alarm'))![1];
    expect(latency).toMatchObject({ namespace: 'AWS/CloudFront', metric_name: 'OriginLatency', extended_statistic: 'p90', threshold: 1500, comparison_operator: 'GreaterThanThreshold' });
    expect(latency.dimensions.Region).toBe('Global');
    expect(latency.depends_on).toEqual([`aws_cloudfront_monitoring_subscription.${name}`]);
    expect(latency.alarm_actions).toEqual(errorRateAlarm(parsed).alarm_actions);
  });

  test("the dashboard shows the edge's and the guard's metrics side by side, each widget in its metric's region", () => {
    const [[, dashboard]] = edge(parsed, 'aws_cloudwatch_dashboard');
    const body = JSON.parse(dashboard.dashboard_body);
    const rows = new Map<number, any[]>();
    for (const w of body.widgets) rows.set(w.y, [...(rows.get(w.y) ?? []), w]);
    expect([...rows.keys()]).toEqual([0, 6, 12]);
    const names = (w: any) => w.properties.metrics.map((m: any[]) => `${m[0]}/${m[1]}`);
    expect(rows.get(0)!.flatMap(names)).toEqual(['AWS/CloudFront/Requests', 'AWS/CloudFront/4xxErrorRate', 'AWS/CloudFront/5xxErrorRate', 'AWS/CloudFront/BytesDownloaded']);
    expect(rows.get(6)!.flatMap(names)).toEqual([
      'CloudFrontOriginGuard/ReconcileSucceeded',
      'CloudFrontOriginGuard/ReconcileRefused',
      'CloudFrontOriginGuard/OriginExposedRules',
      'CloudFrontOriginGuard/ForeignRulesRevoked',
    ]);
    expect(rows.get(12)!.flatMap(names)).toContain('AWS/CloudFront/OriginLatency');
    for (const w of rows.get(0)!) expect(w.properties.region).toBe('us-east-1');
    for (const w of rows.get(6)!) {
      expect(w.properties.region).toBe('eu-north-1');
      expect(w.properties.metrics[0].slice(2, 4)).toEqual(['Prefix', 'AUTOUPDATE_CF']);
    }
    for (const w of [...rows.get(0)!, ...rows.get(12)!]) expect(w.properties.metrics[0][3]).toMatch(DISTRIBUTION_ID);
  });
});
