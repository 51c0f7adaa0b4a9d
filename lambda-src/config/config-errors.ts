import type { z } from 'zod';
import { badValueMessage, guardError, type GuardError } from '../core/errors';
import { nearestWord } from '../core/spelling';

/*
 * Turns the first zod issue of a config file into the one CONFIG_INVALID error the user sees:
 * `'<json.path>' must be <rule>, got <value>`. Kept apart from config.ts so the schema reads alone.
 */

type Issue = z.core.$ZodIssue;

/** `guard.rulesPerGroup`, `ingest.rules[0].port`, or `(root)` for the file itself. */
function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out === '' ? '(root)' : out;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let here: unknown = raw;
  for (const part of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PropertyKey, unknown>)[part];
  }
  return here;
}

const ARTICLE: Record<string, string> = { array: 'an array', object: 'an object', int: 'an integer', string: 'a string', number: 'a number', boolean: 'true or false', record: 'an object' };

function bound(issue: { origin: string; inclusive?: boolean }, limit: number | bigint, big: boolean): string {
  const n = String(limit);
  if (issue.origin === 'string') return `${big ? 'at most' : 'at least'} ${n} characters long`;
  if (issue.origin === 'array' || issue.origin === 'set') return `a list of ${big ? 'at most' : 'at least'} ${n} item(s)`;
  if (issue.inclusive === false) return `${big ? 'less' : 'greater'} than ${n}`;
  return `${big ? 'at most' : 'at least'} ${n}`;
}

