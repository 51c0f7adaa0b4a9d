import type { Plan, Step } from '../../lambda-src/core/model';
import type { ReconcileResult } from '../../lambda-src/aws/reconcile';
import type { Output } from '../output';
import { plural, someRules } from './rules';

/** The plan as text: one row per step, in the order they run (create, authorize, attach, revoke, tag). */

export function stepTarget(step: Step): string {
  switch (step.kind) {
    case 'createGroup':
      return step.ref;
    case 'attach':
      return step.eniId;
    case 'tagSyncToken':
      return step.groups.join(', ');
    case 'detach':
      return step.eniId;
    default:
      return step.group;
  }
}

export function stepDetail(step: Step): string {
  switch (step.kind) {
    case 'createGroup':
      return `name ${step.groupName}, tags ${Object.entries(step.tags).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    case 'attach':
      return `add ${step.added.join(', ')}`;
    case 'tagSyncToken':
      return `CFGUARD_SYNC_TOKEN=${step.syncToken}`;
    case 'detach':
      return `remove ${step.removed.join(', ')}`;
    case 'deleteGroup':
      return `name ${step.groupName}`;
    default:
      return `${plural(step.rules.length, 'rule')}: ${someRules(step.rules)}`;
  }
}

export function describeStep(step: Step): string {
  return `${step.kind} ${stepTarget(step)}: ${stepDetail(step)}`;
}

export function planSummary(plan: Plan): string {
  const s = plan.summary;
  return [
    `${plural(s.rulesAdded, 'rule')} to add`,
    `${s.rulesRevoked} to revoke`,
    ...(s.rulesHeld > 0 ? [`${s.rulesHeld} held`] : []),
    ...(s.rulesDeferred ? [`${s.rulesDeferred} deferred to a second pass`] : []),
    ...(s.rulesMoved ? [`${s.rulesMoved} to move`] : []),
    ...(s.groupsDeleted ? [`${plural(s.groupsDeleted, 'group')} to delete`] : []),
    `${plural(s.groupsCreated, 'group')} to create`,
    `${plural(s.enisChanged, 'interface')} to change`,
    `${s.rulesKept} kept`,
  ].join(', ');
}

/** Steps that take something away, in red on a TTY. */
const REMOVING: ReadonlySet<string> = new Set(['revoke', 'revokeEgress', 'detach', 'deleteGroup']);

export function renderPlan(out: Output, plan: Plan): void {
  if (plan.steps.length > 0) {
    out.table(
      ['#', 'STEP', 'TARGET', 'DETAIL'],
      plan.steps.map((step, i) => [String(i + 1), step.kind, stepTarget(step), stepDetail(step)]),
      (row, column) => (column === 1 ? (REMOVING.has(row[1]) ? 'red' : 'green') : undefined),
    );
  }
  for (const held of plan.held) out.line(out.paint('yellow', `held (${plan.heldBy}): revoke from ${held.group}: ${someRules(held.rules)}`));
  if (plan.deferred) out.line(out.paint('yellow', `deferred until the revocations free slots: add ${someRules(plan.deferred)}`));
  for (const warning of plan.warnings) out.warn(warning);
}

export function renderReconcile(out: Output, result: ReconcileResult, apply: boolean): void {
  const plan = result.plan;
  const head = `syncToken ${result.syncToken} in ${result.vpcId}`;
  if (result.outcome === 'in-sync') {
    out.line(out.paint('green', `In sync: ${head}; ${plan.summary.rulesKept} rules in place, nothing to do.`));
    return;
  }
  if (result.outcome === 'stale') {
    out.line(`Nothing to do: ${head}; ${plan.warnings.join('; ')}`);
    return;
  }
  out.line(`${apply ? 'Applied' : 'Plan'} for ${head}: ${planSummary(plan)}.`);
  renderPlan(out, plan);
  if (result.outcome === 'planned' && plan.heldBy) out.line(out.paint('yellow', `Changes pending, revocations held by ${plan.heldBy}: review them, then run 'cfguard reconcile --apply --force' (--apply alone makes only the additions).`));
  else if (result.outcome === 'planned') out.line(out.paint('yellow', "Changes pending: run 'cfguard reconcile --apply' to make them."));
  else if (result.outcome === 'held') out.line(out.paint('yellow', "Applied, but revocations were held by the blast-radius guard: review them, then run 'cfguard reconcile --apply --force'."));
  else out.line(out.paint('green', `Applied in ${result.apiCalls.writes} write call(s).`));
}
