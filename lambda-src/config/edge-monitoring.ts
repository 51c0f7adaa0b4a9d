import { z } from 'zod';
import { windowLimitSeconds } from './alerting-rules';
import type { RuleProblem } from './config-errors';

/*
 * The `edgeMonitoring` block: what viewers see, watched at the edge. Shared by the config file
 * (CONFIG_INVALID naming `edgeMonitoring.<key>`) and the EdgeMonitoring construct (naming the prop),
 * so the two cannot disagree. No cdktf import: app-config.ts, which the CLI loads, uses it.
 *
 * CloudFront publishes its metrics in us-east-1 only, namespace AWS/CloudFront, dimensions
 * DistributionId and Region=Global ("Types of metrics for CloudFront", CloudFront Developer Guide,
 * docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html).
 */

/** The namespace, the region and the `Region` dimension of every CloudFront metric. */
export const CLOUDFRONT_METRIC_NAMESPACE = 'AWS/CloudFront';
export const CLOUDFRONT_METRIC_REGION = 'us-east-1';
export const CLOUDFRONT_METRIC_REGION_DIMENSION = 'Global';

/** The default (free) metrics and the ones additional metrics add (same guide, "CloudFront distribution metric values"). */
export const CLOUDFRONT_METRICS = {
  requests: 'Requests',
  bytesDownloaded: 'BytesDownloaded',
  errorRate4xx: '4xxErrorRate',
  errorRate5xx: '5xxErrorRate',
  totalErrorRate: 'TotalErrorRate',
  /** Additional metrics only (billed): milliseconds from CloudFront's request to the origin's first byte. */
  originLatency: 'OriginLatency',
  errorRate502: '502ErrorRate',
  errorRate503: '503ErrorRate',
  errorRate504: '504ErrorRate',
  cacheHitRate: 'CacheHitRate',
} as const;

/**
 * 5 %: a healthy live origin answers ~0 % 5xx (segments come from cache, playlists from a live
 * server); an origin down or unreachable turns every cache miss into a 502/504, far above 5 % within a
 * minute, while one stray 502 among thousands of requests stays far below it.
 */
export const DEFAULT_ERROR_RATE_THRESHOLD_PERCENT = 5;
/** One minute: CloudFront's default metrics have one-minute resolution, so no shorter period has data. */
export const DEFAULT_ERROR_RATE_PERIOD_SECONDS = 60;
/** Three periods in a row: an outage is told within about three minutes, a one-minute blip (a restart) is not. */
export const DEFAULT_ERROR_RATE_EVALUATION_PERIODS = 3;
/** Origin latency (additional metrics): well above a segment fetch from a healthy origin (tens of ms), well below the read timeout. */
export const DEFAULT_ORIGIN_LATENCY_THRESHOLD_MS = 2000;

/** EdgeMonitoring's props; the config's `edgeMonitoring` has the same keys. */
export interface EdgeMonitoringProps {
  /** Alarm on CloudFront's `5xxErrorRate` (free, default metric) above `errorRateThresholdPercent`. @default true */
  readonly errorRateAlarm?: boolean;
  /** The alarm's threshold in percent of viewer requests, above 0 and below 100. @default 5 */
  readonly errorRateThresholdPercent?: number;
  /** The alarm's period: a multiple of 60 (CloudFront's metrics have one-minute resolution). @default 60 */
  readonly errorRatePeriodSeconds?: number;
  /** Periods in a row above the threshold before it alarms. @default 3 */
  readonly errorRateEvaluationPeriods?: number;
  /** An existing topic in us-east-1 to notify instead of creating one there. @default - the guard's topic when it is in us-east-1, else a new topic in us-east-1 */
  readonly topicArn?: string;
  /** A CloudWatch dashboard (us-east-1): viewer requests, error rates, bytes and the guard's own metrics. @default false */
  readonly dashboard?: boolean;
  /** CloudFront additional metrics (billed per distribution): OriginLatency, per-code error rates, and an origin-latency alarm. @default false */
  readonly additionalMetrics?: boolean;
  /** The origin-latency alarm's threshold (milliseconds, p90), with `additionalMetrics`. @default 2000 */
  readonly originLatencyThresholdMs?: number;
}

export const edgeMonitoringSchema = z
  .object({
    errorRateAlarm: z.boolean().optional(),
    errorRateThresholdPercent: z.number().optional(),
    errorRatePeriodSeconds: z.number().optional(),
    errorRateEvaluationPeriods: z.number().optional(),
    topicArn: z.string().optional(),
    dashboard: z.boolean().optional(),
    additionalMetrics: z.boolean().optional(),
    originLatencyThresholdMs: z.number().optional(),
  })
  .strict();

