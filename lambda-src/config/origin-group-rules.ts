/*
 * CloudFront's rules for an origin group, in our words, shared by the config file (naming
 * `secondaryOrigin.<key>`) and EdgeDistribution (naming `secondaryOrigin.<key>` too). No cdktf import.
 *
 * Sources (CloudFront Developer Guide):
 * - "Optimize high availability with CloudFront origin failover" (high_availability_origin_failover.html):
 *   an origin group has exactly two origins, a primary and a secondary; a cache behaviour targets the
 *   group; failover status codes are chosen from 400, 403, 404, 416, 500, 502, 503 and 504; by default
 *   CloudFront tries the primary for 30 s (3 connection attempts of 10 s) before failing over.
 * - "Request and response behavior for origin groups" (RequestAndResponseBehaviorOriginGroups.html):
 *   CloudFront fails over only when the viewer's method is GET, HEAD or OPTIONS.
 * - "Origin settings": connection attempts 1-3, connection timeout 1-10 s; custom headers and Origin
 *   Shield are settings of each origin, so both origins must carry the secret header and the shield.
 */
import type { RuleProblem } from './config-errors';

/** The status codes CloudFront accepts as failover criteria. */
export const FAILOVER_STATUS_CODES = [400, 403, 404, 416, 500, 502, 503, 504] as const;
/** "This server cannot serve the stream". 404 is left out: a live segment not yet written is a 404 too. */
export const DEFAULT_FAILOVER_STATUS_CODES = [500, 502, 503, 504] as const;
/** Members of an origin group: CloudFront's fixed number. */
export const ORIGIN_GROUP_MEMBERS = 2;
/**
 * One attempt of 1 s: an origin that does not accept a TCP connection within a second (Origin
 * Shield and the origin are in or near the same region: round trips of milliseconds) is down, and the
 * secondary is asked at once. Worst case before failover: 1 x 1 s, a quarter of the default 4 s segment.
 */
export const DEFAULT_CONNECTION_ATTEMPTS = 1;
export const DEFAULT_CONNECTION_TIMEOUT_SECONDS = 1;
/** The allowed-methods values an origin-group behaviour may take (GET, HEAD, OPTIONS only). */
export const ORIGIN_GROUP_ALLOWED_METHODS = ['GET_HEAD', 'GET_HEAD_OPTIONS'] as const;

export interface OriginGroupInput {
  readonly failoverStatusCodes?: readonly number[];
  readonly connectionAttempts?: number;
  readonly connectionTimeoutSeconds?: number;
}

/** The longest a failed connection may delay a failover: half a segment, at least CloudFront's 1 s minimum. */
export function maxFailoverDelaySeconds(liveSegmentSeconds: number): number {
  return Math.max(1, Math.floor(liveSegmentSeconds / 2));
}

/**
 * The first broken rule, or undefined: its key under `secondaryOrigin`, or a distribution key prefixed
 * `distribution.`. `d` carries the distribution keys the rules depend on;
 * `known` tells literal values from apply-time tokens, which are skipped.
 */
export function originGroupProblem(
  g: OriginGroupInput,
  d: { readonly allowedMethods?: string; readonly liveSegmentSeconds?: number; readonly primaryDomainName?: string; readonly secondaryDomainName?: string },
  known: (value: unknown) => boolean = () => true,
): RuleProblem | undefined {
  if (d.allowedMethods !== undefined && known(d.allowedMethods) && !(ORIGIN_GROUP_ALLOWED_METHODS as readonly string[]).includes(d.allowedMethods)) {
    return {
      key: 'distribution.allowedMethods',
      rule: "'GET_HEAD' or 'GET_HEAD_OPTIONS' with a secondary origin (CloudFront fails over only GET, HEAD and OPTIONS requests, so a behaviour on an origin group allows no other method)",
      value: d.allowedMethods,
    };
  }
  const codes = g.failoverStatusCodes ?? DEFAULT_FAILOVER_STATUS_CODES;
  if (known(codes)) {
    if (codes.length === 0)
      return { key: 'failoverStatusCodes', rule: `at least one of ${FAILOVER_STATUS_CODES.join(', ')} (with none, CloudFront would never fail over on a response)`, value: codes };
    for (const [i, code] of codes.entries()) {
      if (!(FAILOVER_STATUS_CODES as readonly number[]).includes(code)) {
        return { key: `failoverStatusCodes[${i}]`, rule: `one of ${FAILOVER_STATUS_CODES.join(', ')} (the codes CloudFront accepts as failover criteria)`, value: code };
      }
      if (codes.indexOf(code) !== i) return { key: `failoverStatusCodes[${i}]`, rule: 'listed once', value: code };
    }
  }
  const attempts = g.connectionAttempts ?? DEFAULT_CONNECTION_ATTEMPTS;
  if (known(attempts) && !(Number.isInteger(attempts) && attempts >= 1 && attempts <= 3)) {
    return { key: 'connectionAttempts', rule: "an integer from 1 to 3 (CloudFront's range)", value: attempts };
  }
  const timeout = g.connectionTimeoutSeconds ?? DEFAULT_CONNECTION_TIMEOUT_SECONDS;
  if (known(timeout) && !(Number.isInteger(timeout) && timeout >= 1 && timeout <= 10)) {
    return { key: 'connectionTimeoutSeconds', rule: "an integer from 1 to 10 (CloudFront's range)", value: timeout };
  }
  const segment = d.liveSegmentSeconds;
  if (segment !== undefined && known(segment) && known(attempts) && known(timeout)) {
    const limit = maxFailoverDelaySeconds(segment);
    if (attempts * timeout > limit) {
      return {
        key: 'connectionTimeoutSeconds',
        rule:
          `such that connectionAttempts x connectionTimeoutSeconds is at most ${limit} s, half of 'distribution.liveSegmentSeconds' (${segment} s): ` +
          `CloudFront waits that long on a dead primary before asking the secondary, and the viewer's player must get its segment within one segment duration (${attempts} x ${timeout} = ${attempts * timeout} s)`,
        value: timeout,
      };
    }
  }
  const [primary, secondary] = [d.primaryDomainName, d.secondaryDomainName];
  if (primary !== undefined && secondary !== undefined && known(primary) && known(secondary) && primary.toLowerCase() === secondary.toLowerCase()) {
    return {
      key: 'originDomainName',
      rule: `a name other than the primary origin's ('${primary}'): an origin group's ${ORIGIN_GROUP_MEMBERS} members are two different servers`,
      value: secondary,
    };
  }
  return undefined;
}
