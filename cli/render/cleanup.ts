import type { TeardownResult } from '../../lambda-src/aws/teardown-run';
import type { Output } from '../output';
import { renderPlan } from './plan';
import { plural } from './rules';

/** The teardown as text: what goes, the plan's steps in order, and what to run next. */

export interface CleanupView {
  readonly result: TeardownResult;
  readonly prefixName: string;
  readonly groups: ReadonlyArray<{ groupId: string; groupName: string; enis: readonly string[] }>;
  readonly interfaces: ReadonlyArray<{ eniId: string; removed: readonly string[]; kept: readonly string[] }>;
}

export function renderCleanup(out: Output, v: CleanupView): void {
  const { result } = v;
  const where = `PREFIX_NAME=${v.prefixName} in ${result.vpcId}`;
  // Tagged groups the cleanup may not touch (FOREIGN_GROUP_TAGGED, MANAGED_GROUP_ON_OTHER_INTERFACE), each with its fix; --force never overrides this.
  for (const w of result.plan.warnings) out.line(out.paint('yellow', `Left in place: ${w}`));
  if (result.outcome === 'in-sync') {
    out.line(out.paint('green', result.refusedGroups.length > 0 ? `Nothing the guard owns to clean up, ${where}.` : `Nothing to clean up: no group tagged ${where}.`));
    return;
  }
  const head = `${plural(v.groups.length, 'managed group')} (${result.plan.summary.rulesRevoked} rules) on ${plural(v.interfaces.length, 'interface')}`;
  if (result.applied) {
    // The steps were printed as they were made (applyProgress).
    out.line(
      out.paint(
        'green',
        `Cleanup complete! Groups: ${result.groupsDeleted} deleted (${result.plan.summary.rulesRevoked} rules), ${where}. Interfaces: ${result.enisChanged} changed; every other group stays. (${plural(result.apiCalls.writes, 'write call')})`,
      ),
    );
    return;
  }
  out.line(`Plan to remove ${head}, ${where}; every other group stays:`);
  renderPlan(out, result.plan);
  out.line(out.paint('yellow', "Changes pending: run 'cfguard cleanup --apply' to remove them."));
}
