/**
 * One assessment per read: actual state + desired state + policy -> one `Assessment`. The planner
 * builds its steps from it; drift, status, the Lambda's run line and the refusals render it. Two
 * outputs cannot disagree because there is one object to read. Pure: no @aws-sdk, no I/O.
 */
import { compareState, type Comparison } from './compare';
import { auditExposure, type AuditedGroup, type ExposureReport } from './exposure';
import { refusalFinding, type Finding } from './findings';
import type { ActualState, DesiredState, ManagedGroup, NetworkInterface, Rule } from './model';
import { partitionGroups, type OwnershipPolicy, type RefusedGroup } from './ownership';
import { orderGroups } from './placement';
import { ruleKey } from './rules';
import { SYNC_TOKEN_TAG_KEY, isFutureSyncToken } from './sync-token';
import { isGrantedVerdict, managedRuleVerdict, publishedBy, type Verdict, type VerdictContext } from './verdicts';

export type { Verdict };

/** What the assessment judges against, besides the two states. */
export interface AssessmentPolicy {
  /** Which tagged groups are the guard's (core/ownership): prefix, origin ports, protected groups, guarded instances. */
  readonly ownership: OwnershipPolicy;
  /** The configured ingest rules, expected on the instance's own group: never a finding. @default - none */
  readonly expectedIngest?: readonly Rule[];
  /** The clock, epoch ms: group tokens more than a day ahead of it do not count. @default - every token counts */
  readonly now?: number;
  /** Who publishes each range and which services are selected, for `unselected` and `wrong-family`. @default - unknown */
  readonly published?: VerdictContext['published'];
}

/** Every group on the instance's interfaces, as the shell read them, for the exposure findings. */
export interface InstanceView {
  readonly enis: readonly NetworkInterface[];
  readonly groups: readonly AuditedGroup[];
  readonly cloudFrontPrefixLists?: readonly string[];
}

export interface AssessmentInput {
  readonly actual: ActualState;
  readonly desired: DesiredState;
  readonly policy: AssessmentPolicy;
  /** @default - no exposure findings (the audit was not due) */
  readonly instance?: InstanceView;
}

/** One rule of one of the guard's groups, with its verdict. */
export interface JudgedRule {
  readonly groupId: string;
  readonly groupName: string;
  readonly direction: 'ingress' | 'egress';
  readonly rule: Rule;
  readonly verdict: Verdict;
  /** For `unselected` and `wrong-family`: the services that publish the range. */
  readonly publishedBy?: readonly string[];
}

export interface Assessment {
  readonly syncToken: string;
  /** The guard's groups, in the planner's stable order, their tokens as they count (future ones dropped). */
  readonly groups: readonly ManagedGroup[];
  /** Groups the guard leaves alone, and why (FOREIGN_GROUP_TAGGED, MANAGED_GROUP_ON_OTHER_INTERFACE), and the groups that keep a guarded interface from being rewritten (FOREIGN_GROUP_ON_INTERFACE). */
  readonly refused: readonly RefusedGroup[];
  /** Group tokens more than a day ahead of the clock: they do not count, and the next write replaces them. */
  readonly futureTokens: ReadonlyArray<{ readonly groupId: string; readonly syncToken: string }>;
  /** The comparison of the guard's groups with the document (stale, in sync, missing, detached). */
  readonly comparison: Comparison;
  /** Every rule of every guard's group, with one verdict each. */
  readonly rules: readonly JudgedRule[];
  /** Present when the instance's interfaces were read. */
  readonly exposure?: ExposureReport;
  /** What the assessment found that is not a rule: refused groups, future tokens, a stale document, unattached groups. */
  readonly findings: readonly Finding[];
  /** The context the verdicts were judged in; the planner asks it whether a revocation may be held. */
  readonly context: VerdictContext;
}

function withoutFutureToken(g: ManagedGroup, now: number | undefined): ManagedGroup {
  if (g.syncToken === undefined || now === undefined || !isFutureSyncToken(g.syncToken, now)) return g;
  const { syncToken: _ignored, ...rest } = g;
  return rest;
}

