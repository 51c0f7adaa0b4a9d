/**
 * The Lambda entry point: SNS `AmazonIpSpaceChanged` notification, daily schedule or direct run
 * -> fetch and verify the document -> reconcile -> one JSON log line. Any failure is logged as one
 * line too and rethrown, so Lambda records the invocation as failed (retries, on-failure destination).
 */
import { ec2ClientFor } from './ec2-client';
import { type GuardEvent, parseGuardEvent } from './events';
import { isGuardError } from './reconciler/errors';
import { desiredStateFor, fetchIpRanges } from './reconciler/ip-ranges';
import { reconcile, type ReconcileResult } from './reconciler/reconcile';
import { OFFICIAL_IP_RANGES_URL, settingsFromEnv } from './reconciler/settings';
import { formatRule } from './reconciler/rules';

export type Trigger = 'sns' | 'direct' | 'scheduled' | 'lifecycle';

/** The run's one log line; also the handler's return value. */
export interface RunLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly msg: 'reconcile';
  readonly trigger?: Trigger;
  readonly outcome: ReconcileResult['outcome'] | 'failed';
  readonly syncToken?: string;
  readonly rulesAdded: number;
  readonly rulesRevoked: number;
  readonly rulesHeld: number;
  readonly groupsCreated: number;
  readonly enisChanged: number;
  readonly apiCalls?: ReconcileResult['apiCalls'];
  readonly durationMs: number;
  readonly heldBy?: string;
  readonly warnings?: readonly string[];
  readonly error?: Record<string, unknown>;
}

function source(ev: GuardEvent): { url: string; md5?: string; force: boolean; trigger: Trigger } {
  switch (ev.kind) {
    case 'sns': return { url: ev.notification.url, md5: ev.notification.md5, force: false, trigger: 'sns' };
    case 'direct': return { url: ev.url ?? OFFICIAL_IP_RANGES_URL, md5: ev.md5, force: ev.force, trigger: 'direct' };
    case 'scheduled': return { url: OFFICIAL_IP_RANGES_URL, force: false, trigger: 'scheduled' };
    case 'lifecycle': return { ...source(ev.inner), trigger: 'lifecycle' };
  }
}

function emit(line: object): void {
  // stdout directly: Lambda's console.log prefix would stop CloudWatch from reading the line as JSON.
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function lineFor(result: ReconcileResult, trigger: Trigger): RunLine {
  return {
    level: result.outcome === 'held' ? 'warn' : 'info',
    msg: 'reconcile',
    trigger,
    outcome: result.outcome,
    syncToken: result.syncToken,
    rulesAdded: result.rulesAdded,
    rulesRevoked: result.rulesRevoked,
    rulesHeld: result.rulesHeld,
    groupsCreated: result.groupsCreated,
    enisChanged: result.enisChanged,
    apiCalls: result.apiCalls,
    durationMs: result.durationMs,
    ...(result.heldBy ? { heldBy: result.heldBy } : {}),
    ...(result.warnings.length ? { warnings: result.warnings } : {}),
  };
}

export async function handler(event: unknown): Promise<RunLine> {
  const started = Date.now();
  let trigger: Trigger | undefined;
  try {
    const settings = settingsFromEnv(process.env);
    const ev = parseGuardEvent(event, settings.snsTopicArn);
    const src = source(ev);
    trigger = src.trigger;
    if (ev.kind === 'lifecycle' && ev.action === 'delete') {
      const line: RunLine = { level: 'info', msg: 'reconcile', trigger, outcome: 'in-sync', rulesAdded: 0, rulesRevoked: 0, rulesHeld: 0, groupsCreated: 0, enisChanged: 0, durationMs: Date.now() - started };
      emit(line);
      return line;
    }
    const loaded = await fetchIpRanges(src.url, { allowedUrls: settings.ipRangesAllowedUrls, expectedMd5: src.md5 });
    const desired = desiredStateFor(loaded.document, settings);
    const result = await reconcile({ ec2: ec2ClientFor(settings.region), settings, desired, apply: true, force: src.force });
    if (settings.debug) emit({ level: 'debug', msg: 'plan', steps: result.plan.steps.map((s) => ({ ...s, ...('rules' in s ? { rules: s.rules.map(formatRule) } : {}) })), held: result.plan.held });
    const line = lineFor(result, src.trigger);
    emit(line);
    return line;
  } catch (e) {
    const error = isGuardError(e) ? e.toJSON() : { code: 'INTERNAL', kind: 'internal', message: (e as Error)?.message ?? String(e) };
    emit({ level: 'error', msg: 'reconcile', ...(trigger ? { trigger } : {}), outcome: 'failed', rulesAdded: 0, rulesRevoked: 0, rulesHeld: 0, groupsCreated: 0, enisChanged: 0, durationMs: Date.now() - started, error });
    throw e;
  }
}
