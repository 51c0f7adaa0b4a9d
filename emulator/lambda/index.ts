import { startLoopbackServer, type LoopbackServer, type WireAnswer } from '../loopback-server';

/*
 * Lambda's GetAccountSettings in its real wire protocol (REST-JSON): GET /2016-08-19/account-settings.
 * A new account typically has ConcurrentExecutions 10, and Lambda keeps at least 10 unreserved.
 */

export interface LambdaEmulatorOptions {
  /** The account's concurrency quota. @default 1000 */
  readonly concurrentExecutions?: number;
  /** Not yet reserved by other functions. @default concurrentExecutions */
  readonly unreservedConcurrentExecutions?: number;
}

const PATH = '/2016-08-19/account-settings';

export function startLambdaEmulator(opts: LambdaEmulatorOptions = {}): Promise<LoopbackServer> {
  const total = opts.concurrentExecutions ?? 1000;
  const unreserved = opts.unreservedConcurrentExecutions ?? total;
  return startLoopbackServer('lambda', (req): WireAnswer => {
    const path = req.path.replace(/\/$/, '');
    if (req.method !== 'GET' || path !== PATH) {
      const body = JSON.stringify({ Type: 'User', message: `Unknown operation ${req.method} ${req.path}` });
      return { status: 404, contentType: 'application/json', body, action: '', params: { method: req.method, path: req.path }, errorCode: 'UnknownOperationException' };
    }
    const body = JSON.stringify({
      AccountLimit: { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: total, UnreservedConcurrentExecutions: unreserved },
      AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 },
    });
    return { status: 200, contentType: 'application/json', body, action: 'GetAccountSettings', params: {} as Record<string, string> };
  });
}
