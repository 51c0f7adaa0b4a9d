import { assessForPlan } from '../../lambda-src/core/plan';
import { unwantedRules, type Assessment, type InstanceView, type Verdict } from '../../lambda-src/core/assessment';
import type { DetachedInterface } from '../../lambda-src/core/compare';
import type { ExposureReport } from '../../lambda-src/core/exposure';
import type { Finding } from '../../lambda-src/core/findings';
import type { ActualState, DesiredState, PortSpec, Rule } from '../../lambda-src/core/model';
import { ruleView, type RuleView } from '../render/rules';
import { ingestCheck, ingestChecksOf, ingestFields, type IngestFields, type IngestInput } from '../ingest/check';
import { originViews, type OriginView } from '../status/origins';
import { stateVerdict } from '../status/verdict';

/*
 * Drift: the assessment (core/assessment.ts) told finding by finding: which rule, which group,
 * which verdict, so a person can judge whether the drift is CloudFront's or a colleague's. The
 * planner builds its steps from the very same assessment, so drift is in sync exactly when the
 * plan changes no access, and stale exactly when the reconciler skips the document.
 */

/** Why a rule in a managed group is not wanted: the assessment's verdict (every one but `current`; see core/verdicts). */
export type ExtraReason = Exclude<Verdict, 'current' | 'cloudfront' | 'expected-ingest'>;

export interface ExtraRule extends RuleView {
  readonly groupId: string;
  readonly groupName: string;
  readonly reason: ExtraReason;
  /** For `unselected` and `wrong-family`: the services that publish the range. */
  readonly publishedBy?: readonly string[];
}

export interface DriftFindings extends IngestFields {
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
  readonly exposure?: ExposureReport;
  /** With a secondary origin: each guarded instance, its interfaces lacking managed groups, its exposure (cli/status/origins). */
  readonly origins?: readonly OriginView[];
  /** The assessment's findings: refused groups, future tokens, a stale document, unattached groups. */
  readonly warnings: readonly Finding[];
}

/** The document's services per canonical CIDR (core/ip-ranges publishedServices), and the selection. */
export interface PublishedRanges {
  readonly services: ReadonlyMap<string, readonly string[]>;
  readonly selected: readonly string[];
}

/** `ingest`/`ingestByOrigin`: each guarded instance's own groups' ingress, and the ingest rules expected there. */
export interface DriftInput extends IngestFields<IngestInput> {
  readonly actual: ActualState;
  readonly desired: DesiredState;
  readonly ports: readonly PortSpec[];
  readonly prefixName: string;
  readonly instanceId?: string;
  /** Every guarded instance, primary first, when there is a secondary origin. @default - `instanceId` alone */
  readonly guardedInstanceIds?: readonly string[];
  /** Who publishes each range, so a range that is only unselected is not called withdrawn. */
  readonly published?: PublishedRanges;
  /** The configured ingest rules: on the instance's own group, never an exposure. @default - the ingest check's */
  readonly expectedIngest?: readonly Rule[];
  /** Groups never written (instanceSecurityGroupId), as the reconciler is told. @default - none */
  readonly protectedGroupIds?: readonly string[];
  /** The clock, epoch ms, as the reconciler reads it. @default - every token counts */
  readonly now?: number;
  /** Every group on the instance, for the exposure findings. @default - no audit */
  readonly instance?: InstanceView;
}

/** The assessment drift renders: the planner's own, for the same state (core/plan assessForPlan). */
export function driftAssessment(input: DriftInput): Assessment {
  return assessForPlan(
    {
      actual: input.actual,
      desired: input.desired,
      settings: {
        prefixName: input.prefixName,
        ports: input.ports,
        instanceId: input.instanceId,
        guardedInstanceIds: input.guardedInstanceIds,
        rulesPerGroup: 0,
        groupsPerInterface: 0,
        maxRevokeFraction: 0,
      },
      protectedGroupIds: input.protectedGroupIds,
      now: input.now,
    },
    { published: input.published, expectedIngest: input.expectedIngest ?? input.ingest?.expected, instance: input.instance },
  );
}

export function compareDrift(input: DriftInput): DriftFindings {
  const { actual, desired } = input;
  const a = driftAssessment(input);
  const cmp = a.comparison;
  const extra: ExtraRule[] = cmp.stale
    ? []
    : unwantedRules(a).map((r) => ({ ...ruleView(r.rule), groupId: r.groupId, groupName: r.groupName, reason: r.verdict as ExtraReason, ...(r.publishedBy ? { publishedBy: r.publishedBy } : {}) }));
  const checks = ingestChecksOf(input).map(ingestCheck);
  // The verdict status shares (cli/status/verdict): a stale document hides neither ingest nor exposure; a refused group is exit 2 for reconcile too.
  const { needsAction } = stateVerdict({ assessment: a, ingest: checks });
  const origins = originViews(input.guardedInstanceIds ?? [], actual.enis, cmp.stale ? [] : cmp.detached, a.exposure);
  return {
    status: needsAction ? 'drift' : cmp.stale ? 'stale' : 'in-sync',
    syncToken: desired.syncToken,
    ...(cmp.lastApplied !== undefined ? { lastAppliedSyncToken: cmp.lastApplied } : {}),
    vpcId: actual.vpcId,
    managedGroups: a.groups.map((g) => ({ groupId: g.groupId, groupName: g.groupName, rules: g.ingress.length, ...(g.syncToken ? { syncToken: g.syncToken } : {}) })),
    rulesExpected: desired.rules.length,
    rulesInPlace: cmp.placed.size,
    missing: cmp.stale ? [] : cmp.missing.map(ruleView),
    extra,
    interfaces: cmp.stale ? [] : cmp.detached,
    ...ingestFields(checks),
    ...(a.exposure ? { exposure: a.exposure } : {}),
    ...(origins ? { origins } : {}),
    warnings: a.findings,
  };
}
