import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EC2Client } from '@aws-sdk/client-ec2';
import { seedAddress, seedEni, seedInstance, seedSecurityGroup, seedVpc } from './seed';
import { Ec2Service } from './service';
import { copyEni, copyGroup, snapshotOf } from './state';
import type { Ec2Emulator, EmuCall, EmuEni, EmuGroup, EmulatorOptions, SeedRule } from './types';
import { signedScope } from '../recorder';

const REGION = 'eu-north-1';

/** The HTTP face of the service: POST (or GET) `/` with a form-encoded Query request. */
class HttpEc2Emulator implements Ec2Emulator {
  readonly region = REGION;
  private readonly clients: EC2Client[] = [];

  constructor(
    private readonly server: Server,
    private readonly service: Ec2Service,
    readonly endpoint: string,
  ) {}

  get calls(): ReadonlyArray<EmuCall> {
    return this.service.calls.map((c) => ({ ...c }));
  }

  async close(): Promise<void> {
    for (const client of this.clients.splice(0)) client.destroy();
    await new Promise<void>((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }

  client(): EC2Client {
    const client = new EC2Client({
      endpoint: this.endpoint,
      region: this.region,
      credentials: { accessKeyId: 'AKIDEMULATOR0000000', secretAccessKey: 'emulator-secret' },
      maxAttempts: 3,
      retryMode: 'standard',
    });
    this.clients.push(client);
    return client;
  }

  addVpc(opts?: { isDefault?: boolean; vpcId?: string }): string {
    return seedVpc(this.service.state, opts);
  }

  addInstance(opts: { vpcId: string; groupIds?: string[]; eniCount?: number }): { instanceId: string; eniIds: string[] } {
    return seedInstance(this.service.state, this.service.limits, opts);
  }

  addEni(opts: { vpcId: string; groupIds?: string[]; instanceId?: string }): string {
    return seedEni(this.service.state, this.service.limits, opts);
  }

  addSecurityGroup(opts: { vpcId: string; name: string; description?: string; tags?: Record<string, string>; ingress?: SeedRule[]; egress?: SeedRule[] }): string {
    return seedSecurityGroup(this.service.state, this.service.limits, opts);
  }

  addAddress(opts: { instanceId?: string; publicIp?: string }): { allocationId: string; publicIp: string } {
    return seedAddress(this.service.state, opts);
  }

  group(groupId: string): EmuGroup | undefined {
    const group = this.service.state.groups.get(groupId);
    return group && copyGroup(group);
  }

  groups(): EmuGroup[] {
    return [...this.service.state.groups.values()].map(copyGroup);
  }

  eni(eniId: string): EmuEni | undefined {
    const eni = this.service.state.enis.get(eniId);
    return eni && copyEni(eni);
  }

  snapshot(): string {
    return snapshotOf(this.service.state);
  }

  resetCalls(): void {
    this.service.calls.length = 0;
  }

  failWrite(k: number, code?: string): void {
    this.service.faults.failWrite(k, code);
  }

  throttle(n: number): void {
    this.service.faults.throttle(n);
  }

  serverError(n: number): void {
    this.service.faults.serverError(n);
  }

  clearFaults(): void {
    this.service.faults.clear();
  }
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`EmulatorOptions: '${name}' must be an integer >= 1, got ${v}`);
  return v;
}

function serve(service: Ec2Service, endpoint: () => string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const query = (req.url ?? '/').split('?')[1] ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      const response = service.handle([query, body].filter((s) => s.length > 0).join('&'), { ...signedScope(req.headers), endpoint: endpoint() });
      res.writeHead(response.status, {
        'content-type': 'text/xml;charset=UTF-8',
        'x-amzn-requestid': response.requestId,
        'content-length': Buffer.byteLength(response.body),
      });
      res.end(response.body);
    });
  };
}

/** Starts an emulator on 127.0.0.1 and an ephemeral port. Close it in `afterAll`/`afterEach`. */
export async function startEc2Emulator(opts: EmulatorOptions = {}): Promise<Ec2Emulator> {
  const limits = {
    rulesPerGroup: positiveInt('rulesPerGroup', opts.rulesPerGroup, 60),
    groupsPerInterface: positiveInt('groupsPerInterface', opts.groupsPerInterface, 5),
    pageSize: positiveInt('pageSize', opts.pageSize, 1000),
  };
  const service = new Ec2Service(limits, REGION, new Set(opts.enabledOptInRegions ?? []));
  let endpoint = '';
  const server = createServer(serve(service, () => endpoint));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A forgotten close() must not keep a test process alive.
  server.unref();
  const { port } = server.address() as AddressInfo;
  endpoint = `http://127.0.0.1:${port}`;
  return new HttpEc2Emulator(server, service, endpoint);
}
