import { createHash } from 'crypto';
import { createReadStream } from 'fs';
import { guardError, isGuardError } from '../core/errors';
import { parseIpRangesDocument, type LoadedDocument } from '../core/ip-ranges-document';
import { OFFICIAL_IP_RANGES_URL } from '../config/settings';
import { compareSyncTokens, isFutureSyncToken, MAX_SYNC_TOKEN_AHEAD_SECONDS } from '../core/sync-token';

/**
 * The largest document accepted: 16 MiB, six times today's ~2.6 MB. Parsing costs about six times
 * the bytes in memory, so the cap keeps a run inside the function's 256 MB; a larger (or endless)
 * body is aborted as it streams in, before it is parsed.
 */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

function tooLarge(source: string, maxBytes: number): never {
  throw guardError(
    'DOCUMENT_TOO_LARGE',
    `the ip-ranges document from ${source} exceeds ${maxBytes} bytes (MAX_DOCUMENT_BYTES); it was not read further and nothing was applied. The real document is about 2.6 MB: check the URL or file`,
    'external',
    { source, maxBytes },
  );
}

/** Reads a byte stream, aborting as soon as it passes `maxBytes`. */
async function readCapped(chunks: AsyncIterable<Uint8Array>, source: string, maxBytes: number, onTooLarge?: () => void): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      onTooLarge?.();
      tooLarge(source, maxBytes);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts, total);
}

/** A document stamped more than a day ahead of the clock would wedge every later run as stale: refused before any write. */
export function assertSyncTokenPlausible(syncToken: string, source: string, nowMs = Date.now()): void {
  if (!isFutureSyncToken(syncToken, nowMs)) return;
  throw guardError(
    'SYNC_TOKEN_IN_FUTURE',
    `the ip-ranges document from ${source} has syncToken ${syncToken}, more than ${MAX_SYNC_TOKEN_AHEAD_SECONDS / 3600} hours ahead of the clock (${Math.floor(nowMs / 1000)}); it is refused and nothing was applied. Use an unedited copy of ${OFFICIAL_IP_RANGES_URL}`,
    'usage',
    { source, syncToken, now: Math.floor(nowMs / 1000) },
  );
}

/** The document is ~2.5 MB from a CDN; 10 s leaves the Lambda time to reconcile after a slow fetch. */
export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;

/**
 * Throws URL_NOT_ALLOWED unless `url` is the official URL or exactly one of `allowed`. Exact
 * string equality on purpose: no normalization that an attacker-controlled notification could
 * steer. The official host is trusted over https only, even when someone allow-lists plain http.
 */
export function assertUrlAllowed(url: string, allowed: readonly string[]): void {
  const officialOverHttp = /^http:\/\/ip-ranges\.amazonaws\.com(?:[:/]|$)/i.test(url.trim());
  if (!officialOverHttp && (url === OFFICIAL_IP_RANGES_URL || allowed.includes(url))) return;
  const list = allowed.length > 0 ? allowed.map((u) => `'${u}'`).join(', ') : 'none';
  const fix = officialOverHttp ? `use '${OFFICIAL_IP_RANGES_URL}' (AWS's ranges are only trusted over https)` : 'add it to IP_RANGES_ALLOWED_URLS (comma-separated) to trust it';
  throw guardError('URL_NOT_ALLOWED', `'url' must be '${OFFICIAL_IP_RANGES_URL}' or one of IP_RANGES_ALLOWED_URLS (${list}), got '${url}'; ${fix}`, 'usage', { url, allowed: [...allowed] });
}

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

export interface FetchExpectations {
  /** The notification's MD5: a mismatch is MD5_MISMATCH, unless the document is newer than `syncToken`. */
  readonly md5?: string;
  /** The notification's syncToken: a mismatching document newer than it is a rotation, not an error. */
  readonly syncToken?: string;
}

