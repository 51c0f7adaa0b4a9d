import type { Finding } from '../../lambda-src/core/findings';
import type { Output } from '../output';
import { findingLine } from './findings';

/** The import report as text: what was found, what the imports file now maps, what still needs --apply. */

export interface ImportView {
  readonly status: string;
  readonly apply: boolean;
  readonly vpcId: string;
  readonly prefixName: string;
  readonly managedGroups: ReadonlyArray<{ groupId: string; groupName: string; rules: number; attachedTo: string[] }>;
  readonly orphanedGroups: ReadonlyArray<{ groupId: string; groupName: string; rules: number; attachedTo: string[] }>;
  readonly adoptedGroups: ReadonlyArray<{ groupId: string; groupName: string; adopted: boolean }>;
  readonly notAdopted: ReadonlyArray<{ groupId: string; groupName: string; code: string }>;
  readonly otherPrefixGroups: ReadonlyArray<{ groupId: string; groupName: string; prefixName: string }>;
  readonly ownGroup: { groupId: string; groupName: string } | null;
  readonly elasticIp: { allocationId: string; publicIp: string; imported: boolean } | null;
  readonly distribution: { path: string; id: string } | null;
  readonly ingestRules: ReadonlyArray<{ path: string; rule: string; ruleId: string | null }>;
  /** With `secondaryOrigin`: the secondary's Elastic IP and the ingest rules on its own group. */
  readonly secondaryOrigin?: {
    readonly instanceId: string;
    readonly elasticIp: { allocationId: string; publicIp: string; imported: boolean } | null;
    readonly ingestRules: ReadonlyArray<{ path: string; rule: string; ruleId: string | null }>;
  };
  readonly importsFile: { path: string; written: boolean; entries: Record<string, string> };
  /** What the operator should know or fix; a group left alone is also among `notAdopted`. */
  readonly warnings: readonly Finding[];
}

/** `1 entry`, `3 entries`. */
export function entriesText(count: number): string {
  return `${count} entr${count === 1 ? 'y' : 'ies'}`;
}

export function renderImport(out: Output, r: ImportView): void {
  const rows: string[][] = [];
  for (const g of r.managedGroups) rows.push(['managed group', `${g.groupId} (${g.groupName})`, `${g.rules} rules${g.attachedTo.length ? `, on ${g.attachedTo.join(', ')}` : ''}`]);
  for (const g of r.orphanedGroups)
    rows.push(['orphaned group', `${g.groupId} (${g.groupName})`, r.apply ? `tagged PREFIX_NAME=${r.prefixName}` : `untagged: --apply tags it PREFIX_NAME=${r.prefixName}`]);
  for (const g of r.adoptedGroups) rows.push(['adopted group', `${g.groupId} (${g.groupName})`, g.adopted ? 'tagged CFGUARD_ADOPTED: the guard owns it' : '--apply adopts it (tags CFGUARD_ADOPTED)']);
  for (const g of r.notAdopted) rows.push(['not adopted', `${g.groupId} (${g.groupName})`, `${g.code}: left alone (see the warning)`]);
  for (const g of r.otherPrefixGroups) rows.push(['other prefix', `${g.groupId} (${g.groupName})`, `PREFIX_NAME=${g.prefixName}, left alone`]);
  if (r.ownGroup) rows.push(['own group', `${r.ownGroup.groupId} (${r.ownGroup.groupName})`, 'holds the ingest rules']);
  if (r.elasticIp) rows.push(['elastic ip', r.elasticIp.allocationId, `${r.elasticIp.publicIp}${r.elasticIp.imported ? ', imported' : ''}`]);
  if (r.distribution) rows.push(['distribution', r.distribution.id, `imported as ${r.distribution.path}`]);
  for (const i of r.ingestRules) rows.push(['ingest rule', i.ruleId ?? '(not found)', `${i.rule}${i.ruleId ? ', imported' : ': the stack will create it'}`]);
  const sec = r.secondaryOrigin;
  if (sec?.elasticIp) rows.push(['secondary elastic ip', sec.elasticIp.allocationId, `${sec.elasticIp.publicIp} on ${sec.instanceId}${sec.elasticIp.imported ? ', imported' : ''}`]);
  for (const i of sec?.ingestRules ?? []) rows.push(['secondary ingest rule', i.ruleId ?? '(not found)', `${i.rule}${i.ruleId ? ', imported' : ': the stack will create it'}`]);
  out.line(`Found in ${r.vpcId}:`);
  out.table(['WHAT', 'ID', 'NOTE'], rows, (row, column) => (column === 0 && row[0] === 'orphaned group' ? 'yellow' : undefined));
  const count = Object.keys(r.importsFile.entries).length;
  out.line(`Imports file ${r.importsFile.path}: ${entriesText(count)}${r.importsFile.written ? ' (written)' : ' (unchanged)'}.`);
  const refused = (w: Finding) => r.notAdopted.some((g) => g.groupId === w.subject && g.code === w.code);
  for (const w of r.warnings) out.warn(`${refused(w) ? 'not adopted: ' : ''}${findingLine(w)}`);
  if (r.status === 'changes') out.line(out.paint('yellow', `${r.adoptedGroups.length} group(s) need adopting: run 'cfguard import --apply' so the reconciler manages them.`));
  else if (r.status === 'applied') out.line(out.paint('green', 'Groups adopted; the reconciler manages them from its next run.'));
}
