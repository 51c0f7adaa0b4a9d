#!/usr/bin/env node
/**
 * `cfguard`: the reconciler on the operator's machine. `main(args, io)` parses with yargs, runs the
 * command and returns the exit code; only the bin at the bottom touches `process.exitCode`.
 * Startup loads yargs and the command modules only; each command loads its heavy modules (the
 * SDK, zod, the config schema) when it runs, so `--help` stays fast.
 */
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import yargs from 'yargs/yargs';
import { hideBin } from 'yargs/helpers';
import * as cleanupCommand from './commands/cleanup';
import * as driftCommand from './commands/drift';
import * as importCommand from './commands/import';
import * as openIngestCommand from './commands/open-ingest';
import * as preflightCommand from './commands/preflight';
import * as rangesCommand from './commands/ranges';
import * as reconcileCommand from './commands/reconcile';
import * as statusCommand from './commands/status';
import * as testEventCommand from './commands/test-event';
import { describeUsageFailure } from './usage';
import { isGuardError } from '../lambda-src/core/errors';
import { renderError, usageError } from './errors';
import { EXIT_CODES_HELP, EXIT_ERROR, EXIT_OK } from './exit-codes';
import type { Run } from './invocation';
import { GLOBAL_GROUP, GLOBAL_OPTIONS, SETTINGS_GROUP, settingOptions } from './options';
import { processIo, type CliIo } from './output';

const COMMANDS = [preflightCommand, reconcileCommand, driftCommand, statusCommand, importCommand, openIngestCommand, cleanupCommand, testEventCommand, rangesCommand];

function packageVersion(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  }
  return '0.0.0';
}

export function buildParser(args: readonly string[], onFail: (message: string | undefined, error: Error | undefined) => void) {
  const settings = settingOptions();
  let parser = yargs([...args])
    .scriptName('cfguard')
    // A flag given twice takes its last value (as in most CLIs), instead of becoming an array no option expects.
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .usage('$0 <command> [options]\n\nKeeps an EC2 origin\'s security groups locked to CloudFront\'s published IP ranges.')
    .env('CFGUARD')
    .options(GLOBAL_OPTIONS)
    .options(settings)
    .group(Object.keys(GLOBAL_OPTIONS), GLOBAL_GROUP)
    .group(Object.keys(settings), SETTINGS_GROUP);
  for (const command of COMMANDS) parser = parser.command(command as never);
  return parser
    .demandCommand(1, `name a command: ${COMMANDS.map((c) => c.command).join(', ')}`)
    .strict()
    .recommendCommands()
    .example('$0 ranges', 'what CloudFront publishes now, and how many groups it needs')
    .example('$0 reconcile --apply', 'bring the managed groups in line')
    .example('$0 drift --json', 'check, for CI or a cron job')
    .example('$0 status', 'what the managed groups hold, the syncToken applied vs published, whether a plan is pending')
    .example('$0 cleanup --apply', 'remove the managed groups (after a failed destroy), keeping every other group')
    .epilogue(`${EXIT_CODES_HELP}\n\nEvery setting is also an environment variable CFGUARD_<NAME> (e.g. CFGUARD_PREFIX_NAME) and a key in the config file.`)
    .help()
    .alias('help', 'h')
    .version(packageVersion())
    .wrap(Math.min(120, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => onFail(message ?? undefined, error ?? undefined));
}

/** Every option name yargs knows at this point (global, settings, and the chosen command's). */
function knownOptionKeys(parser: unknown): string[] {
  const options = (parser as { getOptions?: () => { key?: Record<string, unknown> } }).getOptions?.();
  return Object.keys(options?.key ?? {});
}

/** Runs the CLI on the user's arguments (without `node` and the script), returning the exit code. */
export async function main(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const debug = args.includes('--debug') || /^(1|true)$/i.test(process.env.CFGUARD_DEBUG ?? '');
  const failures: string[] = [];
  let failure: Error | undefined;
  let deferred: Run | undefined;
  let shown = '';
  let invoked: { command: string; json: boolean } | undefined;
  const parser = buildParser(args, (message, error) => {
    if (error) failure ??= error;
    else if (message) failures.push(message);
  });
  try {
    await parser.parseAsync([...args], { cli: { defer: (run: Run) => void (deferred = run) } }, (_err, argv, output) => {
      shown = output;
      invoked = { command: String(argv._[0] ?? ''), json: argv.json === true };
    });
  } catch (e) {
    failure ??= e as Error;
  }
  if (failures.length > 0 || failure) {
    const message = failures.length > 0 ? describeUsageFailure(failures, args, knownOptionKeys(parser), process.env) : (failure as Error).message;
    io.stderr.write(renderError(usageError(message), debug));
    return EXIT_ERROR;
  }
  if (shown) io.stdout.write(`${shown}\n`);
  if (!deferred) return EXIT_OK;
  try {
    return await deferred(io);
  } catch (e) {
    io.stderr.write(renderError(e, debug));
    if (invoked?.json) io.stdout.write(`${JSON.stringify(errorDocument(invoked.command, e), null, 2)}\n`);
    return EXIT_ERROR;
  }
}

/** In `--json` mode a failed command still prints its one document, so scripts can read the code. */
function errorDocument(command: string, e: unknown): object {
  const error = isGuardError(e) ? e.toJSON() : { code: 'INTERNAL', kind: 'internal', message: e instanceof Error ? e.message : String(e) };
  return { command, status: 'error', exitCode: EXIT_ERROR, error };
}

if (require.main === module) {
  main(hideBin(process.argv)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(renderError(e, true));
      process.exitCode = EXIT_ERROR;
    },
  );
}
