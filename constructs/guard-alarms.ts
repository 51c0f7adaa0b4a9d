import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic, type SnsTopicConfig } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { METRICS, METRIC_DIMENSION, METRIC_NAMESPACE } from '../lambda-src/core/metrics';
import { alarmsOn, alertingProblem, anyAlarmOn, DEFAULT_NO_SUCCESS_EVALUATION_PERIODS, DEFAULT_NO_SUCCESS_PERIOD_SECONDS, type GuardAlertingProps } from '../lambda-src/config/alerting-rules';

export type { GuardAlertingProps } from '../lambda-src/config/alerting-rules';
import { invalidProp, isUnresolved } from './validate';
import { failedEventsQueueName } from './guard-failed-events';

/*
 * Know when the guard fails: alarms on the function's errors, on refused runs and on a day without a
 * successful run, notifying one SNS topic. The metric names come from the handler's own table, so a
 * renamed metric cannot leave an alarm watching nothing. Rendered into the guard's scope (flat ids).
 */

/** Short periods: a failure is told within minutes. */
export const FAILURE_ALARM_PERIOD_SECONDS = 300;

export interface GuardAlarmsOptions {
  /** The function's name as a literal (alarm and topic names). */
  readonly functionName: string;
  /** The function's name as a reference (the `FunctionName` dimension). */
  readonly functionNameRef: string;
  readonly prefixName: string;
  readonly schedule: boolean;
  readonly alerting: GuardAlertingProps;
  /** The first run: the no-success alarm is created after it, so a fresh deploy starts with a success. */
  readonly firstRun: ITerraformDependable;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface GuardAlarms {
  /** The notified topic: created, given, or undefined when every alarm is off. */
  readonly topicArn?: string;
  readonly alarms: readonly CloudwatchMetricAlarm[];
}

/** Validates the alerting props (the rules the config file applies too); names each prop `alerting.<key>`. */
export function validateAlerting(a: GuardAlertingProps, schedule: boolean): void {
  const problem = alertingProblem(a, schedule, isUnresolved);
  if (problem) throw invalidProp(`alerting.${problem.key}`, problem.rule, problem.value);
}

/** What one alarm sets beyond its name and description (which every guard alarm words alike). */
type AlarmSettings = Partial<Omit<CloudwatchMetricAlarmConfig, 'alarmName' | 'alarmDescription'>>;
type AlarmTopicOptions = Pick<SnsTopicConfig, 'provider' | 'kmsMasterKeyId' | 'tags'> & { readonly namePrefix: string; readonly topicArn?: string; readonly emails?: readonly string[] };
/** Whose alarm it is (the name's prefix), whom it notifies, and its tags. */
type AlarmTarget = Pick<GuardAlarmsOptions, 'functionName' | 'tags'> & { readonly topicArn?: string };

/** An alarm on the guard's own metric (the handler's namespace and `Prefix` dimension). */
export function guardMetricOf(metricName: string, prefixName: string): AlarmSettings {
  return { namespace: METRIC_NAMESPACE, metricName, dimensions: { [METRIC_DIMENSION]: prefixName } };
}

/** The guard's alarm shape (its failure alarms and the origin checks'): any breaching data point fires, nothing ran stays quiet; named `<function>-<suffix>`. */
export function guardAlarm(scope: Construct, o: AlarmTarget, id: string, suffix: string, description: string, settings: AlarmSettings): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: `${o.functionName}-${suffix}`,
    alarmDescription: `cloudfront-origin-guard: ${description}`,
    statistic: 'Sum',
    period: FAILURE_ALARM_PERIOD_SECONDS,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
    ...(o.topicArn ? { alarmActions: [o.topicArn], okActions: [o.topicArn] } : {}),
    tags: o.tags ? { ...o.tags } : undefined,
    ...settings,
  });
}

