import type { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CLOUDFRONT_METRIC_NAMESPACE, CLOUDFRONT_METRIC_REGION, CLOUDFRONT_METRIC_REGION_DIMENSION, CLOUDFRONT_METRICS } from '../lambda-src/config/edge-monitoring';
import { METRICS, METRIC_DIMENSION, METRIC_NAMESPACE } from '../lambda-src/core/metrics';

/*
 * One screen that says whether viewers suffer and why: the edge on the top row (requests, error rates,
 * bytes), the guard on the second (runs and refusals, exposure, foreign rules), CloudFront's
 * additional metrics on a third when they are on. Each widget names its region: the edge's metrics
 * are in us-east-1, the guard's in the function's region, and one dashboard shows both (CloudWatch
 * User Guide, "Cross-Region dashboards"; body format: "Dashboard Body Structure and Syntax").
 */

/** Where the guard publishes its metrics: its function's region and its `Prefix` dimension. */
export interface GuardMetricsSource {
  readonly region: string;
  readonly prefixName: string;
}

type Metric = (string | Record<string, string>)[];

interface Widget {
  readonly type: 'metric';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: { title: string; region: string; metrics: Metric[]; stat: string; period: number; view: 'timeSeries'; yAxis?: unknown };
}

const WIDTH = 8;
const HEIGHT = 6;

function widget(column: number, row: number, title: string, region: string, stat: string, metrics: Metric[]): Widget {
  return { type: 'metric', x: column * WIDTH, y: row * HEIGHT, width: WIDTH, height: HEIGHT, properties: { title, region, metrics, stat, period: 60, view: 'timeSeries' } };
}

/** The dashboard body as an object: widgets in rows of three, 8 x 6 grid units each. */
export function edgeDashboardBody(distributionId: string, additionalMetrics: boolean, guard?: GuardMetricsSource): { widgets: Widget[] } {
  const cf = (name: string, label?: string): Metric => [
    CLOUDFRONT_METRIC_NAMESPACE,
    name,
    'DistributionId',
    distributionId,
    'Region',
    CLOUDFRONT_METRIC_REGION_DIMENSION,
    ...(label ? [{ label }] : []),
  ];
  const region = CLOUDFRONT_METRIC_REGION;
  const widgets: Widget[] = [
    widget(0, 0, 'Viewer requests', region, 'Sum', [cf(CLOUDFRONT_METRICS.requests)]),
    widget(1, 0, 'Viewer error rates (%)', region, 'Average', [cf(CLOUDFRONT_METRICS.errorRate4xx, '4xx'), cf(CLOUDFRONT_METRICS.errorRate5xx, '5xx')]),
    widget(2, 0, 'Bytes to viewers', region, 'Sum', [cf(CLOUDFRONT_METRICS.bytesDownloaded)]),
  ];
  if (guard) {
    const g = (name: string, label: string): Metric => [METRIC_NAMESPACE, name, METRIC_DIMENSION, guard.prefixName, { label }];
    widgets.push(
      widget(0, 1, 'Guard runs', guard.region, 'Sum', [g(METRICS.succeeded, 'succeeded'), g(METRICS.refused, 'refused')]),
      widget(1, 1, 'Origin exposure (rules open to non-CloudFront sources)', guard.region, 'Maximum', [g(METRICS.originExposedRules, 'exposed rules')]),
      widget(2, 1, 'Foreign rules revoked from managed groups', guard.region, 'Sum', [g(METRICS.foreignRulesRevoked, 'revoked')]),
    );
  }
  if (additionalMetrics) {
    const row = guard ? 2 : 1;
    widgets.push(
      widget(0, row, 'Origin latency (ms, p90)', region, 'p90', [cf(CLOUDFRONT_METRICS.originLatency)]),
      widget(1, row, 'Origin errors by code (%)', region, 'Average', [
        cf(CLOUDFRONT_METRICS.errorRate502, '502'),
        cf(CLOUDFRONT_METRICS.errorRate503, '503'),
        cf(CLOUDFRONT_METRICS.errorRate504, '504'),
      ]),
      widget(2, row, 'Cache hit rate (%)', region, 'Average', [cf(CLOUDFRONT_METRICS.cacheHitRate)]),
    );
  }
  return { widgets };
}

export function renderEdgeDashboard(
  scope: Construct,
  o: { provider: TerraformProvider; distributionId: string; name: string; additionalMetrics: boolean; guard?: GuardMetricsSource },
): CloudwatchDashboard {
  return new CloudwatchDashboard(scope, 'dashboard', {
    provider: o.provider,
    // Dashboard names: up to 255 letters, digits, - and _ (PutDashboard).
    dashboardName: o.name.slice(0, 255),
    // The distribution id is a Terraform reference inside the string; Terraform fills it in at apply.
    dashboardBody: JSON.stringify(edgeDashboardBody(o.distributionId, o.additionalMetrics, o.guard)),
  });
}
