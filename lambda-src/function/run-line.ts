/** The run's one JSON log line: the result the CLI and tests also see, plus EMF metric fields. */
import { emfFields, REFUSAL_CODES } from '../core/metrics';
import { isGuardError, LAMBDA_SPELLING } from '../core/errors';
import type { Finding } from '../core/findings';
import { findingText } from './finding-text';
import type { ReconcileResult } from '../aws/reconcile';
import type { TeardownResult } from '../aws/teardown-run';
import type { ExposureReport } from '../core/exposure';

export type Trigger = 'sns' | 'direct' | 'scheduled' | 'lifecycle';

export interface RunFields {
  readonly level: 'info' | 'warn' | 'error';
  readonly msg: 'reconcile' | 'teardown';
  readonly trigger?: Trigger;
  readonly outcome: ReconcileResult['outcome'] | TeardownResult['outcome'] | 'failed';
  readonly syncToken?: string;
  readonly rulesAdded: number;
  readonly rulesRevoked: number;
  readonly rulesHeld: number;
  readonly groupsCreated: number;
  readonly groupsDeleted: number;
  /** Rules a compaction moved into the groups it kept (before deleting the emptied ones); only when one ran. */
  readonly rulesMoved?: number;
  readonly enisChanged: number;
  readonly apiCalls?: ReconcileResult['apiCalls'];
  readonly durationMs: number;
  readonly heldBy?: string;
  /** Rules revoked that no document granted (see core/ownership). */
  readonly foreignRulesRevoked?: number;
  /** Tagged groups left untouched, by id (FOREIGN_GROUP_TAGGED). */
  readonly refusedGroups?: readonly string[];
  /** Why a run that completed still counts as refused: the first refusal code. */
  readonly refusedBy?: string;
  /** Sources reaching the origin ports that are not CloudFront's, when the run audited the ENIs. */
  readonly exposure?: ExposureReport;
  readonly supersededBy?: string;
  /** The run's findings, each with its sentence and fix (`message`) as the Lambda spells settings. */
  readonly warnings?: ReadonlyArray<Finding & { readonly message: string }>;
  readonly error?: Record<string, unknown>;
}

/** The fields above plus the EMF block (`_aws`, the dimension and one field per metric). */
export type RunLine = RunFields & { readonly [emf: string]: unknown };

/** The run line's findings: the data, and the sentence with the fix as the Lambda spells settings (its variables). */
function withMessages(findings: readonly Finding[]): Array<Finding & { readonly message: string }> {
  return findings.map((f) => ({ ...f, message: findingText(f, LAMBDA_SPELLING) }));
}

const zero = { rulesAdded: 0, rulesRevoked: 0, rulesHeld: 0, groupsCreated: 0, groupsDeleted: 0, enisChanged: 0 };

function withMetrics(line: RunFields, prefix: string, succeeded: boolean, refused: boolean): RunLine {
  // The line's counts are metrics as they stand (emfFields reads only the metrics' keys); the exposure metric is absent without an audit.
  const values = { ...line, foreignRulesRevoked: line.foreignRulesRevoked ?? 0, originExposedRules: line.exposure?.exposed.length, succeeded: succeeded ? 1 : 0, refused: refused ? 1 : 0 };
  return { ...line, ...emfFields(prefix, values) };
}

/** A run that completed but must still fire the refusal alarm: held revocations, a stale document, a foreign tagged group. */
function refusalOf(result: ReconcileResult): string | undefined {
  if (result.heldBy) return result.heldBy;
  if (result.outcome === 'stale') return 'STALE_DOCUMENT';
  if (result.refusedGroups.length > 0) return result.refusedGroups[0].code;
  return undefined;
}

export function reconcileLine(result: ReconcileResult, trigger: Trigger, prefix: string, exposure?: ExposureReport): RunLine {
  const refusedBy = refusalOf(result);
  return withMetrics(
    {
      level: refusedBy || (exposure && exposure.exposed.length > 0) ? 'warn' : 'info',
      msg: 'reconcile',
      trigger,
      outcome: result.outcome,
      syncToken: result.syncToken,
      rulesAdded: result.rulesAdded,
      rulesRevoked: result.rulesRevoked,
      rulesHeld: result.rulesHeld,
      groupsCreated: result.groupsCreated,
      groupsDeleted: result.groupsDeleted ?? 0,
      enisChanged: result.enisChanged,
      ...(result.rulesMoved ? { rulesMoved: result.rulesMoved } : {}),
      apiCalls: result.apiCalls,
      durationMs: result.durationMs,
      ...(result.heldBy ? { heldBy: result.heldBy } : {}),
      foreignRulesRevoked: result.foreignRulesRevoked,
      ...(result.refusedGroups.length ? { refusedGroups: [...new Set(result.refusedGroups.map((g) => g.groupId))] } : {}),
      ...(refusedBy ? { refusedBy } : {}),
      ...(result.supersededBy ? { supersededBy: result.supersededBy } : {}),
      ...(exposure ? { exposure } : {}),
      ...(result.warnings.length ? { warnings: withMessages(result.warnings) } : {}),
    },
    prefix,
    refusedBy !== 'STALE_DOCUMENT',
    refusedBy !== undefined,
  );
}

export function teardownLine(result: TeardownResult, trigger: Trigger, prefix: string): RunLine {
  // A tagged group left in place (not the guard's, or on another instance) fires the refusal alarm: someone must look.
  const refusedBy = result.refusedGroups[0]?.code;
  return withMetrics(
    {
      level: refusedBy ? 'warn' : 'info',
      msg: 'teardown',
      trigger,
      outcome: result.outcome,
      ...zero,
      rulesRevoked: result.plan.summary.rulesRevoked,
      groupsDeleted: result.groupsDeleted,
      enisChanged: result.enisChanged,
      apiCalls: result.apiCalls,
      durationMs: result.durationMs,
      ...(result.refusedGroups.length ? { refusedGroups: [...new Set(result.refusedGroups.map((g) => g.groupId))] } : {}),
      ...(refusedBy ? { refusedBy } : {}),
      ...(result.plan.warnings.length ? { warnings: withMessages(result.plan.warnings) } : {}),
    },
    prefix,
    true,
    refusedBy !== undefined,
  );
}

export function failureLine(e: unknown, trigger: Trigger | undefined, msg: RunFields['msg'], prefix: string, durationMs: number): RunLine {
  const error = isGuardError(e) ? e.toJSON() : { code: 'INTERNAL', kind: 'internal', message: (e as Error)?.message ?? String(e) };
  return withMetrics({ level: 'error', msg, ...(trigger ? { trigger } : {}), outcome: 'failed', ...zero, durationMs, error }, prefix, false, REFUSAL_CODES.has(String(error.code)));
}
