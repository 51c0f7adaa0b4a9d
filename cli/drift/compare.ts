import { compareState, rulesAbsent, type DetachedInterface } from '../../lambda-src/core/compare';
import type { ActualState, DesiredState, PortSpec, Rule } from '../../lambda-src/core/model';
import { orderGroups } from '../../lambda-src/core/placement';
import { ruleKey } from '../../lambda-src/core/rules';
import { ruleView, type RuleView } from '../render/rules';

/*
 * Drift: the one comparison (core/compare.ts) told finding by finding: which rule, which group,
 * why, so a person can judge whether the drift is CloudFront's or a colleague's. It is in sync
 * exactly when the reconciler's plan would change no access, and stale exactly when the reconciler
 * would skip the document.
 */

/**
 * Why a rule in a managed group is not wanted:
 * - `withdrawn`: a CIDR on a managed port that no service of the document publishes;
 * - `unselected`: published, but only by services not selected (see `publishedBy`);
 * - `ipv6-off`: an IPv6 range a selected service publishes, while IPv6 is off;
 * - `foreign`: anything else someone added by hand (another port, protocol, a group or prefix-list source);
 * - `duplicate`: a wanted rule held by a second managed group too;
 * - `egress`: an outbound rule (managed groups grant ingress only).
 */
export type ExtraReason = 'withdrawn' | 'unselected' | 'ipv6-off' | 'foreign' | 'duplicate' | 'egress';

export interface ExtraRule extends RuleView {
  readonly groupId: string;
  readonly groupName: string;
  readonly reason: ExtraReason;
  /** For `unselected` and `ipv6-off`: the services that publish the range. */
  readonly publishedBy?: readonly string[];
}

export type { DetachedInterface };

export interface IngestCheck {
  /** The groups searched: the instance's own groups. */
  readonly groupIds: readonly string[];
  readonly expected: readonly RuleView[];
  readonly missing: readonly RuleView[];
}

export interface DriftFindings {
  /** `stale`: the document is older than the one last applied; nothing is compared (the reconciler skips it too). */
  readonly status: 'in-sync' | 'drift' | 'stale';
  readonly syncToken: string;
  readonly lastAppliedSyncToken?: string;
  readonly vpcId: string;
  readonly managedGroups: ReadonlyArray<{ groupId: string; groupName: string; rules: number; syncToken?: string }>;
  readonly rulesExpected: number;
  readonly rulesInPlace: number;
  readonly missing: readonly RuleView[];
  readonly extra: readonly ExtraRule[];
  readonly interfaces: readonly DetachedInterface[];
  readonly ingest?: IngestCheck;
  readonly warnings: readonly string[];
}

function isCidr(source: string): boolean {
  return !source.startsWith('sg-') && !source.startsWith('pl-');
}

function onManagedPort(rule: Rule, ports: readonly PortSpec[]): boolean {
  return ports.some((p) => p.protocol === rule.protocol && p.fromPort === rule.fromPort && p.toPort === rule.toPort);
}

/** The document's services per canonical CIDR (core/ip-ranges publishedServices), and the selection. */
export interface PublishedRanges {
  readonly services: ReadonlyMap<string, readonly string[]>;
  readonly selected: readonly string[];
}

export interface DriftInput {
  readonly actual: ActualState;
  readonly desired: DesiredState;
  readonly ports: readonly PortSpec[];
  readonly prefixName: string;
  readonly instanceId?: string;
  /** Who publishes each range, so a range that is only unselected is not called withdrawn. */
  readonly published?: PublishedRanges;
  /** The instance's own groups' ingress, and the ingest rules expected there. */
  readonly ingest?: { readonly groupIds: readonly string[]; readonly present: readonly Rule[]; readonly expected: readonly Rule[] };
}

function whyUnwanted(rule: Rule, wanted: ReadonlySet<string>, input: DriftInput): Pick<ExtraRule, 'reason' | 'publishedBy'> {
  if (wanted.has(ruleKey(rule))) return { reason: 'duplicate' };
  if (!isCidr(rule.source) || !onManagedPort(rule, input.ports)) return { reason: 'foreign' };
  const publishedBy = input.published?.services.get(rule.source);
  if (!publishedBy || publishedBy.length === 0) return { reason: 'withdrawn' };
  const bySelected = publishedBy.some((s) => input.published!.selected.includes(s));
  return { reason: bySelected ? 'ipv6-off' : 'unselected', publishedBy };
}

export function compareDrift(input: DriftInput): DriftFindings {
  const { actual, desired } = input;
  const groups = orderGroups(actual.groups, input.prefixName);
  const cmp = compareState({ actual, desired, orderedGroups: groups, instanceId: input.instanceId });
  const wanted = new Set(desired.rules.map(ruleKey));
  const extra: ExtraRule[] = [];
  if (!cmp.stale) {
    for (const group of groups) {
      const where = { groupId: group.groupId, groupName: group.groupName };
      for (const rule of cmp.unwanted.get(group.groupId) ?? []) extra.push({ ...ruleView(rule), ...where, ...whyUnwanted(rule, wanted, input) });
      for (const rule of group.egress) extra.push({ ...ruleView(rule), ...where, reason: 'egress' });
    }
  }

  const warnings: string[] = [];
  if (cmp.stale) {
    warnings.push(
      `the document (syncToken ${desired.syncToken}) is older than the one last applied (${cmp.lastApplied}): stale, nothing compared, as the reconciler skips it; compare against a current document`,
    );
  }
  if (groups.length > 0 && cmp.targetEnis.length === 0) {
    warnings.push('no network interface carries the managed groups and no instance is set: the groups protect nothing until attached');
  }

  let ingest: IngestCheck | undefined;
  if (input.ingest) {
    ingest = { groupIds: input.ingest.groupIds, expected: input.ingest.expected.map(ruleView), missing: rulesAbsent(input.ingest.expected, input.ingest.present).map(ruleView) };
  }
  const missing = cmp.stale ? [] : cmp.missing.map(ruleView);
  const interfaces = cmp.stale ? [] : cmp.detached;
  // The ingest rules do not depend on the document, so a stale document does not hide their drift.
  const drift = (!cmp.stale && !cmp.inSync) || (ingest?.missing.length ?? 0) > 0;
  return {
    status: drift ? 'drift' : cmp.stale ? 'stale' : 'in-sync',
    syncToken: desired.syncToken,
    ...(cmp.lastApplied !== undefined ? { lastAppliedSyncToken: cmp.lastApplied } : {}),
    vpcId: actual.vpcId,
    managedGroups: groups.map((g) => ({ groupId: g.groupId, groupName: g.groupName, rules: g.ingress.length, ...(g.syncToken ? { syncToken: g.syncToken } : {}) })),
    rulesExpected: desired.rules.length,
    rulesInPlace: cmp.placed.size,
    missing,
    extra,
    interfaces,
    ...(ingest ? { ingest } : {}),
    warnings,
  };
}
