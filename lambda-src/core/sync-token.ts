import type { ManagedGroup } from './model';
import { ruleSyncToken } from './ownership';

/** Tag keys the reconciler writes on managed groups. `PREFIX_NAME` is the tutorial's, so its groups are found. */
export const MANAGED_TAG_KEY = 'PREFIX_NAME';
export const SYNC_TOKEN_TAG_KEY = 'CFGUARD_SYNC_TOKEN';
/**
 * Written only in the CreateSecurityGroup call itself (tag on create): the function's IAM policy lets
 * it strip egress from, and delete, only groups carrying it (or the adoption tag cfguard import writes).
 */
export const CREATED_TAG_KEY = 'CFGUARD_CREATED';

/** syncTokens are decimal epoch seconds; compare them as numbers of any length, without floating point. */
export function compareSyncTokens(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** How far ahead of the clock a syncToken may be: AWS stamps documents at publication, so a day covers any clock skew. */
export const MAX_SYNC_TOKEN_AHEAD_SECONDS = 86_400;

/** True when `syncToken` (epoch seconds) is more than a day ahead of `nowMs`. */
export function isFutureSyncToken(syncToken: string, nowMs: number): boolean {
  const limit = String(Math.floor(nowMs / 1000) + MAX_SYNC_TOKEN_AHEAD_SECONDS);
  return compareSyncTokens(syncToken, limit) > 0;
}

/**
 * The newest document a group bears the mark of: its CFGUARD_SYNC_TOKEN tag, or the token in the
 * description of a rule the guard wrote (guardRuleDescription). The rules are the mark a run leaves
 * first (its authorize precedes its tag) and the one an older run's late tag cannot overwrite. Marks
 * more than a day ahead of `nowMs` are ignored (SYNC_TOKEN_IN_FUTURE), when a clock is given.
 */
export function newestMark(groups: readonly ManagedGroup[], nowMs?: number): string | undefined {
  let newest: string | undefined;
  for (const t of groups.flatMap((g) => [g.syncToken, ...g.ingress.map((r) => ruleSyncToken(r.description))])) {
    const usable = t !== undefined && /^\d+$/.test(t) && (nowMs === undefined || !isFutureSyncToken(t, nowMs));
    if (usable && (newest === undefined || compareSyncTokens(t, newest) > 0)) newest = t;
  }
  return newest;
}
