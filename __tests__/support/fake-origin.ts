import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeOriginSecret, originSecretHeader, type OriginSecretHeaderShape } from '../../lambda-src/config/origin-secret';
import type { SsmEmulator } from '../../emulator/ssm';

/**
 * Stand-ins on 127.0.0.1 for the origin and for CloudFront, reading the SSM emulator the way the
 * real ones read the parameter: the origin accepts the values its refresh last fetched; the
 * distribution sends the custom headers its configuration holds (the CloudFront emulator's).
 */

export type OriginPolicy =
  /** Refreshes from the parameter on every request (a refresh timer that has just run). */
  | 'enforcing'
  /** Never refreshes: accepts only the values the parameter held when it started. */
  | 'frozen'
  /** Checks nothing: the bypass is open. */
  | 'not-enforcing';

export interface FakeServer {
  readonly url: string;
  readonly port: number;
  /** Header values seen (for asserting what CloudFront sent), in order. */
  readonly seen: string[];
  close(): Promise<void>;
}

export interface FakeOrigin extends FakeServer {
  policy: OriginPolicy;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
}

function accepted(emu: SsmEmulator, parameter: string): string[] {
  const raw = emu.value(parameter);
  const value = raw === undefined ? undefined : decodeOriginSecret(raw);
  return value ? [value.current, value.previous] : [];
}

export async function startFakeOrigin(emu: SsmEmulator, parameter: string, o: { policy: OriginPolicy; shape?: OriginSecretHeaderShape; headerName?: string }): Promise<FakeOrigin> {
  const header = originSecretHeader(o.shape ?? 'plain', o.headerName ?? 'X-Origin-Verify', '');
  const frozen = accepted(emu, parameter);
  const seen: string[] = [];
  const state = { policy: o.policy };
  const server = createServer((req, res) => {
    const sent = req.headers[header.name.toLowerCase()];
    const value = typeof sent === 'string' ? sent : '';
    if (value) seen.push(value);
    const allowed = (state.policy === 'frozen' ? frozen : accepted(emu, parameter)).map((v) => originSecretHeader(o.shape ?? 'plain', header.name, v).value);
    const ok = state.policy === 'not-enforcing' || allowed.includes(value);
    res.writeHead(ok ? 200 : 403, { 'content-type': 'text/plain' });
    res.end(ok ? '#EXTM3U\n' : 'forbidden\n');
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/live/index.m3u8`,
    port,
    seen,
    close: closer(server),
    get policy() {
      return state.policy;
    },
    set policy(p: OriginPolicy) {
      state.policy = p;
    },
  };
}

/** CloudFront: adds the origin's custom headers its deployed configuration holds (`headers()`, read per request). */
export async function startFakeDistribution(origin: FakeServer, headers: () => ReadonlyArray<{ readonly name: string; readonly value: string }>): Promise<FakeServer> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const custom = headers();
    for (const h of custom) seen.push(h.value);
    const upstream = request(`http://127.0.0.1:${origin.port}${req.url}`, { headers: Object.fromEntries(custom.map((h) => [h.name, h.value])) }, (up) => {
      res.writeHead(up.statusCode ?? 502);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    upstream.end();
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/live/index.m3u8`, port, seen, close: closer(server) };
}
