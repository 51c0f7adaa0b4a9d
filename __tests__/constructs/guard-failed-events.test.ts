import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { Construct } from 'constructs';
import { FAILED_EVENTS_MAX_EVENT_AGE_SECONDS, FAILED_EVENTS_MAX_RETRY_ATTEMPTS, FAILED_EVENTS_RETENTION_SECONDS } from '../../constructs/guard-failed-events';
import { unconditionedWildcardWrites, type PolicyDocument } from '../../constructs/guard-iam';
import { OriginIpRangeGuard, type OriginIpRangeGuardProps } from '../../constructs/origin-ip-range-guard';
import { GUARD_BUNDLE, usEast1 } from '../support/app-fixtures';
import { synth } from '../support/construct-synth';

function guard(scope: Construct, props: Partial<OriginIpRangeGuardProps> = {}): OriginIpRangeGuard {
  return new OriginIpRangeGuard(scope, 'guard', { usEast1Provider: usEast1(scope), bundlePath: GUARD_BUNDLE, settings: { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0' }, ...props });
}

describe('GIVEN the guard THEN no failed event is lost', () => {
  const s = synth((scope) => guard(scope));
  const queueName = () => Object.keys(s.resources('aws_sqs_queue'))[0];

  test('a queue keeps failed events 14 days, encrypted with SQS-managed keys', () => {
    expect(s.json).toHaveResourceWithProperties(SqsQueue, { name: 'stack-guard-failed-events', message_retention_seconds: 1_209_600, sqs_managed_sse_enabled: true });
    expect(FAILED_EVENTS_RETENTION_SECONDS).toBe(14 * 24 * 3600);
  });

  test('the event invoke config sends every event that failed after 2 retries or 6 hours to that queue', () => {
    const config = s.only('aws_lambda_function_event_invoke_config');
    expect(config.destination_config).toEqual({ on_failure: { destination: `\${aws_sqs_queue.${queueName()}.arn}` } });
    expect(config).toMatchObject({ maximum_retry_attempts: FAILED_EVENTS_MAX_RETRY_ATTEMPTS, maximum_event_age_in_seconds: FAILED_EVENTS_MAX_EVENT_AGE_SECONDS });
    expect(FAILED_EVENTS_MAX_RETRY_ATTEMPTS).toBe(2);
    expect(config.function_name).toMatch(/^\$\{aws_lambda_function\.[^.]+\.function_name\}$/);
    expect(config.destination_config.on_success).toBeUndefined();
  });

  test("it waits for the role's policy: Lambda checks the role may send to the destination", () => {
    expect(s.only('aws_lambda_function_event_invoke_config').depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
  });

  test('the function may send messages to that queue only, and nothing else on SQS', () => {
    const policy = JSON.parse(s.only('aws_iam_role_policy').policy) as PolicyDocument;
    const sqs = policy.Statement.filter((st) => st.Action.some((a) => a.startsWith('sqs:')));
    expect(sqs).toEqual([{ Sid: 'KeepFailedEvents', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [`\${aws_sqs_queue.${queueName()}.arn}`] }]);
    expect(unconditionedWildcardWrites(policy)).toEqual([]);
  });

  test('it passes the provider schema', () => {
    expect(s.schemaProblems()).toEqual([]);
  });
});

test('GIVEN tags THEN the queue carries them', () => {
  const s = synth((scope) => guard(scope, { tags: { project: 'streaming' } }));
  expect(s.json).toHaveResourceWithProperties(SqsQueue, { tags: { project: 'streaming' } });
});
