import { connect } from 'node:net';

/*
 * "Trying the door": one TCP connection to the origin's public address per origin port, from a
 * host that is not in a CloudFront range (the Lambda, or the operator's machine). A connection that
 * opens means something (a group, a NACL, a load balancer) lets traffic around CloudFront.
 * Shared by the Lambda's scheduled run and `cfguard verify-origin`.
 */

/** `open`: the handshake completed; `refused`: RST (a host is there, nothing listens or a firewall rejects); `timeout`: no answer (dropped, as a security group does). */
export type TcpProbeOutcome = 'open' | 'refused' | 'timeout' | 'unreachable';

export interface TcpProbeResult {
  readonly host: string;
  readonly port: number;
  readonly outcome: TcpProbeOutcome;
  readonly elapsedMs: number;
  /** The socket error code behind `unreachable` (EHOSTUNREACH, ENOTFOUND, …). */
  readonly errorCode?: string;
}

/** Security groups drop: a few seconds decide it, and the Lambda probes every port within its timeout. */
export const DEFAULT_TCP_PROBE_TIMEOUT_MS = 3000;

export function probeTcpPort(host: string, port: number, timeoutMs = DEFAULT_TCP_PROBE_TIMEOUT_MS): Promise<TcpProbeResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let settled = false;
    const finish = (outcome: TcpProbeOutcome, errorCode?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ host, port, outcome, elapsedMs: Date.now() - started, ...(errorCode ? { errorCode } : {}) });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.once('connect', () => finish('open'));
    socket.once('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ETIMEDOUT' ? 'timeout' : 'unreachable', e.code));
  });
}

/** Every port, concurrently, so the total is one timeout, not one per port. */
export function probeTcpPorts(host: string, ports: readonly number[], timeoutMs = DEFAULT_TCP_PROBE_TIMEOUT_MS): Promise<TcpProbeResult[]> {
  return Promise.all([...new Set(ports)].map((port) => probeTcpPort(host, port, timeoutMs)));
}
