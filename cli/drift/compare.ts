import type { ActualState, DesiredState, PortSpec, Rule } from '../../lambda-src/core/model';
import { targetInterfaces } from '../../lambda-src/core/plan';
import { orderGroups } from '../../lambda-src/core/placement';
import { compareRules, ruleKey } from '../../lambda-src/core/rules';
import { newestSyncToken, compareSyncTokens } from '../../lambda-src/core/sync-token';
import { ruleView, type RuleView } from '../render/rules';

/*
 * Drift, as a pure comparison of what EC2 holds with what the document publishes. It answers what
 * the reconciler would change, but names every finding (which rule, which group, why) instead of
 * producing steps, so a person can judge whether the drift is CloudFront's or a colleague's.
 */

/**
 * Why a rule in a managed group is not wanted:
 * - `withdrawn`: a CIDR on a managed port that the document no longer publishes;
 * - `foreign`: anything else someone added by hand (another port, protocol, a group or prefix-list source);
 * - `duplicate`: a wanted rule held by a second managed group too;
 * - `egress`: an outbound rule (managed groups grant ingress only).
 */
export type ExtraReason = 'withdrawn' | 'foreign' | 'duplicate' | 'egress';

export interface ExtraRule extends RuleView {
  readonly groupId: string;
  readonly groupName: string;
  readonly reason: ExtraReason;
}

export interface DetachedInterface {
  readonly eniId: string;
  readonly instanceId?: string;
  /** Managed groups the interface lacks. */
  readonly missingGroups: readonly string[];
}

export interface IngestCheck {
  /** The groups searched: the instance's own groups. */
  readonly groupIds: readonly string[];
  readonly expected: readonly RuleView[];
  readonly missing: readonly RuleView[];
}

export interface DriftFindings {
  readonly status: 'in-sync' | 'drift';
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

const sorted = (rules: readonly Rule[]): Rule[] => [...rules].sort(compareRules);

function isCidr(source: string): boolean {
  return !source.startsWith('sg-') && !source.startsWith('pl-');
}

function onManagedPort(rule: Rule, ports: readonly PortSpec[]): boolean {
  return ports.some((p) => p.protocol === rule.protocol && p.fromPort === rule.fromPort && p.toPort === rule.toPort);
}

export interface DriftInput {
  readonly actual: ActualState;
  readonly desired: DesiredState;
  readonly ports: readonly PortSpec[];
  readonly prefixName: string;
  readonly instanceId?: string;
  /** The instance's own groups' ingress, and the ingest rules expected there. */
  readonly ingest?: { readonly groupIds: readonly string[]; readonly present: readonly Rule[]; readonly expected: readonly Rule[] };
}

export function compareDrift(input: DriftInput): DriftFindings {
  const { actual, desired } = input;
  const wanted = new Set(desired.rules.map(ruleKey));
  const placed = new Set<string>();
  const extra: ExtraRule[] = [];
  const groups = orderGroups(actual.groups, input.prefixName);
  for (const group of groups) {
    const note = (rule: Rule, reason: ExtraReason) => extra.push({ ...ruleView(rule), groupId: group.groupId, groupName: group.groupName, reason });
    for (const rule of sorted(group.ingress)) {
      const key = ruleKey(rule);
      if (wanted.has(key)) {
        if (placed.has(key)) note(rule, 'duplicate');
        placed.add(key);
      } else {
        note(rule, isCidr(rule.source) && onManagedPort(rule, input.ports) ? 'withdrawn' : 'foreign');
      }
    }
    for (const rule of group.egress) note(rule, 'egress');
  }
  const missing = sorted(desired.rules.filter((r) => !placed.has(ruleKey(r)))).map(ruleView);

  const managedIds = groups.map((g) => g.groupId);
  const interfaces = targetInterfaces(actual, input.instanceId)
    .map((eni) => ({ eniId: eni.eniId, ...(eni.instanceId ? { instanceId: eni.instanceId } : {}), missingGroups: managedIds.filter((id) => !eni.groupIds.includes(id)) }))
    .filter((eni) => eni.missingGroups.length > 0);

  const warnings: string[] = [];
  const lastApplied = newestSyncToken(actual.groups.map((g) => g.syncToken));
  if (lastApplied !== undefined && compareSyncTokens(desired.syncToken, lastApplied) < 0) {
    warnings.push(`the document (syncToken ${desired.syncToken}) is older than the one last applied (${lastApplied}); compare against a current document`);
  }
  if (groups.length > 0 && targetInterfaces(actual, input.instanceId).length === 0) {
    warnings.push('no network interface carries the managed groups and no instance is set: the groups protect nothing until attached');
  }

  let ingest: IngestCheck | undefined;
  if (input.ingest) {
    const present = new Set(input.ingest.present.map(ruleKey));
    ingest = {
      groupIds: input.ingest.groupIds,
      expected: input.ingest.expected.map(ruleView),
      missing: input.ingest.expected.filter((r) => !present.has(ruleKey(r))).map(ruleView),
    };
  }
  const drift = missing.length > 0 || extra.length > 0 || interfaces.length > 0 || (ingest?.missing.length ?? 0) > 0;
  return {
    status: drift ? 'drift' : 'in-sync',
    syncToken: desired.syncToken,
    ...(lastApplied !== undefined ? { lastAppliedSyncToken: lastApplied } : {}),
    vpcId: actual.vpcId,
    managedGroups: groups.map((g) => ({ groupId: g.groupId, groupName: g.groupName, rules: g.ingress.length, ...(g.syncToken ? { syncToken: g.syncToken } : {}) })),
    rulesExpected: desired.rules.length,
    rulesInPlace: placed.size,
    missing,
    extra,
    interfaces,
    ...(ingest ? { ingest } : {}),
    warnings,
  };
}
