import type { CliIo } from './output';

/**
 * How a command's thin yargs handler hands its work to `main`: it defers a run function instead of
 * running it inside yargs, so `main` alone turns results and errors into exit codes and output.
 */
export type Run = (io: CliIo) => Promise<number>;

export interface Invocation {
  defer(run: Run): void;
}

/** Passed to yargs as parse context, so every handler's argv carries it. */
export interface WithInvocation {
  readonly cli: Invocation;
}
