import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import type { Construct } from 'constructs';
import { DEFAULT_NO_SUCCESS_EVALUATION_PERIODS, DEFAULT_NO_SUCCESS_PERIOD_SECONDS } from '../../lambda-src/config/alerting-rules';
import type { GuardAlertingProps } from '../../constructs/guard-alarms';
import { OriginIpRangeGuard, type OriginIpRangeGuardProps } from '../../constructs/origin-ip-range-guard';
import { METRICS, METRIC_DIMENSION, METRIC_NAMESPACE } from '../../lambda-src/core/metrics';
import { GUARD_BUNDLE, usEast1 } from '../support/app-fixtures';
import { synth, synthError, type Synth } from '../support/construct-synth';

const SETTINGS = { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0' };
const EXISTING_TOPIC = 'arn:aws:sns:eu-north-1:123456789012:ops-alarms';

function guard(scope: Construct, alerting?: GuardAlertingProps, props: Partial<OriginIpRangeGuardProps> = {}): OriginIpRangeGuard {
  return new OriginIpRangeGuard(scope, 'guard', { usEast1Provider: usEast1(scope), bundlePath: GUARD_BUNDLE, settings: SETTINGS, alerting, ...props });
}

const alarms = (s: Synth) => Object.values(s.resources('aws_cloudwatch_metric_alarm'));
const alarmNamed = (s: Synth, suffix: string) => alarms(s).find((a) => a.alarm_name === `stack-guard-${suffix}`);
const FUNCTION_REF = /^\$\{aws_lambda_function\.[^.]+\.function_name\}$/;
const TOPIC_REF = /^\$\{aws_sns_topic\.[^.]+\.arn\}$/;

describe('GIVEN no alerting props THEN every alarm is on and notifies a new topic', () => {
  const s = synth((scope) => guard(scope));

  test("the errors alarm watches the function's Lambda Errors, summed over 5 minutes, above 0", () => {
    const errors = alarmNamed(s, 'errors');
    expect(errors).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 1,
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
    });
    expect(Object.keys(errors.dimensions)).toEqual(['FunctionName']);
    expect(errors.dimensions.FunctionName).toMatch(FUNCTION_REF);
  });

  test("the refused alarm watches the handler's refusal metric for this prefix, above 0", () => {
    expect(alarmNamed(s, 'refused')).toMatchObject({
      namespace: METRIC_NAMESPACE,
      metric_name: METRICS.refused,
      dimensions: { [METRIC_DIMENSION]: 'AUTOUPDATE_CF' },
      statistic: 'Sum',
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
    });
  });

  test('the no-success alarm fires below one success over more than a day, and missing data breaches', () => {
    const noSuccess = alarmNamed(s, 'no-success');
    expect(noSuccess).toMatchObject({
      namespace: METRIC_NAMESPACE,
      metric_name: METRICS.succeeded,
      dimensions: { [METRIC_DIMENSION]: 'AUTOUPDATE_CF' },
      statistic: 'Sum',
      threshold: 1,
      comparison_operator: 'LessThanThreshold',
      treat_missing_data: 'breaching',
      period: DEFAULT_NO_SUCCESS_PERIOD_SECONDS,
      evaluation_periods: DEFAULT_NO_SUCCESS_EVALUATION_PERIODS,
    });
    // The daily schedule must always fall inside the window, with slack for its jitter.
    expect(noSuccess.period * noSuccess.evaluation_periods).toBeGreaterThan(86_400);
    expect(noSuccess.datapoints_to_alarm).toBeUndefined();
  });

  test('the no-success alarm is created after the first run, so a fresh deploy starts with a success', () => {
    expect(alarmNamed(s, 'no-success').depends_on).toEqual([expect.stringMatching(/^aws_lambda_invocation\..*first-run/)]);
  });

  test('each alarm notifies the created topic on ALARM and on OK', () => {
    expect(alarms(s)).toHaveLength(5);
    for (const alarm of alarms(s)) {
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(TOPIC_REF)]);
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
    }
  });

  test('the topic is named after the function and unencrypted (CloudWatch cannot use the AWS managed SNS key)', () => {
    expect(s.only('aws_sns_topic')).toEqual({ name: 'stack-guard-alarms' });
  });

  test('each description says where the logs and the failed events are', () => {
    for (const alarm of alarms(s)) {
      expect(alarm.alarm_description).toContain('/aws/lambda/stack-guard');
      expect(alarm.alarm_description).toContain('stack-guard-failed-events');
      expect(alarm.alarm_description.length).toBeLessThanOrEqual(1024);
    }
  });

  test('there are no e-mail subscriptions', () => {
    expect(Object.values(s.resources('aws_sns_topic_subscription')).map((sub) => sub.protocol)).toEqual(['lambda']);
  });

  test('it passes the provider schema', () => {
    expect(s.schemaProblems()).toEqual([]);
  });
});

