/**
 * Overlapping guard runs made deterministic: each run has its own EC2 client (its SDK app id names
 * it), the emulator holds a run's k-th request until the test releases it (emu.pauseRun), and a
 * schedule is a list of segments "run R until its n-th call has been answered". Only one run moves
 * at a time, so the order of every call is fixed by the schedule, not by timing.
 *
 * Each run is what the handler and the CLI both do (reconcileToNewest): fetch its URL, reconcile,
 * and when overtaken fetch again and reconcile once more. A recording wrapper notes, for every run,
 * the newest mark (core/sync-token newestMark) each of its reads showed, so a test can tell a write
 * a run made knowingly from one it made blind (after its last read, EC2 having no compare-and-set).
 */
import { Ec2SecurityGroupManager } from '../../lambda-src/aws/ec2-security-group-manager';
import type { SecurityGroupManager } from '../../lambda-src/aws/security-group-manager';
import { reconcileToNewest, type ReconcileResult } from '../../lambda-src/aws/reconcile';
import { fetchIpRanges } from '../../lambda-src/aws/ip-ranges-fetch';
import { toManagedGroup } from '../../lambda-src/aws/ec2-state';
import { desiredStateFor, parseIpRangesDocument } from '../../lambda-src/core/ip-ranges';
import { compareSyncTokens, newestMark } from '../../lambda-src/core/sync-token';
import type { GuardSettings } from '../../lambda-src/config/settings';
import type { Origin } from './origin-fixture';

export interface RunSpec {
  /** The run's name: its client's actor, and its SDK app id `actor-<name>`. */
  readonly name: string;
  /** The URL it is notified of (an SNS run) or reads (a scheduled run, the CLI). */
  readonly url: string;
  /** What the URL serves when the run starts; published there just before (one URL shared by several runs changes). */
  readonly body: string;
}

/** One event of one run, in the order the emulator answered. */
export type RunEvent = { readonly run: string; readonly kind: 'read'; readonly mark?: string } | { readonly run: string; readonly kind: 'write'; readonly callIndex: number };

export interface RunOutcome {
  readonly result?: ReconcileResult;
  readonly error?: unknown;
}

const WRITES = new Set(['createGroup', 'authorizeIngress', 'revokeIngress', 'revokeEgress', 'setInterfaceGroups', 'tag', 'deleteGroup']);

/** The run's manager, noting each read's newest mark and each write's place in the emulator's call list. */
function recording(inner: SecurityGroupManager, run: string, o: Origin, log: RunEvent[], prefix: string): SecurityGroupManager {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const name = String(prop);
      if (!WRITES.has(name) && name !== 'readGroups') return value.bind(target);
      return async (...args: unknown[]) => {
        try {
          const out = await value.apply(target, args);
          if (name === 'readGroups')
            log.push({ run, kind: 'read', mark: newestMark((out as Parameters<typeof toManagedGroup>[0][]).filter((g) => g.tags.PREFIX_NAME === prefix).map(toManagedGroup)) });
          return out;
        } finally {
          if (WRITES.has(name)) log.push({ run, kind: 'write', callIndex: o.emu.calls.length - 1 });
        }
      };
    },
  });
}

/** A run's whole life, as the handler and the CLI live it, against the emulator. */
async function live(o: Origin, spec: RunSpec, settings: GuardSettings, log: RunEvent[]): Promise<RunOutcome> {
  try {
    const ec2 = recording(new Ec2SecurityGroupManager(o.emu.client(spec.name)), spec.name, o, log, settings.prefixName);
    const fetch = async () => desiredStateFor((await fetchIpRanges(spec.url, { allowedUrls: settings.ipRangesAllowedUrls })).document, settings);
    // The document as notified (the body the run started with), then whatever the URL serves when it fetches again.
    const notified = desiredStateFor(parseIpRangesDocument(Buffer.from(spec.body)), settings);
    const { result } = await reconcileToNewest({ ec2, settings, desired: notified, apply: true }, fetch);
    return { result };
  } catch (error) {
    return { error };
  }
}

/** "Run `run` until `calls` of its calls have been answered" (Infinity: to its end). */
export interface Segment {
  readonly run: string;
  readonly calls: number;
}

/**
 * Plays a schedule. Each run starts with its first segment (its URL publishing its body then) and
 * is held before each later call; a segment lets it go on until `calls` more have been answered
 * (or it ends). Returns every run's outcome and the event log. Segments of a run that has ended
 * are skipped.
 */
export async function play(o: Origin, specs: readonly RunSpec[], settings: GuardSettings, schedule: readonly Segment[]): Promise<{ outcomes: Record<string, RunOutcome>; log: RunEvent[] }> {
  const log: RunEvent[] = [];
  const running = new Map<string, { done: Promise<RunOutcome>; finished: boolean; hold?: ReturnType<Origin['emu']['pauseRun']> }>();
  const outcomes: Record<string, RunOutcome> = {};
  const served = new Map<string, string>();
  for (const seg of schedule) {
    let state = running.get(seg.run);
    if (state?.finished) continue;
    // A fresh run is held before call calls+1; a held run's waiting call is the first of its `calls` more.
    const hold = Number.isFinite(seg.calls) ? o.emu.pauseRun(seg.run, state ? seg.calls : seg.calls + 1) : undefined;
    if (!state) {
      const spec = specs.find((s) => s.name === seg.run)!;
      // A URL serves the newest document published there: a run of an older one finds the newer (a shared URL).
      const path = new URL(spec.url).pathname.slice(1);
      const token = (JSON.parse(spec.body) as { syncToken: string }).syncToken;
      if (!served.has(path) || compareSyncTokens(token, served.get(path)!) > 0) {
        o.server.serve(path, spec.body);
        served.set(path, token);
      }
      const entry = { done: live(o, spec, settings, log), finished: false };
      entry.done.then((r) => ((entry.finished = true), (outcomes[seg.run] = r)));
      running.set(seg.run, entry);
      state = entry;
    } else state.hold?.release();
    state.hold = hold;
    await Promise.race([hold?.reached ?? new Promise(() => undefined), state.done]);
  }
  // Anything still held runs to its end alone, one run after another, in order of first appearance.
  for (const [name, state] of running) {
    state.hold?.release();
    outcomes[name] = await state.done;
  }
  return { outcomes, log };
}
