import * as http from 'node:http';
import * as https from 'node:https';

/*
 * One GET to the origin or the distribution, with or without the secret header, classified. Shared
 * by `cfguard verify-origin` / `rotate-origin-secret` and the Lambda's `required`-mode bypass check.
 * The header's value is sent, never logged or returned.
 */

/** `accepted`: 2xx/3xx; `denied`: 401/403 (the recipes answer 403); `other`: any other status; the rest: no answer. */
export type HttpOutcome = 'accepted' | 'denied' | 'other' | 'refused' | 'timeout' | 'unreachable';

export interface HttpCheckResult {
  readonly url: string;
  readonly outcome: HttpOutcome;
  readonly status?: number;
  readonly errorCode?: string;
}

export const DEFAULT_HTTP_CHECK_TIMEOUT_MS = 5000;

export function classifyStatus(status: number): HttpOutcome {
  if (status >= 200 && status < 400) return 'accepted';
  if (status === 401 || status === 403) return 'denied';
  return 'other';
}

/** True when the request reached an HTTP server (whatever it answered). */
export function answered(r: HttpCheckResult): boolean {
  return r.status !== undefined;
}

export function checkHttp(url: string, header: { name: string; value: string } | undefined, timeoutMs = DEFAULT_HTTP_CHECK_TIMEOUT_MS): Promise<HttpCheckResult> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: HttpCheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = client.request(target, { method: 'GET', headers: { 'user-agent': 'cfguard-verify-origin', ...(header ? { [header.name]: header.value } : {}) }, agent: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      finish({ url, outcome: classifyStatus(status), status });
    });
    const timer = setTimeout(() => {
      finish({ url, outcome: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ url, outcome: e.code === 'ECONNREFUSED' ? 'refused' : 'unreachable', errorCode: e.code }));
    req.end();
  });
}
