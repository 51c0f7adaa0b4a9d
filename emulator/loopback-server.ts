import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { record, signedScope } from './recorder';

/** One request as the STS, Service Quotas and Lambda emulators see it. */
export interface WireRequest {
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly requestId: string;
}

/** What the service answered, and what the call recorder keeps of it. */
export interface WireAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** For the recorder: the operation and its parameters. */
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  readonly errorCode?: string;
  /** Extra response headers (CloudFront's `ETag`). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LoopbackServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** A service on 127.0.0.1 and an ephemeral port; every answer is recorded as IAM service `service`. */
export async function startLoopbackServer(service: string, answer: (req: WireRequest) => WireAnswer): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [path, query = ''] = (req.url ?? '/').split('?');
      const requestId = randomUUID();
      const a = answer({ method: req.method ?? 'GET', path, query: new URLSearchParams(query), headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), requestId });
      record({ service, action: a.action, params: a.params, ...signedScope(req.headers), ok: a.status < 300, ...(a.errorCode ? { errorCode: a.errorCode } : {}) });
      res.writeHead(a.status, {
        'content-type': a.contentType,
        'x-amzn-requestid': requestId,
        'content-length': Buffer.byteLength(a.body),
        ...(a.errorCode ? { 'x-amzn-errortype': a.errorCode } : {}),
        ...a.headers,
      });
      res.end(a.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
