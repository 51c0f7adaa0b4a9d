/** The handler's real result line carries valid CloudWatch Embedded Metric Format. */
import { METRICS, METRIC_DIMENSION, METRIC_NAMESPACE } from '../../lambda-src/core/metrics';
import { loadBundledHandler, invoke } from '../support/lambda-harness';
import { type Origin, customDocument, originFacingV4, realEvent, snsEvent, startOrigin } from '../support/origin-fixture';
import { MANIFEST } from '../../emulator/shared-data';

const handler = loadBundledHandler();

/** Checks the EMF specification's rules for one log line; returns the problems. */
function emfProblems(line: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const aws = line._aws as { Timestamp?: unknown; CloudWatchMetrics?: { Namespace?: unknown; Dimensions?: unknown; Metrics?: { Name?: unknown; Unit?: unknown }[] }[] } | undefined;
  if (!aws) return ['no _aws block'];
  if (typeof aws.Timestamp !== 'number' || !Number.isInteger(aws.Timestamp)) problems.push('Timestamp must be epoch milliseconds');
  for (const directive of aws.CloudWatchMetrics ?? []) {
    if (typeof directive.Namespace !== 'string' || directive.Namespace.length === 0) problems.push('Namespace must be a non-empty string');
    const dims = directive.Dimensions as string[][];
    if (!Array.isArray(dims) || dims.some((set) => !Array.isArray(set) || set.length > 30)) problems.push('Dimensions must be arrays of at most 30 names');
    for (const name of dims.flat()) if (typeof line[name] !== 'string') problems.push(`dimension ${name} must be a string member of the line`);
    if (!directive.Metrics?.length || directive.Metrics.length > 100) problems.push('1..100 metrics per directive');
    for (const m of directive.Metrics ?? []) {
      if (typeof m.Name !== 'string') problems.push('metric Name must be a string');
      else if (typeof line[m.Name] !== 'number') problems.push(`metric ${m.Name} must be a number member of the line`);
      if (m.Unit !== undefined && m.Unit !== 'Count') problems.push(`unexpected unit ${String(m.Unit)}`);
    }
  }
  if (!aws.CloudWatchMetrics?.length) problems.push('no metric directive');
  return problems;
}

describe('EMF on the result line', () => {
  let origin: Origin;
  afterEach(async () => origin.close());

  test('a successful run reports its counts as metrics, in one namespace, dimensioned by the prefix', async () => {
    origin = await startOrigin();
    const run = await invoke(handler, realEvent(origin.server, MANIFEST[0].file), origin.env({ PREFIX_NAME: 'EDGE_A' }));
    const [line] = run.lines;
    expect(emfProblems(line)).toEqual([]);
    const directive = (line._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0];
    expect(directive.Namespace).toBe(METRIC_NAMESPACE);
    expect(directive.Dimensions).toEqual([[METRIC_DIMENSION]]);
    // OriginExposedRules is present only on runs that audit the interfaces (scheduled and direct), never a misleading 0
    expect(directive.Metrics.map((m) => m.Name).sort()).toEqual(
      Object.values(METRICS)
        .filter((n) => n !== METRICS.originExposedRules)
        .sort(),
    );
    expect(line).toMatchObject({ [METRIC_DIMENSION]: 'EDGE_A', ReconcileSucceeded: 1, ReconcileRefused: 0, RulesAdded: 45, RulesRevoked: 0, GroupsCreated: 1 });
    expect(line.rulesAdded).toBe(line.RulesAdded); // the same object serves logs, the CLI and tests
  });

  test('a run held by the blast-radius guard counts as refused', async () => {
    origin = await startOrigin();
    await invoke(handler, realEvent(origin.server, MANIFEST[0].file), origin.env());
    const body = customDocument(MANIFEST[0].file, '1783714100', originFacingV4(MANIFEST[0].file).slice(0, 5));
    origin.server.serve('custom-1.json', body);
    const run = await invoke(handler, snsEvent(origin.server.url('custom-1.json'), body, '1783714100'), origin.env());
    expect(emfProblems(run.lines[0])).toEqual([]);
    expect(run.lines[0]).toMatchObject({ ReconcileSucceeded: 1, ReconcileRefused: 1, RulesHeld: 40, heldBy: 'GUARD_REVOKE_FRACTION' });
  });

  test('a quota refusal is a failed, refused run; a crash-like failure is failed but not refused', async () => {
    origin = await startOrigin();
    const quota = await invoke(handler, realEvent(origin.server, MANIFEST[0].file), origin.env({ SERVICE: 'CLOUDFRONT', PORTS: '80,443' }));
    expect(emfProblems(quota.lines[0])).toEqual([]);
    expect(quota.lines[0]).toMatchObject({ ReconcileSucceeded: 0, ReconcileRefused: 1 });
    const topic = await invoke(handler, { nonsense: true }, origin.env());
    expect(topic.lines[0]).toMatchObject({ ReconcileSucceeded: 0, ReconcileRefused: 0, error: { code: 'EVENT_INVALID' } });
  });
});
