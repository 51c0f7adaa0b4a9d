import { badValueMessage, guardError } from './errors';

/** One IPv4 entry of ip-ranges.json, as AWS publishes it. */
export interface IpPrefix {
  readonly ip_prefix: string;
  readonly region: string;
  readonly service: string;
  readonly network_border_group?: string;
}

/** One IPv6 entry of ip-ranges.json, as AWS publishes it. */
export interface Ipv6Prefix {
  readonly ipv6_prefix: string;
  readonly region: string;
  readonly service: string;
  readonly network_border_group?: string;
}

/** The parts of ip-ranges.json the guard relies on; other top-level fields are ignored. */
export interface IpRangesDocument {
  /** Decimal epoch seconds of publication; orders documents. */
  readonly syncToken: string;
  /** `YYYY-MM-DD-hh-mm-ss`, UTC, as published (informational only). */
  readonly createDate: string;
  readonly prefixes: readonly IpPrefix[];
  readonly ipv6_prefixes: readonly Ipv6Prefix[];
}

/** A parsed document plus the facts about its bytes that logs and the CLI report. */
export interface LoadedDocument {
  readonly document: IpRangesDocument;
  /** MD5 of the exact bytes, lower-case hex (what AmazonIpSpaceChanged carries). */
  readonly md5: string;
  readonly bytes: number;
  /** The URL or file path it came from. */
  readonly source: string;
  /** Set when the MD5 did not match because the document is newer than the notification: its syncToken. */
  readonly rotatedFrom?: string;
}

const ACCEPTED_SHAPE = '{"syncToken":"<digits>","createDate":"<string>","prefixes":[{"ip_prefix","region","service"}...],"ipv6_prefixes":[{"ipv6_prefix","region","service"}...]}';

function invalid(source: string, path: string, rule: string, value: unknown): never {
  throw guardError(
    'DOCUMENT_INVALID',
    `${badValueMessage(path, `must be ${rule}`, value)} in the ip-ranges document from ${source}; the document is refused whole (expected ${ACCEPTED_SHAPE})`,
    'external',
    { source, path },
  );
}

/** A JSON object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks every entry with plain type tests rather than a schema library: the real document has
 * ~16k entries, and on a Lambda cold start a schema pass costs several times the JSON.parse itself.
 */
function checkEntries(source: string, list: unknown, listName: string, prefixKey: string): void {
  if (!Array.isArray(list)) invalid(source, listName, 'an array', list);
  for (let i = 0; i < list.length; i++) {
    const entry: unknown = list[i];
    if (!isRecord(entry)) invalid(source, `${listName}[${i}]`, 'an object', entry);
    for (const key of [prefixKey, 'region', 'service']) {
      if (typeof entry[key] !== 'string') invalid(source, `${listName}[${i}].${key}`, 'a string', entry[key]);
    }
    const nbg = entry.network_border_group;
    if (nbg !== undefined && typeof nbg !== 'string') invalid(source, `${listName}[${i}].network_border_group`, 'a string when present', nbg);
  }
}

/**
 * Parses and validates ip-ranges.json (DOCUMENT_INVALID names the first wrong field).
 * Entries are checked for shape only; CIDRs are checked where ranges are selected, so a bad range
 * in an unrelated service cannot block CloudFront's.
 */
export function parseIpRangesDocument(bytes: Uint8Array | string, source = 'the given bytes'): IpRangesDocument {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw guardError(
      'DOCUMENT_INVALID',
      `the ip-ranges document from ${source} must be valid JSON, got a parse error (${(e as Error).message}) in ${text.length} characters; the document is refused whole`,
      'external',
      { source },
    );
  }
  if (!isRecord(raw)) invalid(source, '(document)', 'a JSON object', raw);
  if (typeof raw.syncToken !== 'string' || !/^\d{1,20}$/.test(raw.syncToken)) invalid(source, 'syncToken', 'a string of decimal digits', raw.syncToken);
  if (typeof raw.createDate !== 'string' || raw.createDate.trim() === '') invalid(source, 'createDate', 'a non-empty string', raw.createDate);
  checkEntries(source, raw.prefixes, 'prefixes', 'ip_prefix');
  checkEntries(source, raw.ipv6_prefixes, 'ipv6_prefixes', 'ipv6_prefix');
  return raw as unknown as IpRangesDocument;
}
