/**
 * The race retry, shared by reconcile and teardown: a write that fails because another writer got
 * there first (RaceError) makes the run re-read and re-plan, at most MAX_RACE_ATTEMPTS times.
 */
import { RaceError } from './aws-errors';
import { guardError, type GuardError } from '../core/errors';

export const MAX_RACE_ATTEMPTS = 3;

export class RaceRetry {
  private attempt = 1;
  private last: RaceError | undefined;

  /** The attempt in progress (1-based); after a successful run, the number of attempts it took. */
  get attempts(): number {
    return this.attempt;
  }

  /** The race that ended the previous attempt, if any. */
  get lastRace(): RaceError | undefined {
    return this.last;
  }

  /** A write failed with `e`: rethrows anything but a race; records the race and says whether another attempt remains. */
  retryAfter(e: unknown): boolean {
    if (!(e instanceof RaceError)) throw e;
    this.last = e;
    return ++this.attempt <= MAX_RACE_ATTEMPTS;
  }

  /** The error once every attempt raced: `subject` names what kept changing, `advice` what to do. */
  gaveUp(subject: string, advice: string): GuardError {
    return guardError('CONVERGENCE_FAILED', `another writer kept changing ${subject} (${this.last?.message}); gave up after ${MAX_RACE_ATTEMPTS} attempts (MAX_RACE_ATTEMPTS). ${advice}`, 'external');
  }
}
