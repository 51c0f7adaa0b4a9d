import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { startLoopbackServer, type WireAnswer, type WireRequest } from '../loopback-server';
import { errorDocument, type OriginHeaders, type SeedOrigin } from './distribution-xml';
import { CloudFrontError, CloudFrontService, type CloudFrontCall } from './service';

/**
 * CloudFront on 127.0.0.1 in its real wire protocol: REST-XML, API version 2020-05-31, the paths
 * the SDK's model gives each operation. Tests reach it through the real `@aws-sdk/client-cloudfront`
 * with an endpoint override (the CLI: AWS_ENDPOINT_URL_CLOUDFRONT).
 */
export interface CloudFrontEmulator {
  readonly endpoint: string;
  readonly calls: ReadonlyArray<CloudFrontCall>;
  client(): CloudFrontClient;
  /** A Deployed distribution with these origins. */
  seed(id: string, origins: readonly SeedOrigin[]): void;
  /** A deploy outside the calls under test: sets one origin's header; the distribution is InProgress after it. */
  setOriginHeader(id: string, originId: string, name: string, value: string): void;
  /** The deployment in progress reaches every edge (Status Deployed). */
  finishDeployment(id: string): void;
  /** GetDistribution reads a deployment answers InProgress before it finishes; Infinity waits for finishDeployment. @default 1 */
  deploymentReads: number;
  /** Every value of `headerName` some edge may send to the origin now (both configurations while InProgress). */
  mayBeSent(id: string, headerName: string): string[];
  originHeaders(id: string): OriginHeaders[];
  status(id: string): 'InProgress' | 'Deployed' | undefined;
  /** Calls `listener` after every change of what the distribution sends (an update, a deploy by hand, a finished deployment). */
  onChange(listener: (id: string) => void): void;
  close(): Promise<void>;
}

const CONFIG_PATH = /^\/2020-05-31\/distribution\/([^/]+)\/config$/;
const DISTRIBUTION_PATH = /^\/2020-05-31\/distribution\/([^/]+)$/;

export async function startCloudFrontEmulator(): Promise<CloudFrontEmulator> {
  const service = new CloudFrontService();
  const server = await startLoopbackServer('cloudfront', (req) => answer(service, req));
  const clients: CloudFrontClient[] = [];
  return {
    endpoint: server.endpoint,
    get calls() {
      return service.calls.map((c) => ({ ...c }));
    },
    client() {
      const client = new CloudFrontClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDEMULATOR0000000', secretAccessKey: 'emulator-secret' },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    seed: (id, origins) => service.seed(id, origins),
    setOriginHeader: (id, originId, name, value) => service.setOriginHeader(id, originId, name, value),
    finishDeployment: (id) => service.finishDeployment(id),
    get deploymentReads() {
      return service.deploymentReads;
    },
    set deploymentReads(n: number) {
      service.deploymentReads = n;
    },
    mayBeSent: (id, headerName) => service.mayBeSent(id, headerName),
    originHeaders: (id) => service.originHeaders(id),
    status: (id) => service.distributions.get(id)?.status,
    onChange: (listener) => service.listeners.push(listener),
    async close() {
      for (const c of clients.splice(0)) c.destroy();
      await server.close();
    },
  };
}

function answer(service: CloudFrontService, req: WireRequest): WireAnswer {
  const configId = CONFIG_PATH.exec(req.path)?.[1];
  const distributionId = DISTRIBUTION_PATH.exec(req.path)?.[1];
  const id = decodeURIComponent(configId ?? distributionId ?? '');
  const action =
    configId && req.method === 'GET' ? 'GetDistributionConfig' : configId && req.method === 'PUT' ? 'UpdateDistribution' : distributionId && req.method === 'GET' ? 'GetDistribution' : 'Unknown';
  const params = { Id: id };
  try {
    const a =
      action === 'GetDistributionConfig'
        ? service.getDistributionConfig(id)
        : action === 'GetDistribution'
          ? service.getDistribution(id)
          : action === 'UpdateDistribution'
            ? service.updateDistribution(id, headerText(req.headers['if-match']), req.body)
            : unknown(req);
    return { status: a.status, contentType: 'text/xml', body: a.body, action, params, ...(a.etag ? { headers: { ETag: a.etag } } : {}) };
  } catch (e) {
    const err = e instanceof CloudFrontError ? e : new CloudFrontError('InternalError', (e as Error).message, 500);
    return { status: err.status, contentType: 'text/xml', body: errorDocument(err.code, err.message, req.requestId), action, params, errorCode: err.code };
  }
}

function unknown(req: WireRequest): never {
  throw new CloudFrontError('InvalidAction', `the emulator does not implement ${req.method} ${req.path}`, 400);
}

function headerText(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}