describe('switches', () => {
  test.each([
    ['errorsAlarm', 'errors'],
    ['refusedAlarm', 'refused'],
    ['noSuccessAlarm', 'no-success'],
    ['exposureAlarm', 'origin-exposed'],
    ['foreignRulesAlarm', 'foreign-rules'],
  ] as const)('GIVEN %s false THEN only that alarm is missing', (prop, suffix) => {
    const s = synth((scope) => guard(scope, { [prop]: false }));
    expect(alarmNamed(s, suffix)).toBeUndefined();
    expect(alarms(s)).toHaveLength(4);
    expect(s.json).toHaveResource(SnsTopic);
  });

  test('GIVEN every alarm off THEN there is no alarm and no topic', () => {
    const s = synth((scope) => guard(scope, { errorsAlarm: false, refusedAlarm: false, noSuccessAlarm: false, exposureAlarm: false, foreignRulesAlarm: false }));
    expect(s.json).not.toHaveResource(CloudwatchMetricAlarm);
    expect(s.json).not.toHaveResource(SnsTopic);
  });

  test('GIVEN the schedule off THEN the no-success alarm is off by default (a quiet day has no run), and on when asked', () => {
    expect(
      alarmNamed(
        synth((scope) => guard(scope, undefined, { schedule: false })),
        'no-success',
      ),
    ).toBeUndefined();
    expect(
      alarmNamed(
        synth((scope) => guard(scope, { noSuccessAlarm: true }, { schedule: false })),
        'no-success',
      ),
    ).toBeDefined();
  });

  test('GIVEN a custom window THEN the no-success alarm uses it', () => {
    const s = synth((scope) => guard(scope, { noSuccessPeriodSeconds: 300, noSuccessEvaluationPeriods: 288 }));
    expect(alarmNamed(s, 'no-success')).toMatchObject({ period: 300, evaluation_periods: 288 });
    expect(alarmNamed(s, 'no-success').alarm_description).toContain('no successful run for 24 h');
  });

  test('GIVEN another prefix THEN both metric alarms are dimensioned by it', () => {
    const s = synth((scope) => guard(scope, undefined, { settings: { ...SETTINGS, prefixName: 'EDGE' } }));
    expect(alarmNamed(s, 'refused').dimensions).toEqual({ Prefix: 'EDGE' });
    expect(alarmNamed(s, 'no-success').dimensions).toEqual({ Prefix: 'EDGE' });
  });
});

describe('the topic and its subscriptions', () => {
  test('GIVEN an existing topic ARN THEN no topic is created and the alarms notify that ARN', () => {
    const s = synth((scope) => guard(scope, { topicArn: EXISTING_TOPIC }));
    expect(s.json).not.toHaveResource(SnsTopic);
    for (const alarm of alarms(s)) expect(alarm).toMatchObject({ alarm_actions: [EXISTING_TOPIC], ok_actions: [EXISTING_TOPIC] });
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN e-mail addresses THEN each is subscribed to the topic by e-mail', () => {
    const s = synth((scope) => guard(scope, { emails: ['ops@example.com', 'media-team@example.com'] }));
    const emails = Object.values(s.resources('aws_sns_topic_subscription')).filter((sub) => sub.protocol === 'email');
    expect(emails.map((sub) => sub.endpoint).sort()).toEqual(['media-team@example.com', 'ops@example.com']);
    for (const sub of emails) {
      expect(sub.topic_arn).toMatch(TOPIC_REF);
      expect(sub.provider).toBeUndefined();
    }
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN the addresses reordered THEN the subscriptions keep their resource names (nothing is replaced)', () => {
    const names = (emails: string[]) => Object.keys(synth((scope) => guard(scope, { emails })).resources('aws_sns_topic_subscription')).sort();
    expect(names(['b@example.com', 'a@example.com'])).toEqual(names(['a@example.com', 'b@example.com']));
  });

  test('GIVEN an existing topic and e-mail addresses THEN the addresses subscribe to that topic', () => {
    const s = synth((scope) => guard(scope, { topicArn: EXISTING_TOPIC, emails: ['ops@example.com'] }));
    expect(Object.values(s.resources('aws_sns_topic_subscription')).find((sub) => sub.protocol === 'email')).toMatchObject({ topic_arn: EXISTING_TOPIC, endpoint: 'ops@example.com' });
  });

  test('GIVEN a customer managed key THEN the created topic is encrypted with it', () => {
    const s = synth((scope) => guard(scope, { topicKmsKeyId: 'alias/cfguard-alarms' }, { tags: { project: 'streaming' } }));
    expect(s.only('aws_sns_topic')).toEqual({ name: 'stack-guard-alarms', kms_master_key_id: 'alias/cfguard-alarms', tags: { project: 'streaming' } });
    for (const alarm of alarms(s)) expect(alarm.tags).toEqual({ project: 'streaming' });
  });
});

