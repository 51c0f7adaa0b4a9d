import { readFileSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { promises as fsp } from 'fs';
import { GuardError } from '../../lambda-src/core/errors';
import { assertUrlAllowed, DEFAULT_FETCH_TIMEOUT_MS, fetchIpRanges, md5Hex, readIpRangesFile } from '../../lambda-src/aws/ip-ranges-fetch';
import { OFFICIAL_IP_RANGES_URL } from '../../lambda-src/config/settings';

import { RANGES_DIR, rangesPath } from '../../emulator/shared-data';

const LATEST = JSON.parse(readFileSync(path.join(RANGES_DIR, 'MANIFEST.json'), 'utf8')).versions.at(-1) as { file: string; md5: string; syncToken: string };
const LATEST_BYTES = readFileSync(rangesPath(LATEST.file));

async function rejection(promise: Promise<unknown>): Promise<GuardError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof GuardError) return e;
    throw e;
  }
  throw new Error('expected a GuardError, the promise resolved');
}

/**
 * A loopback stand-in for ip-ranges.amazonaws.com. Each path behaves one way; every request is
 * recorded, so a test can prove that a refused URL was never requested.
 */
type Route = (res: http.ServerResponse) => void;
const routes: Record<string, Route> = {
  '/ip-ranges.json': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(LATEST_BYTES),
  '/tiny.json': (res) => res.writeHead(200).end('{"syncToken":"42","createDate":"d","prefixes":[],"ipv6_prefixes":[]}'),
  '/error.json': (res) => res.writeHead(500).end('Internal Server Error'),
  '/moved.json': (res) => res.writeHead(302, { location: '/ip-ranges.json' }).end(),
  '/not-json.json': (res) => res.writeHead(200).end('<html>maintenance</html>'),
  '/wrong-shape.json': (res) => res.writeHead(200).end('{"syncToken":1787411825,"createDate":"d","prefixes":[],"ipv6_prefixes":[]}'),
  '/never.json': () => undefined,
  '/stalls-mid-body.json': (res) => {
    res.writeHead(200, { 'content-length': String(LATEST_BYTES.byteLength) });
    res.write(LATEST_BYTES.subarray(0, 1000));
  },
};
const requests: string[] = [];
const server = http.createServer((req, res) => {
  requests.push(req.url ?? '');
  (routes[req.url ?? ''] ?? ((r: http.ServerResponse) => r.writeHead(404).end()))(res);
});
let base = '';
const url = (p: string) => `${base}${p}`;
const allowAll = () => Object.keys(routes).map(url);

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests.length = 0;
});

