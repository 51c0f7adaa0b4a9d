import type { Options } from 'yargs';
import type { CliIo } from './output';

/**
 * How a command's thin yargs handler hands its work to `main`: it defers a run function instead of
 * running it inside yargs, so `main` alone turns results and errors into exit codes and output.
 */
export type Run = (io: CliIo) => Promise<number>;

/** Passed to yargs as parse context, so every handler's argv carries it. */
export interface WithInvocation {
  readonly cli: { defer(run: Run): void };
}

/**
 * A command as data: parser.ts makes the yargs module from it (root-help.ts reads `command` and
 * `describe`), so every command is declared the same way and has one handler.
 */
export interface CommandSpec<A = never> {
  readonly command: string;
  readonly describe: string;
  /** The command's own flags, in the order its --help lists them. */
  readonly options?: Readonly<Record<string, Options>>;
  /** A check yargs runs on the parsed flags; a thrown Error is the usage error. */
  readonly check?: (argv: Readonly<Record<string, unknown>>) => true;
  readonly examples: ReadonlyArray<readonly [string, string]>;
  readonly epilogue?: string;
  /** Imports the run only when the command runs: its SDK clients, zod and the config schema stay out of --help. */
  readonly load: () => Promise<(argv: A, io: CliIo) => Promise<number>>;
}
