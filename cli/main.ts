#!/usr/bin/env node
/**
 * `cfguard`: the reconciler on the operator's machine. `main(args, io)` parses with yargs, runs the
 * command and returns the exit code; only the bin at the bottom touches `process.exitCode`.
 * The root `--help` is printed without yargs (root-help.ts); yargs and the command modules load
 * for everything else, and each command loads its heavy modules (the SDK, zod, the config schema)
 * only when it runs.
 */
import { isGuardError, respelled } from '../lambda-src/core/errors';
import { cliSpelling } from './spelling';
import { renderError, usageError } from './errors';
import { EXIT_ERROR, EXIT_OK } from './exit-codes';
import type { Run } from './invocation';
import { processIo, type CliIo } from './output';
import { helpRequest } from './root-help';

/** `--json` as the user asked for it, read from the raw arguments: a usage error happens before yargs has an argv. */
function wantsJson(args: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  const flag = [...args].reverse().find((a) => a === '--json' || a === '--no-json' || a.startsWith('--json='));
  if (flag !== undefined) return flag === '--json' || /^--json=(true|1)$/i.test(flag);
  return /^(1|true)$/i.test(env.CFGUARD_JSON ?? '');
}

/** In `--json` mode a failed command still prints its one document, so scripts can read the code. */
export function errorDocument(command: string | null, e: unknown): object {
  const error = isGuardError(e) ? e.toJSON() : { code: 'INTERNAL', kind: 'internal', message: e instanceof Error ? e.message : String(e) };
  return { command, status: 'error', exitCode: EXIT_ERROR, error };
}

/** Runs the CLI on the user's arguments (without `node` and the script), returning the exit code. */
export async function main(given: readonly string[], io: CliIo = processIo()): Promise<number> {
  const help = helpRequest(given);
  if (help && 'page' in help) {
    io.stdout.write(help.page);
    return EXIT_OK;
  }
  // `cfguard help drift` is `cfguard drift --help`; an unknown topic is yargs' unknown command, with its did-you-mean.
  const args = help?.args ?? given;
  const debug = args.includes('--debug') || /^(1|true)$/i.test(process.env.CFGUARD_DEBUG ?? '');
  const json = wantsJson(args, process.env);
  const { buildParser, commandOptionKeys, isCommand, knownOptionKeys } = await import('./parser');
  const { describeUsageFailure } = await import('./usage');
  const failures: string[] = [];
  let failure: Error | undefined;
  let deferred: Run | undefined;
  let shown = '';
  let command: string | null = null;
  const parser = buildParser(args, (message, error) => {
    if (error) failure ??= error;
    else if (message) failures.push(message);
  });
  try {
    await parser.parseAsync([...args], { cli: { defer: (run: Run) => void (deferred = run) } }, (_err, argv, output) => {
      shown = output;
      command = argv._[0] === undefined ? null : String(argv._[0]);
    });
  } catch (e) {
    failure ??= e as Error;
  }
  if (failures.length > 0 || failure) {
    const named = args.find((a) => isCommand(a)) ?? null;
    const keys = [...knownOptionKeys(parser), ...commandOptionKeys(named ?? undefined)];
    const error = usageError(failures.length > 0 ? describeUsageFailure(failures, args, keys, process.env) : (failure as Error).message);
    return fail(io, error, debug, json ? named : undefined);
  }
  if (shown) io.stdout.write(`${shown}\n`);
  if (!deferred) return EXIT_OK;
  // The SDK warns on every run under Node 20 about its future support: noise in a CLI's stderr, one more line than the contract's.
  if (!debug) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    return await deferred(io);
  } catch (e) {
    return fail(io, e, debug, json ? command : undefined);
  }
}

/** One `error CODE: message` line on stderr, and with `--json` (a command name given, maybe null) the error document on stdout. */
function fail(io: CliIo, e: unknown, debug: boolean, jsonCommand: string | null | undefined): number {
  // The core names settings by id; the CLI spells them as its user gave them.
  const spelled = respelled(e, cliSpelling());
  io.stderr.write(renderError(spelled, debug));
  if (jsonCommand !== undefined) io.stdout.write(`${JSON.stringify(errorDocument(jsonCommand, spelled), null, 2)}\n`);
  return EXIT_ERROR;
}

/** The process's side: the exit code from main(), or 1 with the stack of what escaped it. */
export function runAsProcess(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(renderError(e, true));
      process.exitCode = EXIT_ERROR;
    },
  );
}

// `node dist/cli/main.js` (tsc's output). The shipped bundle is an ES module, where `module` is not defined: its entry (cli/cfguard.ts) calls runAsProcess itself.
if (typeof module !== 'undefined' && require.main === module) runAsProcess();
