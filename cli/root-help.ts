import type { Options } from 'yargs';
import { COMMANDS, ROOT_EPILOGUE, ROOT_EXAMPLES, ROOT_USAGE } from './command-list';
import { GLOBAL_GROUP, GLOBAL_OPTIONS, SETTINGS_GROUP, settingOptions } from './options';

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
    const names = [`--${name}`, ...(typeof o.alias === 'string' ? [`--${o.alias}`] : [])].join(', ');
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

/** Only the bare root help takes the fast path; anything else (a command, a flag) goes through yargs. */
export function isRootHelp(args: readonly string[]): boolean {
  return args.length === 1 && (args[0] === '--help' || args[0] === '-h');
}
