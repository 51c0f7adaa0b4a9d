import { assessForPlan, planReconcile, type PlanInput } from '../../lambda-src/core/plan';
import type { StatusArgs } from '../commands/status';
import { ec2For, prepare } from '../context';
import type { CliIo } from '../output';
import { documentFacts, loadDesired } from '../ranges-source';
import { renderExposure, renderIngest, renderStatus } from '../render/status';
import { statusReport } from '../status/report';
import { ingestCheck, ingestRulesToCheck } from '../ingest/check';
import { ownGroupIdsOf } from '../../lambda-src/core/ownership';
import { readGuardedState } from '../status/read';

/**
 * Read-only. Exit codes as `drift`, from the one verdict both use (cli/status/verdict): 0 in sync (or
 * a stale document), 2 a plan is pending or an exposure or a missing ingest rule needs attention, 1 error.
 * One read of the state, one assessment, the planner's own plan from it: status cannot disagree with `reconcile`.
 */
export async function runStatus(argv: StatusArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io);
  const { out, settings } = ctx;
  const { loaded, desired } = await loadDesired(argv.ipRanges, settings, out, io);
  const ec2 = await ec2For(ctx);
  out.progress(`reading the groups tagged PREFIX_NAME=${settings.prefixName} in ${settings.region}`);
  // drift's read and ingest check (cli/status/read), so status cannot see another world than drift.
  const { instanceIds, actual, instance, ingest: ingestRead } = await readGuardedState(ec2, settings, ingestRulesToCheck(argv, ctx.loaded?.config, settings));
  const input: PlanInput = { desired, actual, settings, protectedGroupIds: ownGroupIdsOf(settings), now: Date.now() };
  // The ingestRules setting (--ingest-rules, the config's ingest.rules, the stack's default), as the Lambda's INGEST_RULES.
  const assessment = assessForPlan(input, { expectedIngest: settings.ingestRules, ...(instance ? { instance } : {}) });
  const plan = planReconcile(input, assessment);
  const ingest = ingestRead?.map(ingestCheck);
  const report = statusReport({
    actual,
    assessment,
    plan,
    ports: settings.ports,
    prefixName: settings.prefixName,
    instanceId: settings.instanceId,
    instanceIds,
    ...(ingest ? { ingest } : {}),
  });
  const exposure = assessment.exposure;
  if (out.json) {
    const { status, exitCode, ...rest } = report;
    out.document({ command: 'status', status, exitCode, document: documentFacts(loaded), ...rest, ...(exposure ? { exposure } : {}) });
  } else {
    renderStatus(out, report);
    renderExposure(out, exposure);
    renderIngest(out, report);
  }
  return report.exitCode;
}