const US_EAST_1_TOPIC = /^arn:aws[a-z-]*:sns:us-east-1:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** The block with its defaults applied: what the construct renders. */
export function resolveEdgeMonitoring(p: EdgeMonitoringProps = {}) {
  return {
    errorRateAlarm: p.errorRateAlarm ?? true,
    errorRateThresholdPercent: p.errorRateThresholdPercent ?? DEFAULT_ERROR_RATE_THRESHOLD_PERCENT,
    errorRatePeriodSeconds: p.errorRatePeriodSeconds ?? DEFAULT_ERROR_RATE_PERIOD_SECONDS,
    errorRateEvaluationPeriods: p.errorRateEvaluationPeriods ?? DEFAULT_ERROR_RATE_EVALUATION_PERIODS,
    topicArn: p.topicArn,
    dashboard: p.dashboard ?? false,
    additionalMetrics: p.additionalMetrics ?? false,
    originLatencyThresholdMs: p.originLatencyThresholdMs ?? DEFAULT_ORIGIN_LATENCY_THRESHOLD_MS,
  };
}

/**
 * The first broken rule, or undefined; values only known at apply time (`isUnresolved`) are skipped.
 * The topic must be in us-east-1: an alarm's actions must be in the alarm's own region (CloudWatch
 * User Guide, "Using Amazon CloudWatch alarms", alarm actions), and CloudFront's alarms live there.
 */
export function edgeMonitoringProblem(p: EdgeMonitoringProps, isUnresolved: (value: unknown) => boolean = () => false): RuleProblem | undefined {
  const r = resolveEdgeMonitoring(p);
  const known = (v: unknown) => !isUnresolved(v);
  const t = r.errorRateThresholdPercent;
  if (known(t) && !(typeof t === 'number' && t > 0 && t < 100)) {
    return { key: 'errorRateThresholdPercent', rule: 'a percentage above 0 and below 100 (of viewer requests answered 5xx)', value: t };
  }
  const period = r.errorRatePeriodSeconds;
  if (known(period) && !(Number.isInteger(period) && period >= 60 && period % 60 === 0)) {
    return { key: 'errorRatePeriodSeconds', rule: "a multiple of 60, at least 60 (CloudFront's metrics have one-minute resolution)", value: period };
  }
  const periods = r.errorRateEvaluationPeriods;
  if (known(periods) && !(Number.isInteger(periods) && periods >= 1)) {
    return { key: 'errorRateEvaluationPeriods', rule: 'an integer of at least 1', value: periods };
  }
  // The same window limits as the guard's no-success alarm: a day under one-hour periods, else a week.
  const limit = known(period) ? windowLimitSeconds(period) : Infinity;
  if (known(period) && known(periods) && period * periods > limit) {
    return {
      key: 'errorRateEvaluationPeriods',
      rule: `at most ${Math.floor(limit / period)} with a period of ${period} s (CloudWatch's limit: period x evaluation periods <= ${limit} s)`,
      value: periods,
    };
  }
  if (r.topicArn !== undefined && known(r.topicArn) && !US_EAST_1_TOPIC.test(r.topicArn)) {
    return {
      key: 'topicArn',
      rule: "an SNS topic ARN in us-east-1 like 'arn:aws:sns:us-east-1:123456789012:edge-alarms' (CloudFront's metrics, hence its alarms, are in us-east-1, and an alarm notifies topics in its own region only)",
      value: r.topicArn,
    };
  }
  const latency = r.originLatencyThresholdMs;
  if (known(latency) && !(Number.isInteger(latency) && latency >= 1 && latency <= 180_000)) {
    return { key: 'originLatencyThresholdMs', rule: "an integer from 1 to 180000 milliseconds (CloudFront's longest origin response timeout is 180 s)", value: latency };
  }
  if (p.originLatencyThresholdMs !== undefined && !r.additionalMetrics) {
    return { key: 'originLatencyThresholdMs', rule: "absent unless 'additionalMetrics' is true (OriginLatency is an additional metric)", value: p.originLatencyThresholdMs };
  }
  const nothingToNotify = !r.errorRateAlarm && !r.additionalMetrics;
  if (r.topicArn !== undefined && nothingToNotify) {
    return { key: 'topicArn', rule: "absent when 'errorRateAlarm' is false and 'additionalMetrics' is off (no edge alarm would notify it)", value: r.topicArn };
  }
  return undefined;
}
