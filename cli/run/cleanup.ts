import { GuardError, isGuardError } from '../../lambda-src/core/errors';
import { teardown, type TeardownResult } from '../../lambda-src/aws/teardown-run';
import type { CleanupArgs } from '../commands/cleanup';
import type { Ec2Shell } from '../../lambda-src/aws/security-group-manager';
import { describeInstance } from '../../lambda-src/aws/ec2-reads';
import { readManagedGroups } from '../../lambda-src/aws/ec2-state';
import { assertNoCutOff, cloudfrontCutOffs } from '../cleanup/cloudfront-paths';
import { ec2For, prepare, type RunContext } from '../context';
import { EXIT_CHANGES, EXIT_OK, type ExitCode } from '../exit-codes';
import type { CliIo } from '../output';
import { renderCleanup } from '../render/cleanup';
import { applyProgress } from '../render/plan';

/**
 * Something would be removed (a plan not applied) is exit 2, and so is a tagged group left in place
 * (not the guard's, or on another instance's interface: someone must look); else 0.
 */
export function cleanupExitCode(result: Pick<TeardownResult, 'outcome'> & Partial<Pick<TeardownResult, 'refusedGroups'>>): ExitCode {
  return result.outcome === 'planned' || (result.refusedGroups?.length ?? 0) > 0 ? EXIT_CHANGES : EXIT_OK;
}

/** The groups and interfaces a teardown plan touches, read off its steps for the JSON and the text. */
export function cleanupTargets(result: Pick<TeardownResult, 'plan'>) {
  const detaches = result.plan.steps.flatMap((s) => (s.kind === 'detach' ? [s] : []));
  const groups = result.plan.steps.flatMap((s) =>
    s.kind === 'deleteGroup' ? [{ groupId: s.group, groupName: s.groupName, enis: detaches.filter((d) => d.removed.includes(s.group)).map((d) => d.eniId) }] : [],
  );
  const interfaces = detaches.map((d) => ({ eniId: d.eniId, removed: d.removed, kept: d.groupIds }));
  return { groups, interfaces };
}

/** Reads the teardown plan and the groups it leaves on each interface; throws CLEANUP_WOULD_CUT_CLOUDFRONT before any write. */
async function refuseCuttingCloudFront(ctx: RunContext, ec2: Ec2Shell): Promise<void> {
  const { settings } = ctx;
  const planned = await teardown({ ec2, settings, apply: false });
  if (planned.outcome === 'in-sync') return;
  const keptIds = [...new Set(planned.plan.steps.flatMap((s) => (s.kind === 'detach' ? s.groupIds : [])))];
  const [managed, kept] = await Promise.all([readManagedGroups(ec2, settings.prefixName, planned.vpcId), keptIds.length > 0 ? ec2.readGroups({ groupIds: keptIds }) : Promise.resolve([])]);
  const instanceEnis = settings.instanceId ? new Set((await describeInstance(ec2, settings.instanceId)).enis.map((e) => e.eniId)) : undefined;
  assertNoCutOff(cloudfrontCutOffs({ plan: planned.plan, managed, kept, instanceEnis }), settings.prefixName);
}

export async function runCleanup(argv: CleanupArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io);
  const { out, settings } = ctx;
  const ec2 = await ec2For(ctx);
  const what = `the groups tagged PREFIX_NAME=${settings.prefixName} in ${settings.region}`;
  out.progress(argv.apply ? `removing ${what}` : `planning the removal of ${what} (read-only; --apply removes them)`);
  if (argv.apply && !argv.force) await refuseCuttingCloudFront(ctx, ec2);
  let result: TeardownResult;
  try {
    result = await teardown({ ec2, settings, apply: argv.apply, onStep: applyProgress(out, []) });
  } catch (e) {
    // A write that failed part-way leaves a state the next run plans from: say so, keep the code.
    if (argv.apply && isGuardError(e) && e.kind === 'external') {
      const hinted = new GuardError(e.code, `${e.message}; the steps already made are kept: run 'cfguard cleanup --apply' again to finish`, e.kind, e.details);
      hinted.stack = e.stack; // --debug shows where the write failed, not where the hint was added
      throw hinted;
    }
    throw e;
  }
  const exitCode = cleanupExitCode(result);
  const { groups, interfaces } = cleanupTargets(result);
  if (out.json) {
    const refused = result.refusedGroups.length > 0 ? { refusedGroups: result.refusedGroups } : {};
    out.document({ command: 'cleanup', status: result.outcome, exitCode, apply: argv.apply, prefixName: settings.prefixName, vpcId: result.vpcId, groups, interfaces, ...refused, result });
  } else {
    renderCleanup(out, { result, groups, interfaces, prefixName: settings.prefixName });
  }
  return exitCode;
}
