import { existsSync, readFileSync } from 'fs';
import path from 'path';
import type { Argv, CommandModule } from 'yargs';
import yargs from 'yargs/yargs';
import { COMMANDS, ROOT_EPILOGUE, ROOT_EXAMPLES, ROOT_USAGE } from './command-list';
import type { CommandSpec, WithInvocation } from './invocation';
import { GLOBAL_GROUP, GLOBAL_OPTIONS, SETTINGS_GROUP, settingOptions } from './options';

/** The yargs parser: loaded by `main` only when a command runs or a help screen other than the root's is asked for. */

export function packageVersion(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  }
  return '0.0.0';
}

export function buildParser(args: readonly string[], onFail: (message: string | undefined, error: Error | undefined) => void) {
  const settings = settingOptions();
  const named = args.find((a) => isCommand(a));
  let parser = yargs([...args])
    .scriptName('cfguard')
    // A flag given twice takes its last value (as in most CLIs), instead of becoming an array no option expects.
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .usage(ROOT_USAGE)
    .env('CFGUARD')
    .options(GLOBAL_OPTIONS)
    .options(settings);
  // A command's own flags first in its --help (yargs prints groups in the order they are made).
  if (named) parser = parser.group(commandOptionKeys(named), `${named} options:`);
  parser = parser.group(Object.keys(GLOBAL_OPTIONS), GLOBAL_GROUP).group(Object.keys(settings), SETTINGS_GROUP);
  for (const command of COMMANDS) parser = parser.command(yargsModule(command));
  parser = parser
    .demandCommand(1, `name a command: ${COMMANDS.map((c) => c.command).join(', ')}`)
    .strict()
    .recommendCommands();
  for (const [example, what] of ROOT_EXAMPLES) parser = parser.example(example, what);
  return parser
    .epilogue(ROOT_EPILOGUE)
    .help()
    .alias('help', 'h')
    .version(packageVersion())
    .group(['help', 'version'], GLOBAL_GROUP)
    .wrap(Math.min(120, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => onFail(message ?? undefined, error ?? undefined));
}

/** Every option name yargs knows at this point (global, settings, and the chosen command's). */
export function knownOptionKeys(parser: unknown): string[] {
  const options = (parser as { getOptions?: () => { key?: Record<string, unknown> } }).getOptions?.();
  return Object.keys(options?.key ?? {});
}

export function isCommand(name: string): boolean {
  return COMMANDS.some((c) => c.command === name);
}

/** The flags a command declares: what "did you mean --apply?" picks from, since yargs forgets them once strict mode fails. */
export function commandOptionKeys(name: string | undefined): string[] {
  return Object.keys(COMMANDS.find((c) => c.command === name)?.options ?? {});
}

/** A command's yargs module; its handler defers the run to `main`, whose parse context carries `cli` (cli/invocation.ts). */
function yargsModule(spec: CommandSpec): CommandModule {
  return {
    command: spec.command,
    describe: spec.describe,
    builder: (y: Argv) => {
      let built = y.options(spec.options ?? {});
      if (spec.check) built = built.check(spec.check);
      for (const [example, what] of spec.examples) built = built.example(example, what);
      return spec.epilogue === undefined ? built : built.epilogue(spec.epilogue);
    },
    handler: (argv) => (argv as unknown as WithInvocation).cli.defer(async (io) => (await spec.load())(argv as never, io)),
  };
}
