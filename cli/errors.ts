import { guardError, isGuardError, type GuardError } from '../lambda-src/core/errors';

/** The CLI's side of errors: usage errors, the one-line rendering and "did you mean" suggestions. */

export function usageError(message: string, details: Record<string, unknown> = {}): GuardError {
  return guardError('USAGE', message, 'usage', details);
}

/** `error CODE: message`, plus the stack with `--debug`; anything that is not a GuardError is a bug (INTERNAL). */
export function renderError(e: unknown, debug: boolean): string {
  const known = isGuardError(e);
  const code = known ? (e as GuardError).code : 'INTERNAL';
  const full = e instanceof Error ? e.message : String(e);
  // One line, always: a multi-line message (a require stack, say) keeps its first line unless --debug.
  const message = debug ? full : full.split('\n')[0];
  const hint = known || debug ? '' : ' (a bug in cfguard: run again with --debug for the stack and report it)';
  const stack = debug && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  return `error ${code}: ${message}${hint}${stack}\n`;
}

/** Levenshtein distance, for suggestions on typos. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The closest candidate within a third of the word's length (at least 2 edits), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
