import { nearestWord } from '../lambda-src/core/spelling';

/*
 * Turns yargs' failure messages into one line that says what is wrong and how to fix it: a
 * suggestion for a mistyped flag, the variable's name for a stray CFGUARD_* environment variable,
 * and a pointer to --help.
 */

const UNKNOWN = /^Unknown arguments?: (.*)$/;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function givenOnCommandLine(name: string, args: readonly string[]): boolean {
  return args.some((a) => a === name || a.replace(/^--?(no-)?/, '').split('=')[0] === name);
}

function describeUnknown(names: string[], args: readonly string[], knownKeys: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  // yargs lists a flag both as written and camel-cased; keep the written form.
  const written = names.filter((n) => !(/[A-Z]/.test(n) && names.includes(kebab(n))));
  const flags = [...new Set(knownKeys.filter((k) => !/[A-Z]/.test(k) && k !== '$0'))];
  const parts = written.map((name) => {
    const envName = `CFGUARD_${kebab(name).replace(/-/g, '_').toUpperCase()}`;
    if (!givenOnCommandLine(name, args) && env[envName] !== undefined) {
      const near = nearestWord(kebab(name), flags);
      return `environment variable ${envName} is not a cfguard setting; unset it${near ? ` (did you mean CFGUARD_${near.replace(/-/g, '_').toUpperCase()}?)` : ''}`;
    }
    const asFlag = args.some((a) => a.startsWith('-') && a.replace(/^--?(no-)?/, '').split('=')[0] === name);
    if (!asFlag && args.includes(name)) {
      const firstPositional = args.find((a) => !a.startsWith('-'));
      return firstPositional === name ? `unknown command '${name}'` : `unexpected argument '${name}'`;
    }
    const near = nearestWord(name, flags);
    return `unknown option '--${name}'${near ? ` (did you mean --${near}?)` : ''}`;
  });
  return parts.join('; ');
}

export function describeUsageFailure(messages: readonly string[], args: readonly string[], knownKeys: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  const suggestions = messages.filter((m) => m.startsWith('Did you mean'));
  const rest = messages.filter((m) => !m.startsWith('Did you mean'));
  const described = rest.map((m) => {
    const unknown = UNKNOWN.exec(m);
    return unknown
      ? describeUnknown(
          unknown[1].split(', ').map((s) => s.trim()),
          args,
          knownKeys,
          env,
        )
      : m;
  });
  const suggestion = suggestions.length > 0 ? ` ${suggestions[0]}` : '';
  return `${[...new Set(described)].join('; ')}.${suggestion} Run 'cfguard --help' for the commands and options.`.replace(/\.\./g, '.');
}
