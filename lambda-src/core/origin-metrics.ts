/**
 * The origin checks' metrics, on a line of their own next to the run's line, in the run's namespace
 * and dimension (core/metrics.ts). The alarms (constructs/origin-probe-alarms.ts) import these names.
 */
import { emfBlock } from './metrics';

export const ORIGIN_METRICS = {
  /** Origin ports that accepted a TCP connection from the function (not a CloudFront address). */
  directlyReachable: 'OriginDirectlyReachable',
  /** 1 when, in `required` mode, the origin served a request without the secret header. */
  bypassOpen: 'OriginBypassOpen',
} as const;

export function originEmfFields(prefix: string, values: { directlyReachable: number; bypassOpen?: number }, timestamp = Date.now()): Record<string, unknown> {
  const metrics: Record<string, number> = { [ORIGIN_METRICS.directlyReachable]: values.directlyReachable };
  if (values.bypassOpen !== undefined) metrics[ORIGIN_METRICS.bypassOpen] = values.bypassOpen;
  return emfBlock(prefix, metrics, timestamp);
}
