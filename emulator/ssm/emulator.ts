import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SsmError, SsmService, type SsmCall } from './service';
import { record, signedScope } from '../recorder';

/**
 * SSM on 127.0.0.1 in its real wire protocol: AWS JSON 1.1, `POST /` with
 * `X-Amz-Target: AmazonSSM.<Action>`; errors as `{"__type": code, "message"}` with status 400.
 * Tests reach it through the real `@aws-sdk/client-ssm` with an endpoint override.
 */
export interface SsmEmulator {
  readonly endpoint: string;
  readonly region: string;
  readonly calls: ReadonlyArray<SsmCall>;
  client(): SSMClient;
  /** Seeds a parameter version as `PutParameter` would. */
  put(name: string, value: string, type?: 'String' | 'SecureString'): number;
  /** The plaintext of the newest (or the given) version, for assertions. */
  value(name: string, version?: number): string | undefined;
  /** The newest version number, or undefined when the parameter does not exist. */
  latestVersion(name: string): number | undefined;
  /** Calls `listener` after every PutParameter the endpoint applied (a test's check after every write). */
  onWrite(listener: (name: string) => void): void;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AmazonSSM.';

export async function startSsmEmulator(): Promise<SsmEmulator> {
  const service = new SsmService();
  const listeners: Array<(name: string) => void> = [];
  const server = createServer((req, res) => void respond(service, req, res, listeners));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: SSMClient[] = [];
  return {
    endpoint,
    region: 'eu-north-1',
    get calls() {
      return service.calls.map((c) => ({ ...c }));
    },
    client() {
      const client = new SSMClient({ endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'AKIDEMULATOR0000000', secretAccessKey: 'emulator-secret' }, maxAttempts: 2 });
      clients.push(client);
      return client;
    },
    put(name, value, type = 'SecureString') {
      return service.handle('PutParameter', { Name: name, Value: value, Type: type, Overwrite: true }).Version as number;
    },
    value(name, version) {
      const versions = service.parameters.get(name);
      return (version === undefined ? versions?.[versions.length - 1] : versions?.find((v) => v.version === version))?.value;
    },
    onWrite(listener) {
      listeners.push(listener);
    },
    latestVersion(name) {
      const versions = service.parameters.get(name);
      return versions?.[versions.length - 1]?.version;
    },
    async close() {
      for (const c of clients.splice(0)) c.destroy();
      await closeServer(server);
    },
  };
}

async function respond(service: SsmService, req: IncomingMessage, res: ServerResponse, listeners: ReadonlyArray<(name: string) => void>): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const target = String(req.headers['x-amz-target'] ?? '');
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `emu-${Date.now()}` });
    res.end(JSON.stringify(body));
  };
  const action = target.slice(TARGET_PREFIX.length);
  const noted = (ok: boolean, errorCode?: string, params: Record<string, string> = {}) =>
    record({ service: 'ssm', action, params, ...signedScope(req.headers), ok, ...(errorCode ? { errorCode } : {}) });
  let params: Record<string, string> = {};
  try {
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX))
      throw new SsmError('UnknownOperationException', `expected POST with X-Amz-Target AmazonSSM.<Action>, got ${req.method} '${target}'`);
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) throw new SsmError('SerializationException', 'Content-Type must be application/x-amz-json-1.1');
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    // The name only: a recorded call never keeps a parameter's value.
    params = typeof body.Name === 'string' ? { Name: body.Name } : {};
    const result = service.handle(action, body);
    if (action === 'PutParameter') for (const l of listeners) l(String(body.Name));
    noted(true, undefined, params);
    send(200, result);
  } catch (e) {
    if (e instanceof SsmError) noted(false, e.code, params);
    if (e instanceof SsmError) send(e.status, { __type: e.code, message: e.message });
    else send(500, { __type: 'InternalServerError', message: (e as Error).message });
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