function judge(groups: readonly ManagedGroup[], cmp: Comparison, desired: DesiredState, ctx: VerdictContext): JudgedRule[] {
  const wanted = new Set(desired.rules.map(ruleKey));
  const placedIn = new Map<string, string>();
  const out: JudgedRule[] = [];
  for (const g of groups) {
    const where = { groupId: g.groupId, groupName: g.groupName };
    for (const rule of g.ingress) {
      const key = ruleKey(rule);
      let verdict: Verdict;
      if (wanted.has(key) && cmp.placed.has(key) && !placedIn.has(key)) {
        placedIn.set(key, g.groupId);
        verdict = 'current';
      } else verdict = wanted.has(key) ? 'duplicate' : managedRuleVerdict(rule, ctx);
      const by = publishedBy(rule, verdict, ctx);
      out.push({ ...where, direction: 'ingress', rule, verdict, ...(by ? { publishedBy: by } : {}) });
    }
    for (const rule of g.egress) out.push({ ...where, direction: 'egress', rule, verdict: 'egress' });
  }
  return out;
}

function instanceExposure(instance: InstanceView, guardIds: ReadonlySet<string>, ctx: VerdictContext): ExposureReport {
  const groups = new Map(instance.groups.map((g) => [g.groupId, { ...g, managed: guardIds.has(g.groupId) }]));
  return auditExposure({ ...ctx, enis: instance.enis, groups, cloudFrontPrefixLists: instance.cloudFrontPrefixLists });
}

export function assess(input: AssessmentInput): Assessment {
  const { actual, desired, policy } = input;
  const context: VerdictContext = {
    publishedRanges: new Set(desired.publishedRanges ?? desired.rules.map((r) => r.source)),
    ports: policy.ownership.ports,
    ...(policy.published ? { published: policy.published } : {}),
    ...(policy.expectedIngest ? { expectedIngest: policy.expectedIngest } : {}),
  };
  // The tag makes a group a candidate, not the guard's (core/ownership).
  const partition = partitionGroups(actual.groups, actual.enis, policy.ownership);
  const writable = partition.owned;
  // An interface naming a group the guard may not name is not rewritten (IAM would refuse it): no plan targets it.
  const refused = [...partition.refused, ...partition.refusedInterfaces];
  const blocked = new Set(partition.refusedInterfaces.flatMap((r) => r.eniIds ?? []));
  const counted = writable.map((g) => withoutFutureToken(g, policy.now));
  const futureTokens = writable.flatMap((g, i) => (g.syncToken !== undefined && counted[i] !== g ? [{ groupId: g.groupId, syncToken: g.syncToken }] : []));
  const groups = orderGroups(counted, policy.ownership.prefixName);
  const comparison = compareState({
    actual: { ...actual, groups, enis: actual.enis.filter((e) => !blocked.has(e.eniId)) },
    desired,
    orderedGroups: groups,
    instanceIds: policy.ownership.guardedInstanceIds,
    now: policy.now,
  });
  const findings: Finding[] = [
    ...refused.map((g) => refusalFinding(g, policy.ownership.prefixName)),
    ...futureTokens.map((t): Finding => ({ code: 'SYNC_TOKEN_IN_FUTURE', subject: t.groupId, details: { tag: SYNC_TOKEN_TAG_KEY, syncToken: t.syncToken } })),
  ];
  if (comparison.stale) findings.push({ code: 'STALE_DOCUMENT', subject: desired.syncToken, details: { lastApplied: comparison.lastApplied } });
  if (groups.length > 0 && comparison.targetEnis.length === 0 && blocked.size === 0)
    findings.push({ code: 'GROUPS_UNATTACHED', subject: actual.vpcId, details: { groups: groups.map((g) => g.groupId) } });
  const guardIds = new Set(groups.map((g) => g.groupId));
  return {
    syncToken: desired.syncToken,
    groups,
    refused,
    futureTokens,
    comparison,
    rules: judge(groups, comparison, desired, context),
    ...(input.instance ? { exposure: instanceExposure(input.instance, guardIds, context) } : {}),
    findings,
    context,
  };
}

/** The unwanted rules of the assessment (everything but `current`), in group order: drift's `extra` and the planner's revocations. */
export function unwantedRules(a: Assessment): JudgedRule[] {
  return a.rules.filter((r) => r.verdict !== 'current');
}

/** Whether the blast-radius guard may hold revoking this rule from this group: only a rule a document granted; a foreign one is revoked, never held. */
export function mayHold(a: Assessment, groupId: string, rule: Rule): boolean {
  const judged = a.rules.find((r) => r.groupId === groupId && r.direction === 'ingress' && ruleKey(r.rule) === ruleKey(rule));
  return isGrantedVerdict(judged?.verdict ?? managedRuleVerdict(rule, a.context));
}

/** Whether the assessment changes access when planned: stale is not, and neither is a state in sync (see core/compare). */
export function isDrift(a: Assessment): boolean {
  return !a.comparison.stale && !a.comparison.inSync;
}
