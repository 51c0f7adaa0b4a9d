import { awsIdLooks, awsIdPattern, type AwsIdKind } from '../core/aws-ids';
import { tryParseCidr } from '../core/cidr';
import type { PortSpec, Rule } from '../core/model';
import { ruleKey, tryParsePort } from '../core/rules';

/*
 * The parsers of the settings table. Each takes a value as any front end gives it (the text of an
 * environment variable or a flag, or a JSON value from the config file or a construct's props) and
 * returns the typed value, or throws a SettingProblem saying which rule it breaks. The caller names
 * the setting the way its user gave it. Plain TypeScript, no schema library: the Lambda loads this.
 */

/** A value breaks its setting's rule; `path` points inside a list (`[1]`), `value` is the part at fault. */
export class SettingProblem extends Error {
  constructor(
    /** The whole "must ..." phrase. */
    public readonly rule: string,
    public readonly value: unknown,
    public readonly path: readonly number[] = [],
  ) {
    super(rule);
    this.name = 'SettingProblem';
  }
}

export type Parser<T> = (value: unknown) => T;

/** Decimal digits only: `0x3c`, `1e2`, ` 60`, `60.0` and `+60` are refused, whichever front end gave them. */
const DECIMAL_INTEGER = /^\d{1,9}$/;
const DECIMAL_FRACTION = /^(?:\d{1,9}(?:\.\d{1,9})?|\.\d{1,9})$/;

/** A number `within` accepts: a JSON number, or text `decimal` matches whole. */
function numberIn(decimal: RegExp, within: (n: number) => boolean, rule: string): Parser<number> {
  return (value) => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && decimal.test(value) ? Number(value) : NaN;
    if (!within(n)) throw new SettingProblem(rule, value);
    return n;
  };
}

/** A whole number from `min` to `max`: a JSON integer, or text of decimal digits only. */
export const integerIn = (min: number, max: number) => numberIn(DECIMAL_INTEGER, (n) => Number.isInteger(n) && n >= min && n <= max, `must be a whole number from ${min} to ${max}`);

/** A fraction in (0, 1]: a JSON number, or decimal text like `0.25`. */
export const fraction = () => numberIn(DECIMAL_FRACTION, (n) => Number.isFinite(n) && n > 0 && n <= 1, 'must be a fraction above 0 and at most 1');

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false, '': false };

/** true or false; as text `true`/`false` in any case, `1`/`0`, or empty (false). */
export function boolean(): Parser<boolean> {
  return (value) => {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && value.toLowerCase() in BOOLEAN_TEXT) return BOOLEAN_TEXT[value.toLowerCase()];
    throw new SettingProblem(typeof value === 'string' ? "must be 'true' or 'false'" : 'must be true or false', value);
  };
}

/** Text matching `pattern`. */
export function text(pattern: RegExp, rule: string): Parser<string> {
  return (value) => {
    if (typeof value !== 'string' || !pattern.test(value)) throw new SettingProblem(rule, value);
    return value;
  };
}

/** An AWS id (core/aws-ids), or empty for unset (the tutorial's `VPC_ID=`): `must look like 'i-0123456789abcdef0'` otherwise. */
export function awsId(kind: AwsIdKind): Parser<string | undefined> {
  const id = text(awsIdPattern(kind), `must ${awsIdLooks(kind)}`);
  return (value) => (value === '' ? undefined : id(value));
}

/** The items of a comma-separated text or a JSON list of strings, trimmed, empty ones dropped. */
function items(value: unknown, rule: string): { list: string[]; fromText: boolean } {
  const fromText = typeof value === 'string';
  if (!fromText && !Array.isArray(value)) throw new SettingProblem(rule, value);
  const raw: unknown[] = fromText ? value.split(',') : (value as unknown[]);
  raw.forEach((item, i) => {
    if (typeof item !== 'string') throw new SettingProblem('must be a string', item, [i]);
  });
  return { list: (raw as string[]).map((s) => s.trim()).filter((s) => s.length > 0), fromText };
}

