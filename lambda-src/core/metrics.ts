/**
 * CloudWatch Embedded Metric Format fields for the run's log line and the origin checks' line, in one
 * namespace and dimension. Lambda's log ingestion turns them into metrics: no PutMetricData call, no
 * extra IAM. The constructs' alarms import these very names, so a renamed metric cannot silently
 * orphan an alarm.
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
  foreignRulesRevoked: 'ForeignRulesRevoked',
  originExposedRules: 'OriginExposedRules',
} as const;

export type MetricKey = keyof typeof METRICS;
/** Metrics only some runs measure: absent rather than a misleading 0 (the exposure audit runs on schedules and direct runs). */
export type OptionalMetricKey = 'originExposedRules';
export type MetricValues = Record<Exclude<MetricKey, OptionalMetricKey>, number> & Partial<Record<OptionalMetricKey, number>>;

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
  'FOREIGN_GROUP_TAGGED',
  'MANAGED_GROUP_ON_OTHER_INTERFACE',
  'FOREIGN_GROUP_ON_INTERFACE',
  'STALE_DOCUMENT',
  'SYNC_TOKEN_IN_FUTURE',
  'DOCUMENT_TOO_LARGE',
]);

export function emfFields(prefix: string, values: MetricValues, timestamp = Date.now()): Record<string, unknown> {
  const metrics: Record<string, number> = {};
  for (const [key, name] of Object.entries(METRICS)) {
    const value = values[key as MetricKey];
    if (value !== undefined) metrics[name] = value;
  }
  return emfBlock(prefix, metrics, timestamp);
}

/** The origin checks' metrics, on a line of their own next to the run's line. The alarms (constructs/origin-probe-alarms.ts) import these names. */
export const ORIGIN_METRICS = {
  /** Origin ports that accepted a TCP connection from the function (not a CloudFront address). */
  directlyReachable: 'OriginDirectlyReachable',
  /** 1 when, in `required` mode, the origin served a request without the secret header. */
  bypassOpen: 'OriginBypassOpen',
} as const;

export function originEmfFields(prefix: string, values: { directlyReachable: number; bypassOpen?: number }, timestamp = Date.now()): Record<string, unknown> {
  const metrics: Record<string, number> = { [ORIGIN_METRICS.directlyReachable]: values.directlyReachable };
  if (values.bypassOpen !== undefined) metrics[ORIGIN_METRICS.bypassOpen] = values.bypassOpen;
  return emfBlock(prefix, metrics, timestamp);
}

/** CloudWatch's embedded metric format for counts in the guard's namespace and dimension. */
function emfBlock(prefix: string, metrics: Readonly<Record<string, number>>, timestamp = Date.now()): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [[METRIC_DIMENSION]], Metrics: Object.keys(metrics).map((Name) => ({ Name, Unit: 'Count' })) }],
    },
    [METRIC_DIMENSION]: prefix,
    ...metrics,
  };
}
