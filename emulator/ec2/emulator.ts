import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EC2Client } from '@aws-sdk/client-ec2';
import { seedAddress, seedEni, seedInstance, seedSecurityGroup, seedVpc } from './seed';
import { Ec2Service } from './service';
import { copyEni, copyGroup, effectiveIngress, snapshotOf, worldOf } from './state';
import type { Ec2Emulator, EmuCall, EmuEni, EmuGroup, EmulatorOptions, EmuWorld, PauseHandle, SeedRule } from './types';
import { signedScope } from '../recorder';
import { awsManagedLists, awsManagedPrefixListId } from './actions/describe-prefix-lists';

/** Requests held by pauseAt: the countdown to the held one, and its gate. */
/** The SDK app id prefix of calls made by someone other than the code under test (see client()). */
export const ACTOR_APP_ID_PREFIX = 'actor-';

class Pauses {
  private seen = 0;
  private readonly at = new Map<number, { arrived: () => void; gate: Promise<void> }>();
  /** Per client (SDK app id): requests seen, and the held positions in that count. */
  private readonly runs = new Map<string, { seen: number; at: Map<number, { arrived: () => void; gate: Promise<void> }> }>();

  add(n: number, appId?: string): PauseHandle {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${appId ? 'pauseRun' : 'pauseAt'}(n): 'n' must be an integer >= 1 (1 = the next request), got ${n}`);
    let arrived!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const gate = new Promise<void>((r) => (release = r));
    if (appId === undefined) this.at.set(this.seen + n, { arrived, gate });
    else {
      const run = this.runs.get(appId) ?? { seen: 0, at: new Map() };
      this.runs.set(appId, run);
      run.at.set(run.seen + n, { arrived, gate });
    }
    return { reached, release };
  }

  /** Resolves when this request (of the client `appId`) may be processed. */
  async next(appId?: string): Promise<void> {
    this.seen += 1;
    const held = this.at.get(this.seen);
    this.at.delete(this.seen);
    const run = appId === undefined ? undefined : this.runs.get(appId);
    if (run) run.seen += 1;
    const heldRun = run?.at.get(run.seen);
    run?.at.delete(run.seen);
    for (const h of [held, heldRun]) {
      if (!h) continue;
      h.arrived();
      await h.gate;
    }
  }
}

const REGION = 'eu-north-1';

/** The HTTP face of the service: POST (or GET) `/` with a form-encoded Query request. */
class HttpEc2Emulator implements Ec2Emulator {
  readonly region = REGION;
  private readonly clients: EC2Client[] = [];

  constructor(
    private readonly server: Server,
    private readonly service: Ec2Service,
    readonly endpoint: string,
    private readonly pauses: Pauses,
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

  /**
   * A client for the code under test. `actor` names someone else (an attacker, an operator's hand
   * edit, a test's setup): the recorder keeps it as the SDK app id, and the IAM proof leaves such
   * calls out, since they are not the guard's.
   */
  client(actor?: string): EC2Client {
    const client = new EC2Client({
      endpoint: this.endpoint,
      region: this.region,
      credentials: { accessKeyId: 'AKIDEMULATOR0000000', secretAccessKey: 'emulator-secret' },
      maxAttempts: 3,
      retryMode: 'standard',
      ...(actor ? { userAgentAppId: `${ACTOR_APP_ID_PREFIX}${actor}` } : {}),
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

  world(): EmuWorld {
    return worldOf(this.service.state);
  }

  resetCalls(): void {
    this.service.calls.length = 0;
  }

  failWrite(k: number, code?: string): void {
    this.service.faults.failWrite(k, code);
  }

  resetAfterWrite(k: number): void {
    this.service.faults.resetAfterWrite(k);
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

  pauseAt(n: number): PauseHandle {
    return this.pauses.add(n);
  }

  pauseRun(actor: string, n: number): PauseHandle {
    return this.pauses.add(n, `${ACTOR_APP_ID_PREFIX}${actor}`);
  }

  effectiveIngress(eniId: string): string[] {
    return effectiveIngress(this.service.state, eniId);
  }

  managedPrefixListId(name: string, region = this.region): string {
    const known = awsManagedLists(region).map((l) => l.name);
    if (!known.includes(name)) throw new Error(`managedPrefixListId: '${name}' is not an AWS-managed list in ${region}; one of ${known.join(', ')}`);
    return awsManagedPrefixListId(region, name);
  }
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`EmulatorOptions: '${name}' must be an integer >= 1, got ${v}`);
  return v;
}

function serve(service: Ec2Service, endpoint: () => string, pauses: Pauses) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    const turn = pauses.next(signedScope(req.headers).appId);
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      await turn;
      const query = (req.url ?? '/').split('?')[1] ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      const response = service.handle([query, body].filter((s) => s.length > 0).join('&'), { ...signedScope(req.headers), endpoint: endpoint() });
      if (response.reset) {
        req.socket.destroy();
        return;
      }
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
  const pauses = new Pauses();
  let endpoint = '';
  const server = createServer(serve(service, () => endpoint, pauses));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A forgotten close() must not keep a test process alive.
  server.unref();
  const { port } = server.address() as AddressInfo;
  endpoint = `http://127.0.0.1:${port}`;
  return new HttpEc2Emulator(server, service, endpoint, pauses);
}
