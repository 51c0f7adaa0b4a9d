import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import {
  CLOUDFRONT_METRIC_NAMESPACE,
  CLOUDFRONT_METRIC_REGION,
  CLOUDFRONT_METRIC_REGION_DIMENSION,
  CLOUDFRONT_METRICS,
  edgeMonitoringProblem,
  resolveEdgeMonitoring,
  type EdgeMonitoringProps,
} from '../lambda-src/config/edge-monitoring';
import { invalidProp, isUnresolved } from './validate';
import { renderEdgeDashboard, type GuardMetricsSource } from './edge-dashboard';
import { renderAdditionalMetrics } from './edge-additional-metrics';
import { alarmTopic } from './guard-alarms';

export type { EdgeMonitoringProps } from '../lambda-src/config/edge-monitoring';

export interface EdgeMonitoringConstructProps extends EdgeMonitoringProps {
  /** The distribution watched (`E…`). */
  readonly distributionId: string;
  /** An AWS provider in us-east-1: CloudFront's metrics, hence the alarms, dashboard and topic, live there. */
  readonly usEast1Provider: TerraformProvider;
  /** Prefix of the alarm, topic and dashboard names, e.g. `streaming-origin-origin-edge`. */
  readonly namePrefix: string;
  /** The guard's alarm topic and its region: reused when it is in us-east-1. @default - none */
  readonly guardTopic?: { readonly arn: string; readonly region: string };
  /** Addresses subscribed to a topic created here: the guard topic's subscriptions. @default - none */
  readonly emails?: readonly string[];
  /** The guard's own metrics, for the dashboard. @default - the dashboard shows the edge only */
  readonly guardMetrics?: GuardMetricsSource;
  /** Tags on every resource that takes them. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The edge watched: CloudWatch alarms on what viewers get from CloudFront (a 5xx rate by default),
 * all in us-east-1 on the aliased provider, notifying a topic there. An alarm's actions must be in
 * the alarm's region (CloudWatch User Guide, "Using Amazon CloudWatch alarms": "the alarm and the
 * action must be in the same Region"), so the guard's topic in the instance's region cannot be used
 * unless that region is us-east-1; a topic created here gets the guard topic's e-mail subscriptions.
 */
export class EdgeMonitoring extends Construct {
  /** The topic the edge alarms notify; undefined when no edge alarm is on. */
  public readonly topicArn?: string;
  /** True when the topic was created here (and is an output of the stack). */
  public readonly createdTopic: boolean;
  public readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: EdgeMonitoringConstructProps) {
    super(scope, id);
    const problem = edgeMonitoringProblem(props, isUnresolved);
    if (problem) throw invalidProp(problem.key, problem.rule, problem.value);
    const r = resolveEdgeMonitoring(props);
    const provider = props.usEast1Provider;
    const tags = props.tags ? { ...props.tags } : undefined;

    const anyAlarm = r.errorRateAlarm || r.additionalMetrics;
    const reusable = props.guardTopic && props.guardTopic.region === CLOUDFRONT_METRIC_REGION ? props.guardTopic.arn : undefined;
    this.createdTopic = anyAlarm && r.topicArn === undefined && reusable === undefined;
    this.topicArn = anyAlarm ? (r.topicArn ?? reusable ?? alarmTopic(this, { namePrefix: props.namePrefix, emails: props.emails, provider, tags })) : undefined;

    const dimensions = { DistributionId: props.distributionId, Region: CLOUDFRONT_METRIC_REGION_DIMENSION };
    const notify = this.topicArn ? { alarmActions: [this.topicArn], okActions: [this.topicArn] } : {};
    const alarms: CloudwatchMetricAlarm[] = [];
    if (r.errorRateAlarm) {
      alarms.push(
        new CloudwatchMetricAlarm(this, 'error-rate-alarm', {
          provider,
          alarmName: `${props.namePrefix}-5xx-error-rate`,
          alarmDescription:
            `cloudfront-origin-guard: more than ${r.errorRateThresholdPercent} % of viewer requests got a 5xx from CloudFront for ${r.errorRateEvaluationPeriods} x ${r.errorRatePeriodSeconds} s: ` +
            'viewers are failing. A 502/504 means CloudFront could not reach the origin (instance stopped, media server down, port closed by a security group); see the README, Troubleshooting.',
          namespace: CLOUDFRONT_METRIC_NAMESPACE,
          metricName: CLOUDFRONT_METRICS.errorRate5xx,
          dimensions,
          // The rates' only valid statistic ("Types of metrics for CloudFront").
          statistic: 'Average',
          period: r.errorRatePeriodSeconds,
          evaluationPeriods: r.errorRateEvaluationPeriods,
          threshold: r.errorRateThresholdPercent,
          comparisonOperator: 'GreaterThanThreshold',
          // No viewers, no data points: silence is not an outage.
          treatMissingData: 'notBreaching',
          ...notify,
          tags,
        }),
      );
    }
    if (r.additionalMetrics) {
      alarms.push(renderAdditionalMetrics(this, { provider, distributionId: props.distributionId, namePrefix: props.namePrefix, thresholdMs: r.originLatencyThresholdMs, notify, tags }));
    }
    if (r.dashboard) {
      renderEdgeDashboard(this, { provider, distributionId: props.distributionId, name: props.namePrefix, additionalMetrics: r.additionalMetrics, guard: props.guardMetrics });
    }
    this.alarms = alarms;
  }
}
