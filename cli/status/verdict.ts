import { isDrift, type Assessment } from '../../lambda-src/core/assessment';
import { EXIT_CHANGES, EXIT_OK, type ExitCode } from '../exit-codes';
import type { IngestCheck } from '../ingest/check';

/**
 * The one answer to "does this state need action", for `drift` and `status` alike (issue 21), from
 * the assessment both build their view from and the ingest checks (cli/ingest/check):
 * - `pending`: reconcile would change access, or refuses a tagged group (reconcile exits 2 too);
 * - `attention`: nothing for reconcile to do, but a person must act: a rule lets other sources than
 *   CloudFront reach an origin port, or an expected ingest rule is missing from an own group;
 * - `stale`: the document is older than the one applied and nothing else needs action;
 * - `in-sync`: none of these.
 * "Would change access" is `isDrift`: the plan built from the same assessment changes access exactly
 * then (core/compare changesAccess; __tests__/reconciler/drift-agreement.properties.test.ts proves it),
 * so a compaction, which only moves rules between groups, is in sync here as for drift.
 */
export type StateVerdict = 'in-sync' | 'pending' | 'attention' | 'stale';

export interface VerdictInput {
  readonly assessment: Assessment;
  /** Every guarded instance's ingest check; none when no ingest rules are expected. */
  readonly ingest?: readonly IngestCheck[];
}

export interface Verdict {
  readonly verdict: StateVerdict;
  /** `pending` or `attention`: exit 2 for both commands. */
  readonly needsAction: boolean;
  readonly exitCode: ExitCode;
}

export function stateVerdict(input: VerdictInput): Verdict {
  const a = input.assessment;
  const exposed = (a.exposure?.exposed.length ?? 0) > 0;
  const ingestMissing = (input.ingest ?? []).some((c) => c.missing.length > 0);
  // The ingest rules and the exposure do not depend on the document, so a stale document hides neither.
  const verdict: StateVerdict = isDrift(a) || a.refused.length > 0 ? 'pending' : exposed || ingestMissing ? 'attention' : a.comparison.stale ? 'stale' : 'in-sync';
  const needsAction = verdict === 'pending' || verdict === 'attention';
  return { verdict, needsAction, exitCode: needsAction ? EXIT_CHANGES : EXIT_OK };
}
