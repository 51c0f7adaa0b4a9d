/*
 * Where a JSON syntax error is. V8's messages differ by Node version: "at position N" (Node 20),
 * also "(line L column C)" (Node 22), or no position at all and a snippet of the file that may span
 * many lines ("Unexpected token ']', "[1,]" is not valid JSON"). So the config loader, once
 * JSON.parse has refused a file, walks the text itself to the first fault and says it the way an
 * editor counts: line and column from 1, and the text around it on that one line.
 * The grammar is RFC 8259's; only files JSON.parse refused come here.
 */

export interface JsonFault {
  /** 1-based, as editors count. */
  readonly line: number;
  readonly column: number;
  /** What the parser expected there, in words. */
  readonly reason: string;
  /** The text of that line around the fault, `…` where it is cut. */
  readonly near: string;
}

class Fault extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** A recursive-descent walk that throws a Fault at the first character that cannot be JSON. */
function walk(text: string): void {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (reason: string): never => {
    throw new Fault(i, i >= text.length ? `the file ends where ${reason}` : reason);
  };
  const match = (pattern: RegExp) => {
    pattern.lastIndex = i;
    const m = pattern.exec(text);
    if (m) i += m[0].length;
    return m !== null;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return container('}', entry);
    if (c === '[') return container(']', element);
    if (c === '"') return void (match(STRING) || fail('a string is not closed or holds a bad escape or control character'));
    const literal = LITERALS.find((l) => text.startsWith(l, i));
    if (literal) return void (i += literal.length);
    if (!match(NUMBER)) fail("a value was expected (a string in double quotes, a number, true, false, null, '{' or '[')");
  };
  /** The members of `{…}` or `[…]`, comma-separated, no trailing comma. */
  const container = (close: '}' | ']', member: () => void): void => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      space();
      member();
      space();
      if (text[i] === ',') i++;
      else if (text[i] === close) return void i++;
      else fail(`',' or '${close}' was expected after the value`);
    }
  };
  const entry = (): void => {
    if (text[i] !== '"') fail(text[i] === '}' ? "a key was expected after ',' (JSON allows no trailing comma)" : 'a key in double quotes was expected');
    match(STRING) || fail('a key is not closed');
    space();
    if (text[i] !== ':') fail("':' was expected after the key");
    i++;
    value();
  };
  const element = (): void => {
    if (text[i] === ']') fail("a value was expected after ',' (JSON allows no trailing comma)");
    value();
  };
  value();
  space();
  if (i < text.length) fail('the JSON value ends before this text');
}

/** How much of the line is quoted on each side of the fault. */
const QUOTE_CHARS = 40;

/** The first syntax fault in `text`, or undefined if it is valid JSON after all. */
export function jsonFault(text: string): JsonFault | undefined {
  // A byte-order mark is not JSON; editors hide it, so say so rather than point at column 1 of nothing.
  if (text.charCodeAt(0) === 0xfeff) return { line: 1, column: 1, reason: 'the file starts with a byte-order mark (save it as UTF-8 without BOM)', near: '' };
  try {
    walk(text);
    return undefined;
  } catch (e) {
    if (!(e instanceof Fault)) throw e;
    const position = Math.min(e.position, text.length);
    const lineStart = text.lastIndexOf('\n', position - 1) + 1;
    const newline = text.indexOf('\n', position);
    const lineEnd = newline === -1 ? text.length : newline;
    const from = Math.max(lineStart, position - QUOTE_CHARS);
    const to = Math.min(lineEnd, position + QUOTE_CHARS);
    const near = `${from > lineStart ? '…' : ''}${text.slice(from, to).replace(/\r$/, '').trim()}${to < lineEnd ? '…' : ''}`;
    return { line: text.slice(0, lineStart).split('\n').length, column: position - lineStart + 1, reason: e.reason, near };
  }
}
