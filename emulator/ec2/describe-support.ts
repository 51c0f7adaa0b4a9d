import { apiError, invalidValue } from './errors';
import type { QueryParams } from './query';

/** What every Describe action shares: filters (values OR, filters AND, `*`/`?` wildcards) and paging. */

export interface Filter {
  name: string;
  values: string[];
}

/** Filter name -> the values an item offers for it. */
export type FilterSpec<T> = Readonly<Record<string, (item: T) => readonly string[]>>;

export function parseFilters<T>(params: QueryParams, spec: FilterSpec<T>, tagged: boolean): Filter[] {
  return params.structs('Filter').map((f) => {
    const name = f.get('Name') ?? '';
    const known = name in spec || (tagged && (name === 'tag-key' || name === 'tag-value' || /^tag:.+/.test(name)));
    if (!known) throw invalidValue('filter', name || 'null', `The filter '${name || 'null'}' is invalid for this action.`);
    const values = f.list('Value');
    if (values.length === 0) throw invalidValue('filter', name, `The filter '${name}' must have at least one value.`);
    return { name, values };
  });
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) source += glob[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

function offered<T>(item: T, name: string, spec: FilterSpec<T>, tagsOf?: (item: T) => Readonly<Record<string, string>>): readonly string[] {
  if (name in spec) return spec[name](item);
  const tags = tagsOf ? tagsOf(item) : {};
  if (name === 'tag-key') return Object.keys(tags);
  if (name === 'tag-value') return Object.values(tags);
  const key = name.slice('tag:'.length);
  return key in tags ? [tags[key]] : [];
}

export function applyFilters<T>(items: readonly T[], filters: readonly Filter[], spec: FilterSpec<T>, tagsOf?: (item: T) => Readonly<Record<string, string>>): T[] {
  const compiled = filters.map((f) => ({ name: f.name, patterns: f.values.map(globToRegExp) }));
  return items.filter((item) => compiled.every(({ name, patterns }) => offered(item, name, spec, tagsOf).some((v) => patterns.some((p) => p.test(v)))));
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface Paging {
  action: string;
  offset: number;
  limit: number;
}

/** The MaxResults an action accepts: 5..1000 for most, 1..100 for the prefix-list actions. */
export interface MaxResultsRange {
  readonly min: number;
  readonly max: number;
}

/**
 * EC2 paging, checked before anything is looked up: MaxResults must be within the action's range
 * (5..1000 for most) and cannot be combined with explicit ids; without it, id lookups return
 * everything and listings return pages of the emulator's `pageSize`.
 */
export function readPaging(action: string, params: QueryParams, idsParam: string | undefined, pageSize: number, range: MaxResultsRange = { min: 5, max: 1000 }): Paging {
  const maxResults = params.int('MaxResults');
  const idsGiven = idsParam !== undefined && params.has(idsParam);
  if (maxResults !== undefined) {
    if (idsGiven) {
      throw apiError('InvalidParameterCombination', `The parameter ${idsParam} cannot be used with the parameter maxResults`);
    }
    if (maxResults < range.min || maxResults > range.max) {
      throw invalidValue('maxResults', String(maxResults), `Expecting a value greater than or equal to ${range.min} and less than or equal to ${range.max}.`);
    }
  }
  const token = params.get('NextToken');
  const offset = token === undefined || token === '' ? 0 : decodeToken(action, token);
  return { action, offset, limit: maxResults ?? (idsGiven ? Number.MAX_SAFE_INTEGER : pageSize) };
}

export function pageOf<T>(all: readonly T[], paging: Paging): Page<T> {
  const items = all.slice(paging.offset, paging.offset + paging.limit);
  const next = paging.offset + paging.limit;
  return next < all.length ? { items, nextToken: encodeToken(paging.action, next) } : { items };
}

function encodeToken(action: string, offset: number): string {
  return Buffer.from(JSON.stringify({ a: action, o: offset })).toString('base64url');
}

function decodeToken(action: string, token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown; o?: unknown };
    if (parsed.a === action && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through: any undecodable token is refused the same way
  }
  throw apiError('InvalidPaginationToken', `The specified pagination token is not valid or is expired: ${token}`);
}

/** Ids the caller named that do not exist, as EC2 reports them: all at once, comma-separated. */
export function requireKnown(ids: readonly string[], known: (id: string) => boolean, code: string, noun: string): void {
  const missing = ids.filter((id) => !known(id));
  if (missing.length > 0) throw apiError(code, `The ${noun} '${missing.join(', ')}' does not exist`);
}
