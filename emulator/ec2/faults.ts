import { apiError, Ec2ApiError } from './errors';

/**
 * Injected failures. Each is decided when a request arrives, before the action runs, so a failed
 * request never changes state. Throttles come first, then server errors, then failWrite targets.
 */
export class Faults {
  private throttles = 0;
  private serverErrors = 0;
  /** Write requests received so far; failWrite targets are absolute positions in this count. */
  private writesSeen = 0;
  private readonly failAt = new Map<number, string>();
  /** Write positions EC2 applies but whose answer never arrives (the connection resets). */
  private readonly resetAt = new Set<number>();

  failWrite(k: number, code = 'InternalError'): void {
    if (!Number.isInteger(k) || k < 1) throw new Error(`failWrite(k): 'k' must be an integer >= 1 (1 = the next write), got ${k}`);
    this.failAt.set(this.writesSeen + k, code);
  }

  /**
   * The k-th write from now is applied, then the connection resets before the answer: the client
   * sees ECONNRESET and (being idempotent-unaware) retries a write EC2 already made.
   */
  resetAfterWrite(k: number): void {
    if (!Number.isInteger(k) || k < 1) throw new Error(`resetAfterWrite(k): 'k' must be an integer >= 1 (1 = the next write), got ${k}`);
    this.resetAt.add(this.writesSeen + k);
  }

  /** After a write succeeded: true when its answer must be lost (asked once per write). */
  resetDue(): boolean {
    return this.resetAt.delete(this.writesSeen);
  }

  throttle(n: number): void {
    this.throttles = count('throttle', n);
  }

  serverError(n: number): void {
    this.serverErrors = count('serverError', n);
  }

  clear(): void {
    this.throttles = 0;
    this.serverErrors = 0;
    this.failAt.clear();
    this.resetAt.clear();
  }

  /** The failure for this request, if one is due. Every write counts, failed or not. */
  next(write: boolean): Ec2ApiError | undefined {
    if (write) this.writesSeen += 1;
    if (this.throttles > 0) {
      this.throttles -= 1;
      return apiError('RequestLimitExceeded', 'Request limit exceeded.');
    }
    if (this.serverErrors > 0) {
      this.serverErrors -= 1;
      return apiError('InternalError', 'An internal error has occurred.');
    }
    const code = write ? this.failAt.get(this.writesSeen) : undefined;
    if (code === undefined) return undefined;
    this.failAt.delete(this.writesSeen);
    return new Ec2ApiError(code, code === 'InternalError' ? 'An internal error has occurred.' : `Injected failure: ${code}.`);
  }
}

function count(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what}(n): 'n' must be an integer >= 0, got ${n}`);
  return n;
}
