import type { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { CloudfrontMonitoringSubscription } from '@cdktf/provider-aws/lib/cloudfront-monitoring-subscription';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { CLOUDFRONT_METRIC_NAMESPACE, CLOUDFRONT_METRIC_REGION_DIMENSION, CLOUDFRONT_METRICS } from '../lambda-src/config/edge-monitoring';

/*
 * CloudFront's additional metrics: a monitoring subscription on the distribution turns on
 * OriginLatency, CacheHitRate and the per-code error rates (401, 403, 404, 502, 503, 504), billed per
 * metric and distribution ("Enable additional metrics", CloudFront Developer Guide,
 * docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/viewing-cloudfront-metrics.html). The
 * origin-latency alarm watches the one figure that says "the origin is slow" before viewers rebuffer.
 */

export interface AdditionalMetricsOptions {
  readonly provider: TerraformProvider;
  readonly distributionId: string;
  readonly namePrefix: string;
  readonly thresholdMs: number;
  readonly notify: { alarmActions?: string[]; okActions?: string[] };
  readonly tags?: Record<string, string>;
}

/** The subscription and the origin-latency alarm; returns the alarm. */
export function renderAdditionalMetrics(scope: Construct, o: AdditionalMetricsOptions): CloudwatchMetricAlarm {
  const subscription = new CloudfrontMonitoringSubscription(scope, 'monitoring-subscription', {
    provider: o.provider,
    distributionId: o.distributionId,
    monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: 'Enabled' } },
  });
  return new CloudwatchMetricAlarm(scope, 'origin-latency-alarm', {
    provider: o.provider,
    alarmName: `${o.namePrefix}-origin-latency`,
    alarmDescription: `cloudfront-origin-guard: the origin's p90 latency (CloudFront's request to its first byte) was above ${o.thresholdMs} ms for 3 minutes: the media server is overloaded or its disk is slow, and viewers are about to rebuffer.`,
    namespace: CLOUDFRONT_METRIC_NAMESPACE,
    metricName: CLOUDFRONT_METRICS.originLatency,
    dimensions: { DistributionId: o.distributionId, Region: CLOUDFRONT_METRIC_REGION_DIMENSION },
    extendedStatistic: 'p90',
    period: 60,
    evaluationPeriods: 3,
    threshold: o.thresholdMs,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
    ...o.notify,
    tags: o.tags,
    // Without the subscription the metric does not exist: the alarm would sit in INSUFFICIENT_DATA.
    dependsOn: [subscription],
  });
}