function verifyAndParse(bytes: Uint8Array, source: string, expected: FetchExpectations): LoadedDocument {
  const md5 = md5Hex(bytes);
  const mismatch = expected.md5 !== undefined && md5 !== expected.md5.toLowerCase();
  const document = mismatch ? tryParse(bytes, source) : parseIpRangesDocument(bytes, source);
  if (mismatch) {
    // Two documents published minutes apart: the older notification finds the newer document. That is not a failure.
    const rotated = document !== undefined && expected.syncToken !== undefined && compareSyncTokens(document.syncToken, expected.syncToken) > 0;
    if (!rotated || !document) {
      throw guardError(
        'MD5_MISMATCH',
        `the ip-ranges document from ${source} has MD5 ${md5}, but the notification says ${expected.md5!.toLowerCase()}, and it is not newer than the notification's syncToken ${expected.syncToken ?? '(none)'} (a newer one would mean the document rotated, and would be applied); nothing was applied (the next notification or the daily run will apply the current document)`,
        'external',
        { source, expectedMd5: expected.md5!.toLowerCase(), actualMd5: md5 },
      );
    }
  }
  assertSyncTokenPlausible(document!.syncToken, source);
  return { document: document!, md5, bytes: bytes.byteLength, source, ...(mismatch ? { rotatedFrom: expected.syncToken } : {}) };
}

function tryParse(bytes: Uint8Array, source: string) {
  try {
    return parseIpRangesDocument(bytes, source);
  } catch {
    return undefined;
  }
}

function fetchFailed(url: string, timeoutMs: number, what: string, status?: number): never {
  throw guardError('FETCH_FAILED', `GET ${url} ${what} (timeout ${timeoutMs} ms); nothing was applied, the next notification or the daily run will retry`, 'external', {
    url,
    timeoutMs,
    ...(status !== undefined ? { status } : {}),
  });
}

/**
 * GETs the document: allow-list first (no request for a refused URL), one timeout covering headers
 * and body, MD5 of the exact bytes when the notification gave one, then parse. Redirects are
 * refused rather than followed, since a redirect would leave the allow-listed URL.
 */
export async function fetchIpRanges(
  url: string,
  opts: { allowedUrls: readonly string[]; expectedMd5?: string; expectedSyncToken?: string; timeoutMs?: number; maxBytes?: number },
): Promise<LoadedDocument> {
  assertUrlAllowed(url, opts.allowedUrls);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let bytes: Uint8Array;
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'manual', headers: { accept: 'application/json' } });
    const maxBytes = opts.maxBytes ?? MAX_DOCUMENT_BYTES;
    const failed = response.status < 200 || response.status > 299;
    if (failed || Number(response.headers.get('content-length') ?? 0) > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed; allow-list the final URL instead)' : '';
      if (failed) fetchFailed(url, timeoutMs, `answered HTTP ${response.status}${redirect}`, response.status);
      tooLarge(url, maxBytes);
    }
    bytes = response.body ? await readCapped(response.body as unknown as AsyncIterable<Uint8Array>, url, maxBytes, () => controller.abort()) : new Uint8Array(0);
  } catch (e) {
    if (isGuardError(e)) throw e;
    if (controller.signal.aborted) fetchFailed(url, timeoutMs, `did not complete within ${timeoutMs} ms`);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    fetchFailed(url, timeoutMs, `failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return verifyAndParse(bytes, url, { md5: opts.expectedMd5, syncToken: opts.expectedSyncToken });
}

/** For the CLI's `--ip-ranges FILE`: a local file needs no allow-list; MD5 and shape are checked the same way. */
export async function readIpRangesFile(path: string, expectedMd5?: string, maxBytes = MAX_DOCUMENT_BYTES): Promise<LoadedDocument> {
  let bytes: Uint8Array;
  try {
    // Streamed with the cap: `--ip-ranges /dev/zero` must stop at the cap, not fill the memory.
    bytes = await readCapped(createReadStream(path, { highWaterMark: 1024 * 1024 }), path, maxBytes);
  } catch (e) {
    if (isGuardError(e)) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw guardError('CONFIG_INVALID', `the ip-ranges file must be a readable file, got '${path}' (${code}); pass a saved copy of ${OFFICIAL_IP_RANGES_URL}`, 'usage', {
      path,
      code,
    });
  }
  return verifyAndParse(bytes, path, { md5: expectedMd5 });
}
