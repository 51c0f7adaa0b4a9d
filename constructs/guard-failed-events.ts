import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';

/*
 * Lose no range change: SNS invokes the function asynchronously, and after Lambda's retries a
 * failed event would be dropped. The on-failure destination keeps it (with the error) in a queue,
 * from which it can be read and replayed. Rendered into the guard's scope (flat ids).
 */

/** SQS's longest retention: 14 days. */
export const FAILED_EVENTS_RETENTION_SECONDS = 1_209_600;
/** Lambda's own retries of an asynchronous event before it goes to the destination (Lambda's maximum). */
export const FAILED_EVENTS_MAX_RETRY_ATTEMPTS = 2;
/** An event still unprocessed after this long (throttled behind a running invocation) goes to the destination too: Lambda's maximum, 6 h. */
export const FAILED_EVENTS_MAX_EVENT_AGE_SECONDS = 21_600;

export function failedEventsQueueName(functionName: string): string {
  return `${functionName}-failed-events`;
}

/** The queue comes first: the function's policy names its ARN. */
export function renderFailedEventsQueue(scope: Construct, functionName: string, tags?: Readonly<Record<string, string>>): SqsQueue {
  return new SqsQueue(scope, 'failed-events', {
    name: failedEventsQueueName(functionName),
    messageRetentionSeconds: FAILED_EVENTS_RETENTION_SECONDS,
    sqsManagedSseEnabled: true,
    tags: tags ? { ...tags } : undefined,
  });
}

/**
 * Lambda checks at creation that the function's role may send to the destination, so this waits
 * for the policy (`after`).
 */
export function renderEventInvokeConfig(scope: Construct, functionName: string, queue: SqsQueue, after: ITerraformDependable[]): LambdaFunctionEventInvokeConfig {
  return new LambdaFunctionEventInvokeConfig(scope, 'event-invoke-config', {
    functionName,
    maximumRetryAttempts: FAILED_EVENTS_MAX_RETRY_ATTEMPTS,
    maximumEventAgeInSeconds: FAILED_EVENTS_MAX_EVENT_AGE_SECONDS,
    destinationConfig: { onFailure: { destination: queue.arn } },
    dependsOn: after,
  });
}
