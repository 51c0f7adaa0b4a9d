/**
 * CloudWatch Embedded Metric Format fields for the run's one log line. Lambda's log ingestion turns
 * them into metrics: no PutMetricData call, no extra IAM. The constructs' alarms import these very
 * names, so a renamed metric cannot silently orphan an alarm.
 */
export const METRIC_NAMESPACE = 'CloudFrontOriginGuard';
export const METRIC_DIMENSION = 'Prefix';

export const METRICS = {
  succeeded: 'ReconcileSucceeded',
  refused: 'ReconcileRefused',
  rulesAdded: 'RulesAdded',
  rulesRevoked: 'RulesRevoked',
  rulesHeld: 'RulesHeld',
  groupsCreated: 'GroupsCreated',
  groupsDeleted: 'GroupsDeleted',
} as const;

export type MetricKey = keyof typeof METRICS;
export type MetricValues = Record<MetricKey, number>;

/** Error codes that mean a guard or a quota refused the run (as opposed to a crash or an outage). */
export const REFUSAL_CODES: ReadonlySet<string> = new Set([
  'GUARD_REVOKE_FRACTION',
  'QUOTA_RULES_PER_GROUP',
  'QUOTA_GROUPS_PER_INTERFACE',
  'QUOTA_PRODUCT_LIMIT',
  'EMPTY_RANGES',
  'CIDR_INVALID',
  'CIDR_TOO_BROAD',
  'MD5_MISMATCH',
  'LONE_MANAGED_GROUP',
]);

export function emfFields(prefix: string, values: MetricValues, timestamp = Date.now()): Record<string, unknown> {
  const metrics: Record<string, number> = {};
  for (const [key, name] of Object.entries(METRICS)) metrics[name] = values[key as MetricKey];
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [[METRIC_DIMENSION]], Metrics: Object.values(METRICS).map((Name) => ({ Name, Unit: 'Count' })) }],
    },
    [METRIC_DIMENSION]: prefix,
    ...metrics,
  };
}
