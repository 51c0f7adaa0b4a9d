/** Serves ip-ranges documents on 127.0.0.1, as the official URL would, and records each request. */
import { readFileSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import { rangesPath } from './shared-data';

export interface RangesServer {
  readonly base: string;
  /** The URL of a vendored ip-ranges version (`<synctoken>.json`), or of a body registered with `serve`. */
  url(name: string): string;
  serve(name: string, body: string | Buffer): void;
  /** Serves `name` as a body that never ends (chunked, 1 MiB at a time): the fetch size cap must stop it. */
  serveEndless(name: string): void;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startRangesServer(): Promise<RangesServer> {
  const bodies = new Map<string, Buffer>();
  const endless = new Set<string>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    requests.push(name);
    if (endless.has(name)) {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
      return;
    }
    let body = bodies.get(name);
    if (!body && /^\d+\.json$/.test(name)) {
      try {
        body = readFileSync(rangesPath(name));
        bodies.set(name, body);
      } catch {
        body = undefined;
      }
    }
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (name) => `${base}/${encodeURIComponent(name)}`,
    serve: (name, body) => void bodies.set(name, Buffer.isBuffer(body) ? body : Buffer.from(body)),
    serveEndless: (name) => void endless.add(name),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
