import { GuardError, isGuardError } from '../../lambda-src/core/errors';
import { teardown, type TeardownResult } from '../../lambda-src/aws/teardown-run';
import type { CleanupArgs } from '../commands/cleanup';
import type { Ec2Shell } from '../../lambda-src/aws/security-group-manager';
import { describeInstance } from '../../lambda-src/aws/ec2-reads';
import { readManagedGroups } from '../../lambda-src/aws/ec2-state';
import { guardedInstanceList } from '../../lambda-src/core/ownership';
import { assertNoCutOff, cloudfrontCutOffs, type CutOff } from '../cleanup/cloudfront-paths';
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

/** The (interface, port) pairs a teardown plan would leave without a path from CloudFront: what CLEANUP_WOULD_CUT_CLOUDFRONT refuses. */
async function cutOffsOf(ctx: RunContext, ec2: Ec2Shell, planned: TeardownResult): Promise<CutOff[]> {
  const { settings } = ctx;
  if (planned.outcome === 'in-sync') return [];
  const keptIds = [...new Set(planned.plan.steps.flatMap((s) => (s.kind === 'detach' ? s.groupIds : [])))];
  const [managed, kept] = await Promise.all([readManagedGroups(ec2, settings.prefixName, planned.vpcId), keptIds.length > 0 ? ec2.readGroups({ groupIds: keptIds }) : Promise.resolve([])]);
  // Every guarded instance's interfaces (the secondary origin's too) must keep a path from CloudFront.
  const instanceIds = guardedInstanceList(settings);
  const instanceEnis = instanceIds.length > 0 ? new Set((await Promise.all(instanceIds.map((id) => describeInstance(ec2, id)))).flatMap((i) => i.enis.map((e) => e.eniId))) : undefined;
  return cloudfrontCutOffs({ plan: planned.plan, managed, kept, instanceEnis });
}

export async function runCleanup(argv: CleanupArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io);
  const { out, settings } = ctx;
  const ec2 = await ec2For(ctx);
  const what = `the groups tagged PREFIX_NAME=${settings.prefixName} in ${settings.region}`;
  out.progress(argv.apply ? `removing ${what}` : `planning the removal of ${what} (read-only; --apply removes them)`);
  // Checked before any write when applying; predicted on a plan, so the plan never advises a command that would be refused.
  if (argv.apply && !argv.force) assertNoCutOff(await cutOffsOf(ctx, ec2, await teardown({ ec2, settings, apply: false })), settings.prefixName);
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
  const cutOffs = !argv.apply && !argv.force ? await cutOffsOf(ctx, ec2, result) : [];
  const wouldRefuse = cutOffs.length > 0 ? { wouldRefuse: { code: 'CLEANUP_WOULD_CUT_CLOUDFRONT', cutOffs } } : {};
  if (out.json) {
    const refused = result.refusedGroups.length > 0 ? { refusedGroups: result.refusedGroups } : {};
    out.document({
      command: 'cleanup',
      status: result.outcome,
      exitCode,
      apply: argv.apply,
      prefixName: settings.prefixName,
      vpcId: result.vpcId,
      groups,
      interfaces,
      ...refused,
      ...wouldRefuse,
      result,
    });
  } else {
    renderCleanup(out, { result, groups, interfaces, prefixName: settings.prefixName, cutOffs });
  }
  return exitCode;
}