describe('fetchIpRanges against a loopback server', () => {
  test('GIVEN an allow-listed URL and the right md5 THEN it returns the parsed document and facts about its bytes', async () => {
    const loaded = await fetchIpRanges(url('/ip-ranges.json'), { allowedUrls: allowAll(), expectedMd5: LATEST.md5 });
    expect(loaded).toMatchObject({ md5: LATEST.md5, bytes: LATEST_BYTES.byteLength, source: url('/ip-ranges.json') });
    expect(loaded.document.syncToken).toBe(LATEST.syncToken);
    expect(requests).toEqual(['/ip-ranges.json']);
  });

  test('GIVEN no expected md5 (a scheduled run) THEN it still reports the md5 it computed', async () => {
    const loaded = await fetchIpRanges(url('/tiny.json'), { allowedUrls: [url('/tiny.json')] });
    expect(loaded.md5).toBe(md5Hex(Buffer.from('{"syncToken":"42","createDate":"d","prefixes":[],"ipv6_prefixes":[]}')));
  });

  test('GIVEN a different md5 THEN MD5_MISMATCH names both hashes and says the document may have rotated', async () => {
    const stale = '7fd59f5c7f5cf643036cbd4443ad3e4b';
    const e = await rejection(fetchIpRanges(url('/ip-ranges.json'), { allowedUrls: allowAll(), expectedMd5: stale }));
    expect(e.code).toBe('MD5_MISMATCH');
    expect(e.message).toContain(stale);
    expect(e.message).toContain(LATEST.md5);
    expect(e.message).toMatch(/rotated/);
    expect(e.details).toEqual({ source: url('/ip-ranges.json'), expectedMd5: stale, actualMd5: LATEST.md5 });
  });

  test('GIVEN a server that never answers THEN FETCH_FAILED names the URL and the timeout', async () => {
    const e = await rejection(fetchIpRanges(url('/never.json'), { allowedUrls: allowAll(), timeoutMs: 150 }));
    expect(e.code).toBe('FETCH_FAILED');
    expect(e.kind).toBe('external');
    expect(e.message).toContain(url('/never.json'));
    expect(e.message).toContain('150 ms');
    expect(requests).toEqual(['/never.json']);
  });

  test('GIVEN a body that stalls halfway THEN the same timeout covers it', async () => {
    const e = await rejection(fetchIpRanges(url('/stalls-mid-body.json'), { allowedUrls: allowAll(), timeoutMs: 150 }));
    expect(e.code).toBe('FETCH_FAILED');
    expect(e.message).toContain('did not complete within 150 ms');
  });

  test('GIVEN HTTP 500 THEN FETCH_FAILED names the URL and the status', async () => {
    const e = await rejection(fetchIpRanges(url('/error.json'), { allowedUrls: allowAll() }));
    expect(e.code).toBe('FETCH_FAILED');
    expect(e.message).toContain(`GET ${url('/error.json')} answered HTTP 500`);
    expect(e.message).toContain(`${DEFAULT_FETCH_TIMEOUT_MS} ms`);
    expect(e.details).toMatchObject({ status: 500 });
  });

  test('GIVEN a redirect THEN it is not followed, so the allow-list cannot be escaped', async () => {
    const e = await rejection(fetchIpRanges(url('/moved.json'), { allowedUrls: [url('/moved.json')] }));
    expect(e.code).toBe('FETCH_FAILED');
    expect(e.message).toContain('HTTP 302');
    expect(requests).toEqual(['/moved.json']);
  });

  test('GIVEN nothing listening THEN FETCH_FAILED says the connection failed', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/ip-ranges.json`;
    await new Promise((resolve) => closed.close(resolve));
    const e = await rejection(fetchIpRanges(deadUrl, { allowedUrls: [deadUrl], timeoutMs: 2000 }));
    expect(e.code).toBe('FETCH_FAILED');
    expect(e.message).toContain('ECONNREFUSED');
  });

  test.each([
    ['not on the list', () => url('/ip-ranges.json'), () => [url('/tiny.json')]],
    ['on the list only with a query string added', () => `${url('/ip-ranges.json')}?v=2`, () => [url('/ip-ranges.json')]],
    ['on the list only with another case', () => url('/IP-RANGES.json'), () => [url('/ip-ranges.json')]],
    ['allowed nowhere (empty list)', () => url('/ip-ranges.json'), () => []],
  ])('GIVEN a URL %s THEN URL_NOT_ALLOWED and no request reaches the server', async (_name, target, allowed) => {
    const e = await rejection(fetchIpRanges(target(), { allowedUrls: allowed(), expectedMd5: LATEST.md5 }));
    expect(e.code).toBe('URL_NOT_ALLOWED');
    expect(e.message).toContain(target());
    expect(e.message).toContain('IP_RANGES_ALLOWED_URLS');
    expect(requests).toEqual([]);
  });

  test('GIVEN a body that is not JSON THEN DOCUMENT_INVALID names the URL', async () => {
    const e = await rejection(fetchIpRanges(url('/not-json.json'), { allowedUrls: allowAll() }));
    expect(e.code).toBe('DOCUMENT_INVALID');
    expect(e.message).toContain(`from ${url('/not-json.json')} must be valid JSON`);
  });

  test('GIVEN JSON of the wrong shape THEN DOCUMENT_INVALID names the field', async () => {
    const e = await rejection(fetchIpRanges(url('/wrong-shape.json'), { allowedUrls: allowAll() }));
    expect(e.code).toBe('DOCUMENT_INVALID');
    expect(e.message).toContain("'syncToken' must be a string of decimal digits, got 1787411825");
  });
});

describe('assertUrlAllowed', () => {
  test('accepts the official URL with an empty allow-list', () => {
    expect(() => assertUrlAllowed(OFFICIAL_IP_RANGES_URL, [])).not.toThrow();
  });

  test.each(['http://ip-ranges.amazonaws.com/ip-ranges.json', 'HTTP://ip-ranges.amazonaws.com/ip-ranges.json'])(
    'refuses the official host over plain http (%s), even when someone allow-listed it',
    (plain) => {
      let error: unknown;
      try {
        assertUrlAllowed(plain, [plain]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GuardError);
      expect((error as GuardError).code).toBe('URL_NOT_ALLOWED');
      expect((error as GuardError).message).toContain(`use '${OFFICIAL_IP_RANGES_URL}'`);
    },
  );

  test.each(['https://ip-ranges.amazonaws.com/ip-ranges.json.evil.example', 'https://ip-ranges.amazonaws.com.evil.example/ip-ranges.json', 'file:///etc/passwd'])(
    'refuses look-alikes of the official URL: %s',
    (lookalike) => {
      expect(() => assertUrlAllowed(lookalike, [])).toThrow(expect.objectContaining({ code: 'URL_NOT_ALLOWED' }));
    },
  );
});

describe('readIpRangesFile', () => {
  test('GIVEN a missing file THEN CONFIG_INVALID names the path', async () => {
    const missing = path.join(os.tmpdir(), 'cfguard-no-such-ip-ranges.json');
    const e = await rejection(readIpRangesFile(missing));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain(missing);
    expect(e.message).toContain('ENOENT');
  });

  test('GIVEN a file whose md5 differs THEN MD5_MISMATCH', async () => {
    const e = await rejection(readIpRangesFile(rangesPath(LATEST.file), '00000000000000000000000000000000'));
    expect(e.code).toBe('MD5_MISMATCH');
  });

  test('GIVEN a local file that is not JSON THEN DOCUMENT_INVALID names the file', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'cfguard-'));
    const file = path.join(dir, 'ip-ranges.json');
    await fsp.writeFile(file, 'not json');
    try {
      const e = await rejection(readIpRangesFile(file));
      expect(e.code).toBe('DOCUMENT_INVALID');
      expect(e.message).toContain(file);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