/** The alarms' topic `<namePrefix>-alarms` unless `topicArn` names one, and its e-mail subscriptions (keyed by address, so reordering the list replaces nothing). */
export function alarmTopic(scope: Construct, o: AlarmTopicOptions): string {
  const topicArn = o.topicArn ?? new SnsTopic(scope, 'alarm-topic', { provider: o.provider, name: `${o.namePrefix}-alarms`, kmsMasterKeyId: o.kmsMasterKeyId, tags: o.tags }).arn;
  for (const email of o.emails ?? []) new SnsTopicSubscription(scope, `alarm-email-${email}`, { provider: o.provider, topicArn, protocol: 'email', endpoint: email });
  return topicArn;
}

/** `90000` -> `25 h`, `300` -> `5 min`: for the alarm's description. */
function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** Renders what `o.alerting` (validated with validateAlerting) asks for. */
export function renderGuardAlarms(scope: Construct, o: GuardAlarmsOptions): GuardAlarms {
  const a = o.alerting;
  const tags = o.tags ? { ...o.tags } : undefined;
  const on = alarmsOn(a, o.schedule);
  if (!anyAlarmOn(a, o.schedule)) return { alarms: [] };

  const topicArn = alarmTopic(scope, { namePrefix: o.functionName, topicArn: a.topicArn, emails: a.emails, kmsMasterKeyId: a.topicKmsKeyId, tags });

  const heals = o.schedule ? '; the daily run heals within a day' : '';
  const runbook = `Logs: /aws/lambda/${o.functionName}. Failed events are kept in the SQS queue ${failedEventsQueueName(o.functionName)} for replay${heals}.`;
  const alarm = (id: string, suffix: string, description: string, settings: AlarmSettings) => guardAlarm(scope, { ...o, topicArn }, id, suffix, `${description} ${runbook}`, settings);
  const guardMetric = (metricName: string) => guardMetricOf(metricName, o.prefixName);
  const alarms: CloudwatchMetricAlarm[] = [];
  if (on.errors) {
    alarms.push(
      alarm('errors-alarm', 'errors', `${o.functionName} failed, so newly published CloudFront ranges may be blocked at the origin.`, {
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: o.functionNameRef },
      }),
    );
  }
  if (on.refused) {
    const description = `a run of ${o.functionName} was refused by a guard or a quota (the log line's error code says which, and how to fix it).`;
    alarms.push(alarm('refused-alarm', 'refused', description, guardMetric(METRICS.refused)));
  }
  if (on.foreignRules) {
    const description = `a run of ${o.functionName} revoked rules no CloudFront document granted (world-open, other CIDRs, group references, prefix lists or other ports) from a managed group: someone edited it. The log line's warnings name them.`;
    alarms.push(alarm('foreign-rules-alarm', 'foreign-rules', description, guardMetric(METRICS.foreignRulesRevoked)));
  }
  if (on.exposure) {
    const description = `the instance's interfaces let sources other than CloudFront reach the origin ports (the run line's exposure names each group and rule; cfguard drift shows them). The guard never revokes rules outside its own groups: close them on that group.`;
    // Audited on scheduled and direct runs only: between them the last finding stands.
    alarms.push(alarm('origin-exposed-alarm', 'origin-exposed', description, { ...guardMetric(METRICS.originExposedRules), statistic: 'Maximum', treatMissingData: 'ignore' }));
  }
  if (on.noSuccess) {
    const period = a.noSuccessPeriodSeconds ?? DEFAULT_NO_SUCCESS_PERIOD_SECONDS;
    const periods = a.noSuccessEvaluationPeriods ?? DEFAULT_NO_SUCCESS_EVALUATION_PERIODS;
    const description = `${o.functionName} has had no successful run for ${duration(period * periods)}; the groups may be stale.`;
    alarms.push(
      alarm('no-success-alarm', 'no-success', description, {
        ...guardMetric(METRICS.succeeded),
        period,
        evaluationPeriods: periods,
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        // No run at all is exactly what this alarm is for.
        treatMissingData: 'breaching',
        dependsOn: [o.firstRun],
      }),
    );
  }
  return { topicArn, alarms };
}
