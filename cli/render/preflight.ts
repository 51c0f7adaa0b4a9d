import type { Finding, QuotaReading } from '../../lambda-src/core/preflight';
import type { Output } from '../output';

interface FoundInstance {
  readonly instanceId: string;
  readonly vpcId: string;
  readonly enis: readonly { readonly eniId: string; readonly groupIds: readonly string[] }[];
}

/** The preflight's one document (`--json`), and its text form: one row per check, then each finding. */
export interface PreflightDocument {
  readonly status: 'ready' | 'blocked';
  readonly account: { readonly account: string; readonly arn: string };
  readonly region: { readonly name: string; readonly optIn: boolean; readonly status: string };
  readonly functionRegion: string;
  readonly originShieldRegion: string | null;
  readonly instance: FoundInstance | null;
  /** With `secondaryOrigin`: the secondary instance (null: not found). */
  readonly secondaryInstance?: FoundInstance | null;
  /** With `secondaryOrigin`: the region's Elastic IPs and how many the deploy allocates. */
  readonly elasticIps?: { readonly quota: QuotaReading; readonly allocated: number; readonly needed: number };
  readonly quotas: { readonly rulesPerGroup: QuotaReading; readonly groupsPerInterface: QuotaReading; readonly settings: { readonly rulesPerGroup: number; readonly groupsPerInterface: number } };
  readonly rules: number;
  readonly groupsNeeded: number;
  readonly ownGroups: number;
  readonly lambda: { readonly concurrentExecutions: number; readonly unreservedConcurrentExecutions: number; readonly reservedConcurrency: number | null } | null;
  readonly findings: readonly Finding[];
  readonly notes: readonly string[];
}

function instanceText(i: FoundInstance | null): string {
  return i ? `${i.instanceId} in ${i.vpcId}, ${i.enis.length} interface(s)` : '(not found)';
}

function quota(q: QuotaReading): string {
  return q.source === 'account' ? `${q.value} (account)` : `${q.value} (AWS default: ${q.reason ?? 'unread'})`;
}

export function renderPreflight(out: Output, d: PreflightDocument): void {
  const failed = new Set(d.findings.map((f) => f.check));
  const mark = (...checks: string[]) => (checks.some((c) => failed.has(c)) ? 'FIX' : 'ok');
  const q = d.quotas;
  out.table(
    ['CHECK', 'VALUE', 'RESULT'],
    [
      ['caller', `${d.account.arn} (account ${d.account.account})`, 'ok'],
      ['region', `${d.region.name} (${d.region.optIn ? `opt-in, ${d.region.status}` : 'default'})`, mark('region-not-enabled')],
      ['function region', d.functionRegion, 'ok'],
      ['origin shield region', d.originShieldRegion ?? '(not in the table)', mark('origin-shield-region')],
      ['instance', instanceText(d.instance), mark('instance-not-found', 'region-not-enabled')],
      ...(d.secondaryInstance !== undefined ? [['secondary instance', instanceText(d.secondaryInstance), mark('region-not-enabled') === 'FIX' || d.secondaryInstance === null ? 'FIX' : 'ok']] : []),
      ...(d.elasticIps ? [['elastic IPs', `${d.elasticIps.allocated} allocated + ${d.elasticIps.needed} to allocate, quota ${quota(d.elasticIps.quota)}`, mark('elastic-ips')]] : []),
      ['rules per group', `setting ${q.settings.rulesPerGroup}, quota ${quota(q.rulesPerGroup)}`, mark('rules-per-group')],
      ['groups per interface', `setting ${q.settings.groupsPerInterface}, quota ${quota(q.groupsPerInterface)}`, mark('groups-per-interface')],
      ['groups needed', `${d.rules} rules -> ${d.groupsNeeded} managed + ${d.ownGroups} own`, mark('groups-fit')],
      ...(d.lambda
        ? [
            [
              'lambda concurrency',
              `${d.lambda.concurrentExecutions} (${d.lambda.unreservedConcurrentExecutions} unreserved), reserve ${d.lambda.reservedConcurrency ?? 'none'}`,
              mark('lambda-concurrency'),
            ],
          ]
        : []),
    ],
    (row, column) => (column === 2 ? (row[2] === 'ok' ? 'green' : 'red') : undefined),
  );
  for (const note of d.notes) out.line(`note: ${note}`);
  for (const f of d.findings) out.line(`${out.paint('red', 'fix')} ${f.check}: ${f.message}`);
  out.line(d.status === 'ready' ? out.paint('green', 'Ready to deploy.') : out.paint('red', `Not ready: ${d.findings.length} finding(s) above.`));
}