/** One rule phrase (`must be ...`) and the path it applies to; unions report their most telling branch. */
function describeIssue(issue: Issue, isMissing: (path: readonly PropertyKey[]) => boolean): { path: readonly PropertyKey[]; rule: string } {
  /** An issue inside this one (a union's branch, a record's key or element), its path under this one's. */
  const under = (inner: Issue) => {
    const described = describeIssue(inner, (p) => isMissing([...issue.path, ...p]));
    return { path: [...issue.path, ...described.path], rule: described.rule };
  };
  switch (issue.code) {
    case 'invalid_type':
      return { path: issue.path, rule: `must be ${isMissing(issue.path) ? 'set to ' : ''}${ARTICLE[issue.expected] ?? issue.expected}` };
    case 'too_big':
      return { path: issue.path, rule: `must be ${bound(issue, issue.maximum, true)}` };
    case 'too_small':
      return { path: issue.path, rule: `must be ${bound(issue, issue.minimum, false)}` };
    case 'invalid_value':
      return { path: issue.path, rule: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'not_multiple_of':
      return { path: issue.path, rule: `must be a multiple of ${issue.divisor}` };
    case 'invalid_format':
      if (issue.format === 'url') return { path: issue.path, rule: 'must be an http(s) URL' };
      return { path: issue.path, rule: issue.message.startsWith('must') ? issue.message : `must match ${issue.pattern ?? issue.format}` };
    case 'invalid_union': {
      if (issue.discriminator) {
        const options = ('options' in issue ? (issue.options ?? []) : []).map((o: unknown) => JSON.stringify(o)).join(', ');
        const onKey = issue.path[issue.path.length - 1] === issue.discriminator;
        return { path: onKey ? issue.path : [...issue.path, issue.discriminator], rule: `must be one of ${options}` };
      }
      const firsts = issue.errors.map((branch) => branch[0]).filter((i): i is Issue => i !== undefined);
      // A branch that matched the value's shape and failed inside it (`cors.allowedOrigins`) says the most.
      const inside = firsts.find((i) => i.path.length > 0);
      if (inside) return under(inside);
      if (firsts.length > 0 && firsts.every((i) => i.code === 'invalid_type')) {
        const kinds = firsts.map((i) => (i.code === 'invalid_type' ? (ARTICLE[i.expected] ?? i.expected) : ''));
        return { path: [...issue.path, ...firsts[0].path], rule: `must be ${[...new Set(kinds)].join(' or ')}` };
      }
      // A branch that got past the type check says the most about what is wrong.
      const telling = firsts.find((i) => i.code !== 'invalid_type' && !(i.code === 'invalid_value' && i.values.includes(''))) ?? firsts[0];
      return telling ? under(telling) : { path: issue.path, rule: 'is not valid' };
    }
    case 'invalid_key':
    case 'invalid_element':
      return issue.issues[0] ? under(issue.issues[0]) : { path: issue.path, rule: 'is not valid' };
    default:
      return { path: issue.path, rule: issue.message.startsWith('must') ? issue.message : `must be valid (${issue.message})` };
  }
}

function where(source: string | undefined): string {
  return source ? `${source}: ` : '';
}

/**
 * The issue the user should hear about first: an unknown key, because a misspelt key (`instanceID`)
 * is also why its right spelling is "missing", and fixing the spelling fixes both.
 */
export function firstIssue(issues: readonly Issue[]): Issue | undefined {
  return issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
}

/** `'instanceID' (did you mean 'instanceId'?)`, or just `'foo'` when no known key is near. */
function unknownKeyText(key: string, known: readonly string[]): string {
  const near = nearestWord(key, known);
  return near !== undefined && near !== key ? `'${key}' (did you mean '${near}'?)` : `'${key}'`;
}

/** The one error for the first issue in a config file; `knownKeys` lists an object's keys for typos. */
export function configIssueError(issue: Issue, raw: unknown, source?: string, knownKeys?: (path: readonly PropertyKey[]) => string[]): GuardError {
  if (issue.code === 'unrecognized_keys') {
    const at = jsonPath(issue.path);
    const known = knownKeys?.(issue.path) ?? [];
    const keys = issue.keys.map((k) => unknownKeyText(k, known)).join(', ');
    const hint = known.length > 0 ? ` (known keys: ${known.join(', ')})` : '';
    const suggestions = Object.fromEntries(issue.keys.map((k) => [k, nearestWord(k, known)]).filter(([, near]) => near !== undefined));
    return guardError('CONFIG_INVALID', `${where(source)}'${at}' has unknown key(s) ${keys}; remove them or fix their spelling${hint}`, 'usage', { path: at, keys: issue.keys, suggestions });
  }
  const { path, rule } = describeIssue(issue, (p) => valueAt(raw, p) === undefined);
  const at = jsonPath(path);
  return configError(at, rule, valueAt(raw, path), source);
}

/** `<source>: '<path>' <rule>, got <value>; fix it in <source> and run again`. */
export function configError(at: string, rule: string, value: unknown, source?: string, details: Record<string, unknown> = {}): GuardError {
  const fix = source ? `fix it in ${source} and run again` : 'fix the configuration and run again';
  return guardError('CONFIG_INVALID', `${where(source)}${badValueMessage(at, rule, value)}; ${fix}`, 'usage', { path: at, ...details });
}

/**
 * A broken rule as the shared rule modules report it (alerting-rules, live-edge-rules,
 * origin-group-rules, edge-monitoring): the key at fault (`emails[1]`), the rule (`must be <rule>`),
 * the value got. The config file and the constructs each name the key their own way.
 */
export interface RuleProblem {
  readonly key: string;
  readonly rule: string;
  readonly value: unknown;
}

/** The config file's error for a rule module's problem, its key under `prefix` (`guard.alerting.`). */
export function problemError(prefix: string, problem: RuleProblem, source?: string): GuardError {
  return configError(`${prefix}${problem.key}`, `must be ${problem.rule}`, problem.value, source);
}

/** Re-homes an error raised by a shared validator (settings, ingest ids) under the config file's name. */
export function rehomeError(error: GuardError, source: string | undefined, path: string): GuardError {
  const why = error.code === 'CONFIG_INVALID' ? '' : ` [${error.code}]`;
  return guardError('CONFIG_INVALID', `${where(source)}${error.message}${why}`, 'usage', { path, ...error.details, ...(why ? { cause: error.code } : {}) });
}