/** The items, each passing `ok`: a bad one fails a comma-separated text whole (`whole`), a JSON list at its index (`itemRule`). */
function itemsWhere(value: unknown, listRule: string, whole: string, itemRule: string, ok: (item: string) => boolean): string[] {
  const { list, fromText } = items(value, listRule);
  list.forEach((item, i) => {
    if (!ok(item)) throw fromText ? new SettingProblem(whole, value) : new SettingProblem(itemRule, item, [i]);
  });
  return list;
}

/** A list of values from `allowed`, duplicates dropped. */
export function listOf<T extends string>(allowed: readonly T[]): Parser<T[]> {
  const whole = `must list only ${allowed.join(' and/or ')}`;
  const itemRule = `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
  return (value) => {
    const list = itemsWhere(value, `${whole}, as a list or a comma-separated string`, whole, itemRule, (item) => (allowed as readonly string[]).includes(item));
    if (list.length === 0) throw new SettingProblem(`must name at least one of ${allowed.join(', ')}`, value);
    return [...new Set(list as T[])];
  };
}

function isHttpUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** http(s) URLs, as a JSON list or a comma-separated text; may be empty. */
export function urlList(): Parser<string[]> {
  const whole = 'must be a comma-separated list of http(s) URLs';
  return (value) => itemsWhere(value, whole, whole, 'must be an http(s) URL', isHttpUrl);
}

const ITEM_RULE = "must be a port like '80/tcp', '1935/udp', '8000-8010/tcp' or 80 (ports 1-65535, protocol tcp or udp)";

/** A JSON port number in a list is its text: `[80, 443]` is `['80', '443']`, which are tcp like any bare port. */
const portText = (v: unknown) => (typeof v === 'number' ? String(v) : v);

/** Ports like `80/tcp`, `1935/udp`, `8000-8010/tcp` (a bare `80`, or `80` as a JSON number in a list, is tcp), as a JSON list or a comma-separated text. */
export function portList(): Parser<PortSpec[]> {
  const rule = "must be a comma-separated list like '80/tcp,443/tcp' (ports 1-65535, protocol tcp or udp)";
  return (raw) => {
    const value = Array.isArray(raw) ? raw.map(portText) : raw;
    const { list, fromText } = items(value, "must be a list like ['80/tcp', '443/tcp'] or a comma-separated string");
    if (list.length === 0) throw new SettingProblem("must name at least one port like '80/tcp'", value);
    // A JSON list names the item at fault (`guard.ports[1]`), by its index in the list as written.
    const positions = fromText ? list.map(() => undefined) : (value as unknown[]).flatMap((v, i) => (String(v).trim() === '' ? [] : [i]));
    const seen = new Map<string, PortSpec>();
    list.forEach((item, n) => {
      const port = tryParsePort(item);
      if (!port) {
        const at = positions[n];
        throw at === undefined ? new SettingProblem(rule, item) : new SettingProblem(ITEM_RULE, (raw as unknown[])[at], [at]);
      }
      seen.set(`${port.fromPort}-${port.toPort}/${port.protocol}`, port);
    });
    return [...seen.values()];
  };
}

const INGEST_ITEM_RULE = "must be an ingest rule like '1935/udp', '8000-8010/tcp' or '1945/tcp@203.0.113.0/24' (ports 1-65535, tcp or udp; from 0.0.0.0/0 unless '@CIDR')";

/**
 * Ingest rules like `1935/udp,1945/tcp@203.0.113.0/24` (a bare port is tcp; no `@CIDR` is from
 * 0.0.0.0/0, as `ingest.rules` defaults it), as a JSON list or a comma-separated text; may be empty.
 */
export function ingestRuleList(): Parser<Rule[]> {
  return (value) => {
    const { list, fromText } = items(value, "must be a list like ['1935/udp', '1945/tcp'] or a comma-separated string");
    const rules = new Map<string, Rule>();
    list.forEach((item, i) => {
      const [portText, cidrText = '0.0.0.0/0', more] = item.split('@');
      const cidr = tryParseCidr(cidrText);
      const port = tryParsePort(portText);
      if (!port || !cidr || more !== undefined) throw new SettingProblem(INGEST_ITEM_RULE, item, fromText ? [] : [i]);
      const rule = { protocol: port.protocol, fromPort: port.fromPort, toPort: port.toPort, source: cidr.text };
      rules.set(ruleKey(rule), rule);
    });
    return [...rules.values()];
  };
}