describe('validation', () => {
  test.each<[string, GuardAlertingProps, string]>([
    ['a period that is not whole minutes', { noSuccessPeriodSeconds: 90 }, "'alerting.noSuccessPeriodSeconds' must be a whole number of minutes in seconds (a multiple of 60, at least 60), got 90"],
    ['a period of 0', { noSuccessPeriodSeconds: 0 }, "'alerting.noSuccessPeriodSeconds' must be a whole number of minutes"],
    [
      'a window over a day with periods under an hour',
      { noSuccessPeriodSeconds: 300, noSuccessEvaluationPeriods: 289 },
      "'alerting.noSuccessEvaluationPeriods' must be at most 288 with a period of 300 s (CloudWatch's limit: period x evaluation periods <= 86,400 s for periods under an hour; 300 x 289 = 86,700 s), got 289",
    ],
    [
      'a window over seven days with hourly periods',
      { noSuccessPeriodSeconds: 3600, noSuccessEvaluationPeriods: 169 },
      "'alerting.noSuccessEvaluationPeriods' must be at most 168 with a period of 3,600 s (CloudWatch's limit: period x evaluation periods <= 604,800 s for periods of an hour or more; 3,600 x 169 = 608,400 s), got 169",
    ],
    ['a period over seven days', { noSuccessPeriodSeconds: 604_860, noSuccessEvaluationPeriods: 1 }, "'alerting.noSuccessPeriodSeconds' must be at most 604,800"],
    ['zero evaluation periods', { noSuccessEvaluationPeriods: 0 }, "'alerting.noSuccessEvaluationPeriods' must be an integer of at least 1, got 0"],
    ['a topic that is not an SNS ARN', { topicArn: 'arn:aws:sqs:eu-north-1:123456789012:q' }, "'alerting.topicArn' must be an SNS topic ARN like"],
    [
      'the AWS managed SNS key',
      { topicKmsKeyId: 'alias/aws/sns' },
      "'alerting.topicKmsKeyId' must be a customer managed key whose policy admits cloudwatch.amazonaws.com ('alias/aws/sns' cannot be used by CloudWatch alarms",
    ],
    ['a key for an existing topic', { topicArn: EXISTING_TOPIC, topicKmsKeyId: 'alias/mine' }, "'alerting.topicKmsKeyId' must be absent when 'topicArn' names an existing topic"],
    ['a bad e-mail address', { emails: ['ops@example.com', 'ops'] }, "'alerting.emails[1]' must be an e-mail address like 'ops@example.com', got 'ops'"],
    ['an address twice', { emails: ['ops@example.com', 'ops@example.com'] }, "'alerting.emails[1]' must be listed once, got 'ops@example.com'"],
    [
      'addresses with every alarm off',
      { errorsAlarm: false, refusedAlarm: false, noSuccessAlarm: false, exposureAlarm: false, foreignRulesAlarm: false, emails: ['ops@example.com'] },
      "'alerting.emails' must be empty when every alarm is off",
    ],
  ])('GIVEN %s THEN synth fails with CONFIG_INVALID naming the prop and the rule', (_name, alerting, message) => {
    const error = synthError((scope) => guard(scope, alerting));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });

  test.each([
    [300, 288],
    [3600, 168],
    [604_800, 1],
    [60, 1440],
  ])('GIVEN a window at the limit (%i s x %i) THEN CloudWatch accepts it', (period, periods) => {
    const s = synth((scope) => guard(scope, { noSuccessPeriodSeconds: period, noSuccessEvaluationPeriods: periods }));
    expect(alarmNamed(s, 'no-success')).toMatchObject({ period, evaluation_periods: periods });
  });
});
