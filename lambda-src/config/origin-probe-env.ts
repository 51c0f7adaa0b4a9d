import type { PortSpec } from '../core/model';

/** The guard function's origin-check variables: set by the construct, read by lambda-src/function/origin-checks.ts. */
export const ORIGIN_ENV = {
  address: 'ORIGIN_PROBE_ADDRESS',
  /** The secondary origin's Elastic IP address; set only with `secondaryOrigin`, so single-origin stacks keep their variables. */
  secondaryAddress: 'ORIGIN_PROBE_SECONDARY_ADDRESS',
  ports: 'ORIGIN_PROBE_PORTS',
  timeoutMs: 'ORIGIN_PROBE_TIMEOUT_MS',
  secretMode: 'ORIGIN_SECRET_MODE',
  checkUrl: 'ORIGIN_CHECK_URL',
} as const;

/** The TCP ports among the guard's port specs, each once, sorted (a range probes its first port). */
export function tcpProbePorts(ports: readonly Pick<PortSpec, 'protocol' | 'fromPort'>[]): number[] {
  return [...new Set(ports.filter((p) => p.protocol === 'tcp').map((p) => p.fromPort))].sort((a, b) => a - b);
}
