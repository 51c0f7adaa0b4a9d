import { auditsSeveralInstances, describeExposure, type ExposureReport } from '../../lambda-src/core/exposure';
import { originLine } from '../status/origins';
import type { Output } from '../output';
import { exposureFix, findingLine } from './findings';
import type { PortCount, StatusReport } from '../status/report';
import { ingestWhere, INGEST_FIX } from './drift';
import { ingestChecksOf } from '../ingest/check';
import { planSummary } from './plan';
import { plural, someRules } from './rules';

/** Status as text: a headline, one row per managed group, the syncTokens, then the pending plan in one line. */

export function portCounts(rules: readonly PortCount[]): string {
  return rules.map((r) => `${r.port} v4 ${r.v4}, v6 ${r.v6}`).join('; ');
}

const TOKEN_STATE: Record<StatusReport['syncToken']['state'], string> = {
  current: 'current',
  behind: 'behind: the rules do not match it yet',
  ahead: 'ahead: the document given is older than the one applied',
  'never-applied': 'never applied: there are no managed groups',
};

/** The headline word of each verdict (cli/status/verdict), and its colour. */
const STATE: Record<StatusReport['status'], ['green' | 'yellow' | 'red', string]> = {
  'in-sync': ['green', 'IN SYNC'],
  pending: ['yellow', 'PENDING'],
  attention: ['red', 'ATTENTION'],
  stale: ['yellow', 'STALE DOCUMENT'],
};

/** The flag that makes a pending plan happen: held revocations need --force, whatever else is pending. */
export function applyHint(plan: Pick<StatusReport['pending']['plan'], 'heldBy'>): string {
  return plan.heldBy ? `only --apply --force makes it (revocations are held by ${plan.heldBy}: review them first)` : '--apply makes it';
}

export function renderStatus(out: Output, r: StatusReport): void {
  const state = out.paint(STATE[r.status][0], STATE[r.status][1]);
  const instance = r.origins ? `, instances ${r.origins.map((o) => `${o.instanceId} (${o.role})`).join(', ')}` : r.instanceId ? `, instance ${r.instanceId}` : '';
  out.line(`PREFIX_NAME=${r.prefixName} in ${r.vpcId}${instance}: ${state}; ${plural(r.managedGroups.length, 'managed group')}`);
  if (r.managedGroups.length > 0) {
    out.table(
      ['GROUP', 'NAME', 'SYNCTOKEN', 'RULES', 'ENIS'],
      r.managedGroups.map((g) => [g.groupId, g.groupName, g.syncToken ?? '-', portCounts(g.rules), g.enis.join(', ') || '(none)']),
      (row, column) => (column === 4 && row[4] === '(none)' ? 'yellow' : undefined),
    );
  }
  for (const o of r.origins ?? []) out.line(out.paint(o.locked ? 'green' : 'red', originLine(o)));
  const t = r.syncToken;
  out.line(`syncToken: last applied ${t.lastApplied ?? '-'}, published ${t.published} (${TOKEN_STATE[t.state]})`);
  const p = r.pending;
  if (p.outcome === 'in-sync') out.line(out.paint('green', `Plan: nothing to do; ${p.summary.rulesKept} rules in place.`));
  else if (p.outcome === 'stale') out.line(`Plan: nothing to do for an older document.`);
  else if (p.plan.compaction && r.status === 'in-sync') {
    // In sync for status and drift alike (cli/status/verdict): the steps only move rules into fewer groups.
    out.line(`Plan: a compaction, which changes no access: ${plural(p.steps, 'step')} (${planSummary(p.plan)}). 'cfguard reconcile' shows it, ${applyHint(p.plan)}.`);
  } else {
    out.line(out.paint('yellow', `Plan pending: ${plural(p.steps, 'step')} (${planSummary(p.plan)}). 'cfguard reconcile' shows it, ${applyHint(p.plan)}.`));
    for (const held of p.plan.held) out.line(out.paint('yellow', `held (${p.heldBy}): revoke from ${held.group}: ${someRules(held.rules)}`));
  }
  for (const w of r.warnings) out.warn(findingLine(w));
}

/** The exposure audit's findings under the status: the lock proven, or the hole named. */
export function renderExposure(out: Output, exposure: ExposureReport | undefined): void {
  if (!exposure) return;
  const several = auditsSeveralInstances(exposure);
  const of = several ? ` (${exposure.instancesAudited!.join(', ')})` : '';
  if (exposure.exposed.length === 0) out.line(out.paint('green', `Exposure: none; the origin ports of ${exposure.enisAudited.join(', ')}${of} admit CloudFront's published ranges only.`));
  else
    out.line(
      out.paint(
        'red',
        `Exposure: ${exposure.exposed.length} rule(s) let other sources reach the origin ports: ${exposure.exposed.map((e) => `${describeExposure(e, several)}, ${exposureFix(e)}`).join('; ')}.`,
      ),
    );
  for (const w of exposure.warnings) out.warn(`${describeExposure(w, several)} is open to the world on a port that is not an origin port`);
}

/** drift's ingest check under the status: each own group's missing rules with the fix, or the rules found. */
export function renderIngest(out: Output, r: Pick<StatusReport, 'ingest' | 'ingestByOrigin' | 'origins'>): void {
  for (const check of ingestChecksOf(r)) {
    const where = ingestWhere(check, r.origins !== undefined);
    if (check.missing.length === 0) out.line(out.paint('green', `Ingest: ${plural(check.expected.length, 'expected rule')} open on ${where}.`));
    else
      out.line(
        out.paint('red', `Ingest: ${check.missing.length} of ${plural(check.expected.length, 'expected rule')} missing on ${where}: ${check.missing.map((m) => m.rule).join(', ')}; ${INGEST_FIX}.`),
      );
  }
}
