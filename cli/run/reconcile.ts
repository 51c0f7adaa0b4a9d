import { reconcileToNewest, type ReconcileResult } from '../../lambda-src/aws/reconcile';
import type { ReconcileArgs } from '../commands/reconcile';
import { ec2For, prepare } from '../context';
import { EXIT_CHANGES, EXIT_OK, type ExitCode } from '../exit-codes';
import type { CliIo } from '../output';
import { documentFacts, loadDesired } from '../ranges-source';
import { applyProgress, renderReconcile, resolvePlan } from '../render/plan';
import type { Step } from '../../lambda-src/core/model';

/**
 * Pending changes (a plan not applied), held revocations, a run superseded by a newer document and a
 * tagged group left untouched (FOREIGN_GROUP_TAGGED) are exit 2; in sync, stale and applied are 0.
 */
export function reconcileExitCode(result: Pick<ReconcileResult, 'outcome'> & Partial<Pick<ReconcileResult, 'refusedGroups'>>): ExitCode {
  if ((result.refusedGroups?.length ?? 0) > 0) return EXIT_CHANGES;
  return result.outcome === 'planned' || result.outcome === 'held' || result.outcome === 'superseded' ? EXIT_CHANGES : EXIT_OK;
}

export async function runReconcile(argv: ReconcileArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io);
  const { out, settings } = ctx;
  const { loaded, desired } = await loadDesired(argv.ipRanges, settings, out, io);
  const ec2 = await ec2For(ctx);
  out.progress(argv.apply ? `reconciling ${settings.region}${argv.force ? ' (forced)' : ''}` : `planning ${settings.region} (read-only; --apply makes the changes)`);
  const done: Step[] = [];
  const created: Record<string, string> = {};
  const progress = applyProgress(out, done);
  const { result } = await reconcileToNewest(
    {
      ec2,
      settings,
      desired,
      apply: argv.apply,
      force: argv.force,
      onStep: (step, i, ids) => {
        Object.assign(created, ids);
        progress(step, i, ids);
      },
    },
    // Overtaken by a newer document: reconcile again with what the source serves now (the handler does the same).
    async () => (await loadDesired(argv.ipRanges, settings, out, io)).desired,
  );
  const exitCode = reconcileExitCode(result);
  if (out.json) {
    // After --apply the groups have ids: the document names them, never `new:<name>`.
    const shown = { ...result, plan: resolvePlan(result.plan, created) };
    out.document({
      command: 'reconcile',
      status: result.outcome,
      exitCode,
      apply: argv.apply,
      force: argv.force,
      document: documentFacts(loaded),
      settings,
      result: shown,
      ...(argv.apply ? { done } : {}),
    });
  } else {
    renderReconcile(out, result, argv.apply);
  }
  return exitCode;
}
