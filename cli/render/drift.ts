import { countTargets, type TargetReport } from '../drift/check';
import type { Output } from '../output';
import type { Rule } from '../../lambda-src/core/model';
import { describeRule, plural } from './rules';
import { describeExposure, type ExposedRule } from '../../lambda-src/core/exposure';
import type { ExtraReason } from '../drift/compare';
import { ingestChecksOf, type IngestCheck } from '../ingest/check';
import { exposureFix, findingLine } from './findings';
import { originLine } from '../status/origins';

/** Drift as text: a headline per target, then one row per finding. */

const MAX_ROWS = 50;

/** Each verdict of an extra rule, in words (core/verdicts defines them). */
const WHY: Record<ExtraReason, string> = {
  duplicate: 'also held by another managed group',
  withdrawn: 'no longer published by CloudFront',
  unselected: 'not in the selected services',
  'wrong-family': 'IPv6 is off',
  'cloudfront-subset': 'inside a CloudFront range, but not one the document grants',
  'foreign-cidr': 'a source CloudFront does not publish: added by hand?',
  'world-open': 'open to the world: added by hand?',
  'group-reference': 'a security-group reference: added by hand?',
  'prefix-list': "a prefix list other than CloudFront's: added by hand?",
  'other-port': 'not an origin port or protocol: added by hand?',
  egress: 'managed groups grant ingress only',
};

const EXPOSURE_WHY: Record<ExposedRule['kind'], string> = {
  'world-open': 'open to the world',
  'foreign-cidr': 'a source CloudFront does not publish',
  'group-reference': 'a security-group reference',
  'prefix-list': "a prefix list other than CloudFront's",
};

/** The fix for a missing ingest rule: open-ingest opens them on every guarded instance's own group. */
export const INGEST_FIX = "'cfguard open-ingest --apply' opens them";

/** The own groups searched, and with a secondary origin the instance they belong to. */
export function ingestWhere(check: IngestCheck, several: boolean): string {
  return `${check.groupIds.join(', ') || '(no own group)'}${several && check.instanceId ? ` on ${check.instanceId}` : ''}`;
}

function findingRows(report: Extract<TargetReport, { missing: unknown }>): string[][] {
  const rows: string[][] = [];
  // Never deployed (or removed): one finding, not a "missing" row per published range.
  if (report.managedGroups.length === 0 && report.missing.length > 0) {
    rows.push(['not deployed', report.vpcId, `${report.missing.length} rules`, "no managed group here: deploy the stack or run 'cfguard reconcile --apply'"]);
  }
  for (const r of report.managedGroups.length === 0 ? [] : report.missing) rows.push(['missing', '-', r.rule, 'published, but in no managed group']);
  for (const r of report.extra)
    rows.push([
      'extra',
      `${r.groupId} (${r.groupName})`,
      r.reason === 'egress' ? describeRule(r as unknown as Rule, 'egress') : r.rule,
      r.publishedBy ? `published as ${r.publishedBy.join(', ')}; ${WHY[r.reason]}` : WHY[r.reason],
    ]);
  // With a secondary origin each finding names the instance it is about.
  const several = report.origins !== undefined;
  for (const eni of report.interfaces) rows.push(['detached', several && eni.instanceId ? `${eni.eniId} (${eni.instanceId})` : eni.eniId, '-', `lacks ${eni.missingGroups.join(', ')}`]);
  for (const check of ingestChecksOf(report)) {
    const where = ingestWhere(check, several);
    for (const r of check.missing) rows.push(['ingest', where, r.rule, `missing on the ${check.role ?? 'instance'}'s own group (${INGEST_FIX})`]);
  }
  for (const e of report.exposure?.exposed ?? [])
    rows.push([
      'exposed',
      `${e.groupId}${e.groupName ? ` (${e.groupName})` : ''}${several && e.instanceIds ? ` on ${e.instanceIds.join(', ')}` : ''}`,
      e.rule,
      `${EXPOSURE_WHY[e.kind]}: the origin port is open beyond CloudFront (${exposureFix(e)})`,
    ]);
  return rows;
}

export function renderDrift(out: Output, reports: readonly TargetReport[]): void {
  for (const report of reports) {
    const where = `${report.name} (${report.region}${'vpcId' in report ? `, ${report.vpcId}` : ''})`;
    if (report.status === 'error') {
      // The message goes to stderr in the run's one error line; the report only names the failure.
      out.line(`${where}: ${out.paint('red', 'ERROR')} ${String(report.error.code)} (see the error line on stderr, or --json)`);
      continue;
    }
    const state = report.status === 'in-sync' ? out.paint('green', 'IN SYNC') : report.status === 'stale' ? out.paint('yellow', 'STALE DOCUMENT') : out.paint('red', 'DRIFT');
    const token = report.lastAppliedSyncToken ? ` (last applied ${report.lastAppliedSyncToken})` : '';
    out.line(`${where}: ${state}; ${plural(report.managedGroups.length, 'managed group')}, ${report.rulesInPlace}/${report.rulesExpected} rules in place for syncToken ${report.syncToken}${token}`);
    const rows = findingRows(report);
    if (rows.length > 0) {
      out.table(['FINDING', 'WHERE', 'RULE', 'WHY'], rows.slice(0, MAX_ROWS), (row, column) =>
        column === 0 ? (row[0] === 'missing' || row[0] === 'ingest' || row[0] === 'not deployed' || row[0] === 'exposed' ? 'red' : 'yellow') : undefined,
      );
      if (rows.length > MAX_ROWS) out.line(`... and ${rows.length - MAX_ROWS} more findings (--json lists all)`);
    }
    for (const o of report.origins ?? []) out.line(`${report.name}: ${originLine(o)}`);
    for (const warning of report.warnings) out.warn(`${report.name}: ${findingLine(warning)}`);
    for (const w of report.exposure?.warnings ?? [])
      out.warn(`${report.name}: ${describeExposure(w, report.origins !== undefined)} is open to the world on a port that is not an origin port; close it if nobody needs it`);
  }
  if (reports.length > 1) {
    const c = countTargets(reports);
    const stale = c.stale > 0 ? `, ${c.stale} with a stale document` : '';
    out.line(`${c.targets} targets: ${c.inSync} in sync, ${c.drift} drifted${stale}, ${c.error} failed.`);
  }
}
