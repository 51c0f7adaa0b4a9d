import type { Assessment } from '../../lambda-src/core/assessment';
import type { Comparison } from '../../lambda-src/core/compare';
import type { Finding } from '../../lambda-src/core/findings';
import type { ActualState, Plan, PlanSummary, PortSpec, Rule, StepKind } from '../../lambda-src/core/model';
import { orderGroups } from '../../lambda-src/core/placement';
import { formatPort, ruleFamily } from '../../lambda-src/core/rules';
import type { ExitCode } from '../exit-codes';
import { ingestFields, type IngestCheck, type IngestFields } from '../ingest/check';
import { originViews, type OriginView } from './origins';
import { stateVerdict, type StateVerdict } from './verdict';

/**
 * `cfguard status` as a value: what the managed groups hold and where they sit, the syncToken last
 * applied against the published one, and the pending plan. Pure, so its shape is tested without EC2.
 */

/** Rules of one port in one group, per address family (EC2 counts each family against its own quota). */
export interface PortCount {
  readonly port: string;
  readonly v4: number;
  readonly v6: number;
}

export interface StatusGroup {
  readonly groupId: string;
  readonly groupName: string;
  /** The group's CFGUARD_SYNC_TOKEN tag; null when it has none. */
  readonly syncToken: string | null;
  /** The configured ports first (zeros included), then any other port found in the group. */
  readonly rules: readonly PortCount[];
  readonly rulesTotal: number;
  /** Egress rules left on the group (managed groups grant ingress only; a pending plan revokes them). */
  readonly egressRules: number;
  readonly enis: readonly string[];
}

export interface StatusInterface {
  readonly eniId: string;
  readonly instanceId?: string;
  readonly groupIds: readonly string[];
  readonly managedGroupIds: readonly string[];
}

/**
 * From the rules, not the tag (core/compare.ts): `current`: the managed groups hold exactly the
 * document's rules, attached everywhere; `behind`: they do not (a newer document, drift, or work
 * held or deferred); `ahead`: the document given is older than the newest tag (stale);
 * `never-applied`: there are no managed groups.
 */
export type SyncTokenState = 'current' | 'behind' | 'ahead' | 'never-applied';

export interface StatusPending {
  /** `reconcile` with apply=false: `planned` means steps are pending or revocations are held. */
  readonly outcome: 'in-sync' | 'planned' | 'stale';
  readonly steps: number;
  /** Steps per kind, only the kinds present, in plan order. */
  readonly byKind: Readonly<Partial<Record<StepKind, number>>>;
  readonly summary: PlanSummary;
  readonly heldBy: string | null;
  readonly plan: Plan;
}

export interface StatusReport extends IngestFields {
  /** The verdict `drift` shares (cli/status/verdict): `attention` when only an exposure or a missing ingest rule needs a person. */
  readonly status: StateVerdict;
  readonly exitCode: ExitCode;
  readonly prefixName: string;
  readonly vpcId: string;
  readonly instanceId?: string;
  /** With a secondary origin: every guarded instance, primary first. */
  readonly instanceIds?: readonly string[];
  /** With a secondary origin: each instance's interfaces, what they lack, their exposure (cli/status/origins). */
  readonly origins?: readonly OriginView[];
  readonly syncToken: { readonly lastApplied: string | null; readonly published: string; readonly state: SyncTokenState };
  readonly managedGroups: readonly StatusGroup[];
  readonly interfaces: readonly StatusInterface[];
  readonly pending: StatusPending;
  /** The plan's findings, then status's own; the exposure's are in `exposure`. */
  readonly warnings: readonly Finding[];
}

export interface StatusInput {
  readonly actual: ActualState;
  /** The one assessment of this read, and the plan built from it (core/plan). */
  readonly assessment: Assessment;
  readonly plan: Plan;
  readonly ports: readonly PortSpec[];
  readonly prefixName: string;
  readonly instanceId?: string;
  /** Every guarded instance, primary first. @default - `instanceId` alone */
  readonly instanceIds?: readonly string[];
  /** Each guarded instance's ingest check, primary first. @default - no check (no ingest rules expected) */
  readonly ingest?: readonly IngestCheck[];
}

