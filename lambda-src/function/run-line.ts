/** The run's one JSON log line: the result the CLI and tests also see, plus EMF metric fields. */
import { emfFields, REFUSAL_CODES } from '../core/metrics';
import { isGuardError } from '../core/errors';
import type { ReconcileResult } from '../aws/reconcile';
import type { TeardownResult } from '../aws/teardown-run';

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
  readonly enisChanged: number;
  readonly apiCalls?: ReconcileResult['apiCalls'];
  readonly durationMs: number;
  readonly heldBy?: string;
  readonly warnings?: readonly string[];
  readonly error?: Record<string, unknown>;
}

/** The fields above plus the EMF block (`_aws`, the dimension and one field per metric). */
export type RunLine = RunFields & { readonly [emf: string]: unknown };

const zero = { rulesAdded: 0, rulesRevoked: 0, rulesHeld: 0, groupsCreated: 0, groupsDeleted: 0, enisChanged: 0 };

function withMetrics(line: RunFields, prefix: string, succeeded: boolean, refused: boolean): RunLine {
  return {
    ...line,
    ...emfFields(prefix, {
      succeeded: succeeded ? 1 : 0,
      refused: refused ? 1 : 0,
      rulesAdded: line.rulesAdded,
      rulesRevoked: line.rulesRevoked,
      rulesHeld: line.rulesHeld,
      groupsCreated: line.groupsCreated,
      groupsDeleted: line.groupsDeleted,
    }),
  };
}

export function reconcileLine(result: ReconcileResult, trigger: Trigger, prefix: string): RunLine {
  return withMetrics(
    {
      level: result.outcome === 'held' ? 'warn' : 'info',
      msg: 'reconcile',
      trigger,
      outcome: result.outcome,
      syncToken: result.syncToken,
      ...zero,
      rulesAdded: result.rulesAdded,
      rulesRevoked: result.rulesRevoked,
      rulesHeld: result.rulesHeld,
      groupsCreated: result.groupsCreated,
      groupsDeleted: result.groupsDeleted ?? 0,
      enisChanged: result.enisChanged,
      apiCalls: result.apiCalls,
      durationMs: result.durationMs,
      ...(result.heldBy ? { heldBy: result.heldBy } : {}),
      ...(result.warnings.length ? { warnings: result.warnings } : {}),
    },
    prefix,
    true,
    result.heldBy !== undefined,
  );
}

export function teardownLine(result: TeardownResult, trigger: Trigger, prefix: string): RunLine {
  return withMetrics(
    { level: 'info', msg: 'teardown', trigger, outcome: result.outcome, ...zero, rulesRevoked: result.plan.summary.rulesRevoked, groupsDeleted: result.groupsDeleted, enisChanged: result.enisChanged, apiCalls: result.apiCalls, durationMs: result.durationMs },
    prefix,
    true,
    false,
  );
}

export function failureLine(e: unknown, trigger: Trigger | undefined, msg: RunFields['msg'], prefix: string, durationMs: number): RunLine {
  const error = isGuardError(e) ? e.toJSON() : { code: 'INTERNAL', kind: 'internal', message: (e as Error)?.message ?? String(e) };
  return withMetrics({ level: 'error', msg, ...(trigger ? { trigger } : {}), outcome: 'failed', ...zero, durationMs, error }, prefix, false, REFUSAL_CODES.has(String(error.code)));
}
