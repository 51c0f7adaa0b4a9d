import { guardError } from '../core/errors';
import { ORIGIN_ENV } from '../config/origin-probe-env';
import { originEmfFields } from '../core/metrics';
import { checkHttp, type HttpCheckResult } from '../aws/origin-http-check';
import { DEFAULT_TCP_PROBE_TIMEOUT_MS, probeTcpPorts, type TcpProbeResult } from '../aws/origin-probe';

/*
 * After each run (not a teardown): try the door. A TCP connection to the origin's public address on
 * each origin port, from the function's own address (not a CloudFront range), and in `required` mode
 * a request without the secret header. One log line with its own EMF metrics. Off unless the
 * construct set ORIGIN_PROBE_ADDRESS; a probe that cannot run never fails the reconcile.
 */

/** One connection attempt; with a secondary origin, which origin's address it tried. */
export type OriginTcpResult = TcpProbeResult & { readonly origin?: 'primary' | 'secondary' };

export interface OriginChecksLine {
  readonly level: 'info' | 'warn';
  readonly msg: 'origin-checks';
  readonly tcp: readonly OriginTcpResult[];
  readonly directlyReachable: number;
  readonly bypass?: HttpCheckResult;
  readonly bypassOpen?: number;
  readonly [emf: string]: unknown;
}

export async function runOriginChecks(env: Readonly<Record<string, string | undefined>>, prefix: string, firstRun: boolean): Promise<OriginChecksLine | undefined> {
  const address = env[ORIGIN_ENV.address];
  if (!address) return undefined;
  const ports = (env[ORIGIN_ENV.ports] ?? '')
    .split(',')
    .map((p) => Number(p.trim()))
    .filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
  const timeoutMs = Number(env[ORIGIN_ENV.timeoutMs]) || DEFAULT_TCP_PROBE_TIMEOUT_MS;
  const required = env[ORIGIN_ENV.secretMode] === 'required' && !!env[ORIGIN_ENV.checkUrl];
  const secondary = env[ORIGIN_ENV.secondaryAddress]?.trim();
  // Every origin's door is tried concurrently (the run's time stays one timeout); each result names its origin when there are two.
  const probes = [{ origin: 'primary' as const, host: address }, ...(secondary ? [{ origin: 'secondary' as const, host: secondary }] : [])];
  const [byOrigin, bypass] = await Promise.all([
    Promise.all(probes.map(async (o) => (await probeTcpPorts(o.host, ports, timeoutMs)).map((r): OriginTcpResult => (secondary ? { ...r, origin: o.origin } : r)))),
    required ? checkHttp(env[ORIGIN_ENV.checkUrl]!, undefined, timeoutMs) : undefined,
  ]);
  const tcp = byOrigin.flat();
  const directlyReachable = tcp.filter((t) => t.outcome === 'open').length;
  const bypassOpen = bypass ? (bypass.outcome === 'accepted' ? 1 : 0) : undefined;
  const line: OriginChecksLine = {
    level: directlyReachable > 0 || bypassOpen ? 'warn' : 'info',
    msg: 'origin-checks',
    tcp,
    directlyReachable,
    ...(bypass ? { bypass, bypassOpen } : {}),
    ...originEmfFields(prefix, { directlyReachable, bypassOpen }),
  };
  if (firstRun && bypassOpen) {
    throw guardError(
      'ORIGIN_BYPASS_OPEN',
      `originSecret.mode is 'required' but ${bypass!.url} answered HTTP ${bypass!.status} without the secret header: the origin does not enforce it, so any CloudFront distribution can reach it; install a recipe from the README ("The origin's side") and deploy again, or set originSecret.mode to 'on'`,
      'usage',
      { url: bypass!.url, status: bypass!.status },
    );
  }
  return line;
}
