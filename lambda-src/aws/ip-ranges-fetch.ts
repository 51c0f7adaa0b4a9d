import { createHash } from 'crypto';
import { readFile } from 'fs/promises';
import { guardError, isGuardError } from '../core/errors';
import { parseIpRangesDocument, type LoadedDocument } from '../core/ip-ranges-document';
import { OFFICIAL_IP_RANGES_URL } from '../config/settings';

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
  const fix = officialOverHttp
    ? `use '${OFFICIAL_IP_RANGES_URL}' (AWS's ranges are only trusted over https)`
    : 'add it to IP_RANGES_ALLOWED_URLS (comma-separated) to trust it';
  throw guardError(
    'URL_NOT_ALLOWED',
    `'url' must be '${OFFICIAL_IP_RANGES_URL}' or one of IP_RANGES_ALLOWED_URLS (${list}), got '${url}'; ${fix}`,
    'usage',
    { url, allowed: [...allowed] },
  );
}

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

function verifyAndParse(bytes: Uint8Array, source: string, expectedMd5: string | undefined): LoadedDocument {
  const md5 = md5Hex(bytes);
  if (expectedMd5 !== undefined && md5 !== expectedMd5.toLowerCase()) {
    throw guardError(
      'MD5_MISMATCH',
      `the ip-ranges document from ${source} has MD5 ${md5}, but the notification says ${expectedMd5.toLowerCase()}; ` +
        'the document may have rotated since the notification was sent, so nothing was applied (the next notification or the daily run will apply it)',
      'external',
      { source, expectedMd5: expectedMd5.toLowerCase(), actualMd5: md5 },
    );
  }
  return { document: parseIpRangesDocument(bytes, source), md5, bytes: bytes.byteLength, source };
}

function fetchFailed(url: string, timeoutMs: number, what: string, status?: number): never {
  throw guardError(
    'FETCH_FAILED',
    `GET ${url} ${what} (timeout ${timeoutMs} ms); nothing was applied, the next notification or the daily run will retry`,
    'external',
    { url, timeoutMs, ...(status !== undefined ? { status } : {}) },
  );
}

/**
 * GETs the document: allow-list first (no request for a refused URL), one timeout covering headers
 * and body, MD5 of the exact bytes when the notification gave one, then parse. Redirects are
 * refused rather than followed, since a redirect would leave the allow-listed URL.
 */
export async function fetchIpRanges(
  url: string,
  opts: { allowedUrls: readonly string[]; expectedMd5?: string; timeoutMs?: number },
): Promise<LoadedDocument> {
  assertUrlAllowed(url, opts.allowedUrls);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let bytes: Uint8Array;
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'manual', headers: { accept: 'application/json' } });
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => undefined);
      const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed; allow-list the final URL instead)' : '';
      fetchFailed(url, timeoutMs, `answered HTTP ${response.status}${redirect}`, response.status);
    }
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    if (isGuardError(e)) throw e;
    if (controller.signal.aborted) fetchFailed(url, timeoutMs, `did not complete within ${timeoutMs} ms`);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    fetchFailed(url, timeoutMs, `failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return verifyAndParse(bytes, url, opts.expectedMd5);
}

/** For the CLI's `--ip-ranges FILE`: a local file needs no allow-list; MD5 and shape are checked the same way. */
export async function readIpRangesFile(path: string, expectedMd5?: string): Promise<LoadedDocument> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw guardError('CONFIG_INVALID', `the ip-ranges file must be a readable file, got '${path}' (${code}); pass a saved copy of ${OFFICIAL_IP_RANGES_URL}`, 'usage', {
      path,
      code,
    });
  }
  return verifyAndParse(bytes, path, expectedMd5);
}
