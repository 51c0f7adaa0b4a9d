import type { Options } from 'yargs';
import { COMMANDS, ROOT_EPILOGUE, ROOT_EXAMPLES, ROOT_USAGE } from './command-list';
import { GLOBAL_GROUP, GLOBAL_OPTIONS, SETTINGS_GROUP, settingOptions, VARIABLE_RULE } from './options';

/*
 * `cfguard --help` without yargs: the root screen is the one people (and CI images) run most, and
 * loading yargs to print it costs more than the rest of the process. It reads the very tables the
 * yargs parser is built from (commands, options, examples), so the two cannot list different
 * things; every other help screen (`cfguard drift --help`) is yargs' own.
 */

const NAME = 'cfguard';

function columns(rows: ReadonlyArray<readonly [string, string]>, indent = '  '): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`.trimEnd());
}

function optionRows(options: Readonly<Record<string, Options>>): Array<[string, string]> {
  return Object.entries(options).map(([name, o]) => {
    const aliases = typeof o.alias === 'string' ? [o.alias] : (o.alias ?? []);
    const names = [`--${name}`, ...aliases.map((a) => `--${a}`)].join(', ');
    const shownDefault = o.defaultDescription ?? (o.default !== undefined ? String(o.default) : undefined);
    const facts = `[${String(o.type)}]${shownDefault !== undefined ? ` [default: ${shownDefault}]` : ''}`;
    return [names, `${o.describe ?? ''} ${facts}`];
  });
}

export function rootHelp(): string {
  const sections = [
    ROOT_USAGE.replace(/\$0/g, NAME),
    ['Commands:', ...columns(COMMANDS.map((c) => [`${NAME} ${c.command}`, c.describe]))].join('\n'),
    [
      GLOBAL_GROUP,
      ...columns([...optionRows(GLOBAL_OPTIONS), ['--help, -h', "Show help (a command's own with cfguard <command> --help) [boolean]"], ['--version', 'Show version number [boolean]']]),
    ].join('\n'),
    [SETTINGS_GROUP, ...columns(optionRows(settingOptions()))].join('\n'),
    ['Examples:', ...columns(ROOT_EXAMPLES.map(([example, what]) => [example.replace(/\$0/g, NAME), what]))].join('\n'),
    ROOT_EPILOGUE,
  ];
  return `${sections.join('\n\n')}\n`;
}

/** `cfguard help settings`: the settings every command shares, on their own page, in plain text. */
export function settingsHelp(): string {
  const sections = [
    [
      `${NAME} help settings`,
      '',
      "The reconciler's settings, which every command takes. Each is a flag, an environment variable and a",
      'key in the config file; a flag beats its variable, which beats the file.',
      `Names: ${VARIABLE_RULE};`,
      "the flag's own spelling (CFGUARD_SERVICES, CFGUARD_GROUP_ID) is read too.",
    ].join('\n'),
    [SETTINGS_GROUP.replace(/ \(.*\):$/, ':'), ...columns(optionRows(settingOptions()))].join('\n'),
  ];
  return `${sections.join('\n\n')}\n`;
}

/**
 * What `cfguard help …` asks for: a page printed here without yargs, or the arguments that show a
 * command's screen (`help drift` is `drift --help`); undefined when the arguments are no help request.
 */
export function helpRequest(args: readonly string[]): { page: string } | { args: string[] } | undefined {
  // Only the bare root help takes the fast path; anything else (a command, a flag) goes through yargs.
  if (args.length === 1 && ['--help', '-h', 'help'].includes(args[0])) return { page: rootHelp() };
  if (args[0] !== 'help' || args.length !== 2) return undefined;
  if (args[1] === 'settings') return { page: settingsHelp() };
  // A topic that is no command is left to yargs, whose unknown-command error has the did-you-mean.
  return { args: COMMANDS.some((c) => c.command === args[1]) ? [args[1], '--help'] : [args[1]] };
}
