/**
 * The alarms watch exactly what the handler emits: the names come from one table
 * (lambda-src/metrics.ts), and the shipped bundle's real result line, captured from a run against
 * the EC2 emulator, declares those names under that namespace and dimension, for the same prefix.
 */
import type { Construct } from 'constructs';
import { OriginIpRangeGuard } from '../../constructs/origin-ip-range-guard';
import { METRICS, METRIC_DIMENSION, METRIC_NAMESPACE } from '../../lambda-src/core/metrics';
import { GUARD_BUNDLE, usEast1 } from '../support/app-fixtures';
import { synth } from '../support/construct-synth';
import { invoke, loadBundledHandler } from '../support/lambda-harness';
import { type Origin, startOrigin } from '../support/origin-fixture';
import { MANIFEST } from '../../emulator/shared-data';

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string }[];
}

const PREFIX = 'EDGE_GUARD';
const build = (scope: Construct) =>
  new OriginIpRangeGuard(scope, 'guard', { usEast1Provider: usEast1(scope), bundlePath: GUARD_BUNDLE, settings: { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', prefixName: PREFIX } });
const s = synth(build);
const ownAlarms = () => Object.values(s.resources('aws_cloudwatch_metric_alarm')).filter((a) => a.namespace !== 'AWS/Lambda');

test('the alarms on our namespace use the names and the dimension of the metrics table', () => {
  expect(
    ownAlarms()
      .map((a) => a.metric_name)
      .sort(),
  ).toEqual([METRICS.refused, METRICS.succeeded, METRICS.foreignRulesRevoked, METRICS.originExposedRules].sort());
  for (const alarm of ownAlarms()) {
    expect(alarm.namespace).toBe(METRIC_NAMESPACE);
    expect(alarm.dimensions).toEqual({ [METRIC_DIMENSION]: PREFIX });
  }
});

describe("the handler's real result line", () => {
  let origin: Origin;
  afterEach(async () => origin.close());

  test('declares, under the same namespace and dimension, every metric the alarms reference, valued for the same prefix', async () => {
    origin = await startOrigin();
    // The deployed function's environment names the prefix; the run gets it exactly as Lambda would.
    const prefixEnv = s.only('aws_lambda_function').environment.variables.PREFIX_NAME;
    expect(prefixEnv).toBe(PREFIX);
    // A direct run: it audits the interfaces, so its line carries OriginExposedRules too (SNS runs skip the audit).
    const direct = { source: 'cfguard', action: 'reconcile', url: origin.server.url(MANIFEST[0].file) };
    const run = await invoke(loadBundledHandler(), direct, origin.env({ PREFIX_NAME: prefixEnv }));
    expect(run.error).toBeUndefined();
    const [line] = run.lines;
    const directives = (line._aws as { CloudWatchMetrics: Directive[] }).CloudWatchMetrics;
    for (const alarm of ownAlarms()) {
      const directive = directives.find((d) => d.Namespace === alarm.namespace && d.Metrics.some((m) => m.Name === alarm.metric_name));
      expect(directive).toBeDefined();
      // EMF publishes a metric under each dimension set; the alarm's dimensions must be exactly one of them.
      expect(directive!.Dimensions).toContainEqual(Object.keys(alarm.dimensions));
      for (const [name, value] of Object.entries(alarm.dimensions)) expect(line[name]).toBe(value);
      expect(typeof line[alarm.metric_name]).toBe('number');
    }
    expect(line[METRICS.succeeded]).toBe(1);
    expect(line[METRICS.refused]).toBe(0);
  });
});