/** `80/tcp`, `8000-8010/tcp`; a foreign all-traffic rule (`-1`) reads `all`. */
export function portLabel(rule: Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>): string {
  return rule.protocol === '-1' ? 'all' : formatPort(rule);
}

export function countByPort(ingress: readonly Rule[], ports: readonly PortSpec[]): PortCount[] {
  const counts = new Map<string, { v4: number; v6: number }>(ports.map((p) => [formatPort(p), { v4: 0, v6: 0 }]));
  const others: string[] = [];
  for (const rule of ingress) {
    const label = portLabel(rule);
    if (!counts.has(label)) {
      counts.set(label, { v4: 0, v6: 0 });
      others.push(label);
    }
    const c = counts.get(label)!;
    if (ruleFamily(rule) === 'ipv6') c.v6++;
    else c.v4++;
  }
  const order = [...ports.map(formatPort), ...others.sort()];
  return order.map((port) => ({ port, ...counts.get(port)! }));
}

export function syncTokenState(cmp: Pick<Comparison, 'stale' | 'inSync' | 'groups'>): SyncTokenState {
  if (cmp.stale) return 'ahead';
  if (cmp.groups.length === 0) return 'never-applied';
  return cmp.inSync ? 'current' : 'behind';
}

function stepsByKind(plan: Plan): Partial<Record<StepKind, number>> {
  const byKind: Partial<Record<StepKind, number>> = {};
  for (const step of plan.steps) byKind[step.kind] = (byKind[step.kind] ?? 0) + 1;
  return byKind;
}

export function statusReport(input: StatusInput): StatusReport {
  const { actual, plan, prefixName } = input;
  const outcome = plan.status === 'changes' ? 'planned' : plan.status;
  // One verdict with drift's: a tagged group refused is exit 2, as for reconcile; an exposure or a missing ingest rule too.
  const { verdict: status, exitCode } = stateVerdict({ assessment: input.assessment, ingest: input.ingest });
  const cmp = input.assessment.comparison;
  // Every tagged group is listed, the refused ones too (their refusal is among the warnings); the verdicts are the assessment's.
  const groups = orderGroups(actual.groups, prefixName);
  const managed = new Set(groups.map((g) => g.groupId));
  const lastApplied = cmp.lastApplied;
  const warnings = [...plan.warnings];
  const untagged = groups.filter((g) => g.syncToken !== lastApplied).map((g) => g.groupId);
  if (lastApplied !== undefined && untagged.length > 0) {
    // The tag is written only together with a change, so this is informational: the rules decide "current".
    warnings.push({ code: 'SYNC_TOKEN_NOT_RECORDED', subject: lastApplied, details: { groups: untagged } });
  }
  const origins = originViews(input.instanceIds ?? [], actual.enis, cmp.detached, input.assessment.exposure);
  return {
    status,
    exitCode,
    prefixName,
    vpcId: actual.vpcId,
    ...(input.instanceId ? { instanceId: input.instanceId } : {}),
    ...(origins ? { instanceIds: input.instanceIds, origins } : {}),
    syncToken: { lastApplied: lastApplied ?? null, published: plan.syncToken, state: syncTokenState(cmp) },
    managedGroups: groups.map((g) => ({
      groupId: g.groupId,
      groupName: g.groupName,
      syncToken: g.syncToken ?? null,
      rules: countByPort(g.ingress, input.ports),
      rulesTotal: g.ingress.length,
      egressRules: g.egress.length,
      enis: actual.enis
        .filter((e) => e.groupIds.includes(g.groupId))
        .map((e) => e.eniId)
        .sort(),
    })),
    interfaces: [...actual.enis]
      .sort((a, b) => (a.eniId < b.eniId ? -1 : 1))
      .map((e) => ({ eniId: e.eniId, ...(e.instanceId ? { instanceId: e.instanceId } : {}), groupIds: e.groupIds, managedGroupIds: e.groupIds.filter((id) => managed.has(id)) })),
    pending: {
      outcome,
      steps: plan.steps.length,
      byKind: stepsByKind(plan),
      summary: plan.summary,
      heldBy: plan.heldBy ?? null,
      plan: plan,
    },
    warnings,
    ...ingestFields(input.ingest),
  };
}
