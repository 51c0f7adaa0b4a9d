import { GuardError } from '../../lambda-src/core/errors';

/** Runs `fn` and returns the GuardError it throws; anything else (or nothing thrown) fails the test. */
export function caught(fn: () => unknown): GuardError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GuardError) return e;
    throw e;
  }
  throw new Error('expected a GuardError, nothing was thrown');
}
