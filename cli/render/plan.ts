import type { Plan, Step } from '../../lambda-src/core/model';
import type { ReconcileResult } from '../../lambda-src/aws/reconcile';
import { findingLine } from './findings';
import type { Output } from '../output';
import { plural, someRules } from './rules';

/** The plan as text: one row per step, in the order they run (create, authorize, attach, revoke, tag). */

/** What a step acts on and what it does there: the plan's TARGET and DETAIL columns. */
export function stepCells(step: Step): [target: string, detail: string] {
  switch (step.kind) {
    case 'createGroup':
      return [
        step.ref,
        `name ${step.groupName}, tags ${Object.entries(step.tags)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      ];
    case 'attach':
      return [step.eniId, `add ${step.added.join(', ')}`];
    case 'detach':
      return [step.eniId, `remove ${step.removed.join(', ')}`];
    case 'tagSyncToken':
      return [step.groups.join(', '), `CFGUARD_SYNC_TOKEN=${step.syncToken}`];
    case 'deleteGroup':
      return [step.group, `name ${step.groupName}`];
    case 'revokeEgress':
      return [step.group, `${plural(step.rules.length, 'outbound rule')}: ${someRules(step.rules, 3, 'egress')}`];
    default:
      return [step.group, `${plural(step.rules.length, 'rule')}: ${someRules(step.rules)}`];
  }
}

/** The step with every `new:<name>` it names replaced by the id EC2 gave that group, once known. */
export function resolveStep(step: Step, created: Readonly<Record<string, string>>): Step {
  const id = (ref: string) => created[ref] ?? ref;
  switch (step.kind) {
    case 'createGroup':
      return { ...step, ref: id(step.ref) };
    case 'attach':
      return { ...step, groupIds: step.groupIds.map(id), added: step.added.map(id) };
    case 'detach':
      return { ...step, groupIds: step.groupIds.map(id), removed: step.removed.map(id) };
    case 'tagSyncToken':
      return { ...step, groups: step.groups.map(id) };
    default:
      return { ...step, group: id(step.group) };
  }
}

export function resolvePlan(plan: Plan, created: Readonly<Record<string, string>>): Plan {
  if (Object.keys(created).length === 0) return plan;
  return { ...plan, steps: plan.steps.map((s) => resolveStep(s, created)), held: plan.held.map((h) => ({ ...h, group: created[h.group] ?? h.group })) };
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
      plan.steps.map((step, i) => [String(i + 1), step.kind, ...stepCells(step)]),
      (row, column) => (column === 1 ? (REMOVING.has(row[1]) ? 'red' : 'green') : undefined),
    );
  }
  for (const held of plan.held) out.line(out.paint('yellow', `held (${plan.heldBy}): revoke from ${held.group}: ${someRules(held.rules)}`));
  if (plan.deferred) out.line(out.paint('yellow', `deferred until the revocations free slots: add ${someRules(plan.deferred)}`));
  for (const warning of plan.warnings) out.warn(findingLine(warning));
}

export function renderReconcile(out: Output, result: ReconcileResult, apply: boolean): void {
  const plan = result.plan;
  const head = `syncToken ${result.syncToken} in ${result.vpcId}`;
  if (result.outcome === 'in-sync') {
    out.line(out.paint('green', `In sync: ${head}; ${plan.summary.rulesKept} rules in place, nothing to do.`));
    return;
  }
  if (result.outcome === 'stale') {
    out.line(`Refused: ${head}; ${plan.warnings.map(findingLine).join('; ')}`);
    return;
  }
  if (result.outcome === 'superseded') {
    out.line(out.paint('yellow', `Superseded: ${head}; document ${result.supersededBy} was applied meanwhile, so this run stopped before its next write. Run again with the current document.`));
    return;
  }
  if (!apply || !result.applied) {
    out.line(`Plan for ${head}: ${planSummary(plan)}.`);
    renderPlan(out, plan);
    if (plan.heldBy)
      out.line(out.paint('yellow', `Changes pending, revocations held by ${plan.heldBy}: review them, then run 'cfguard reconcile --apply --force' (--apply alone makes only the additions).`));
    else out.line(out.paint('yellow', "Changes pending: run 'cfguard reconcile --apply' to make them."));
    return;
  }
  // The steps were printed as they were made (applyProgress); what is left is the outcome.
  for (const held of plan.held) out.line(out.paint('yellow', `held (${plan.heldBy}): revoke from ${held.group}: ${someRules(held.rules)}`));
  // The result's warnings, not the first plan's: what a later pass did is no longer pending.
  for (const warning of result.warnings) out.warn(findingLine(warning));
  out.line(out.paint('green', `Apply complete! ${appliedSummary(result)}`));
  if (result.outcome === 'held')
    out.line(out.paint('yellow', `${plural(result.rulesHeld, 'revocation')} held by the blast-radius guard (MAX_REVOKE_FRACTION): review them, then run 'cfguard reconcile --apply --force'.`));
}

/** Terraform's "Apply complete! Resources: …", in the guard's units, counted over every pass. */
export function appliedSummary(r: Pick<ReconcileResult, 'rulesAdded' | 'rulesRevoked' | 'groupsCreated' | 'enisChanged' | 'apiCalls' | 'groupsDeleted' | 'rulesMoved'>): string {
  const moved = r.rulesMoved ? `, ${r.rulesMoved} moved by compaction` : '';
  return `Rules: ${r.rulesAdded} added, ${r.rulesRevoked} revoked${moved}. Groups: ${r.groupsCreated} created, ${r.groupsDeleted ?? 0} deleted. Interfaces: ${r.enisChanged} changed. (${plural(r.apiCalls.writes, 'write call')})`;
}

/** Each step once, as it is made, with real group ids: stdout in text mode, stderr progress with --json. */
export function applyProgress(out: Output, done: Step[]): (step: Step, index: number, created: Readonly<Record<string, string>>) => void {
  return (step, _index, created) => {
    const resolved = resolveStep(step, created);
    done.push(resolved);
    const n = String(done.length);
    const [target, detail] = stepCells(resolved);
    if (out.json) out.progress(`step ${n}: ${resolved.kind} ${target}: ${detail}`);
    else out.row([n, resolved.kind, target, detail], REMOVING.has(resolved.kind) ? 'red' : 'green', 1);
  };
}
