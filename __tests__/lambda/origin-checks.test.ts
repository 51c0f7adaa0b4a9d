/** The shipped bundle tries the door after each run: TCP to the origin's ports, and the bypass check in required mode. */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { METRIC_DIMENSION, METRIC_NAMESPACE, ORIGIN_METRICS } from '../../lambda-src/core/metrics';
import { MANIFEST } from '../../emulator/shared-data';
import { invoke, loadBundledHandler } from '../support/lambda-harness';
import { type Origin, realEvent, startOrigin } from '../support/origin-fixture';
import { acceptingListener, refusingPort, silentListener, type Listener } from '../support/tcp-listeners';

const handler = loadBundledHandler();
let origin: Origin;
const listeners: Listener[] = [];
let web: Server | undefined;
afterEach(async () => {
  await origin.close();
  for (const l of listeners.splice(0)) await l.close();
  await new Promise<void>((r) => (web ? web.close(() => r()) : r()));
  web = undefined;
});

const checksLine = (lines: Record<string, unknown>[]) => lines.find((l) => l.msg === 'origin-checks');

/** An origin web server on loopback: `enforcing` answers 403 without the header, otherwise 200. */
async function originWeb(enforcing: boolean): Promise<string> {
  web = createServer((req, res) => {
    res.writeHead(enforcing && !req.headers['x-origin-verify'] ? 403 : 200);
    res.end();
  });
  await new Promise<void>((r) => web!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(web.address() as AddressInfo).port}/live/index.m3u8`;
}

test('GIVEN an origin port that accepts THEN the run logs OriginDirectlyReachable = 1 as EMF, and the run itself succeeds', async () => {
  origin = await startOrigin();
  const open = await acceptingListener();
  const silent = await silentListener();
  listeners.push(open, silent);
  const refused = await refusingPort();
  const run = await invoke(
    handler,
    realEvent(origin.server, MANIFEST[0].file),
    origin.env({
      PORTS: `${open.port}/tcp,${refused}/tcp,${silent.port}/tcp`,
      ORIGIN_PROBE_ADDRESS: '127.0.0.1',
      ORIGIN_PROBE_PORTS: `${open.port},${refused},${silent.port}`,
      ORIGIN_PROBE_TIMEOUT_MS: '500',
      ORIGIN_SECRET_MODE: 'on',
    }),
  );
  expect(run.error).toBeUndefined();
  expect(run.lines[0]).toMatchObject({ ReconcileSucceeded: 1 });
  const line = checksLine(run.lines)!;
  expect(line).toMatchObject({ level: 'warn', directlyReachable: 1, [ORIGIN_METRICS.directlyReachable]: 1, [METRIC_DIMENSION]: 'AUTOUPDATE_CF' });
  expect((line.tcp as { port: number; outcome: string }[]).map((t) => [t.port, t.outcome])).toEqual([
    [open.port, 'open'],
    [refused, 'refused'],
    [silent.port, 'timeout'],
  ]);
  const directive = (line._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0];
  expect(directive.Namespace).toBe(METRIC_NAMESPACE);
  expect(directive.Metrics.map((m) => m.Name)).toEqual([ORIGIN_METRICS.directlyReachable]);
  expect(line[ORIGIN_METRICS.bypassOpen]).toBeUndefined();
});

test('GIVEN a secondary origin whose port accepts while the primary’s refuses THEN each result names its origin and address, and the secondary counts as directly reachable', async () => {
  origin = await startOrigin();
  // The secondary is another loopback address (127.0.0.2), listening on a port where the primary (127.0.0.1) has nothing.
  const sockets: Socket[] = [];
  const secondary = createNetServer((s) => sockets.push(s));
  await new Promise<void>((r) => secondary.listen(0, '127.0.0.2', r));
  const port = (secondary.address() as AddressInfo).port;
  listeners.push({ port, close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), secondary.close(() => r()))) });
  const run = await invoke(
    handler,
    realEvent(origin.server, MANIFEST[0].file),
    origin.env({ ORIGIN_PROBE_ADDRESS: '127.0.0.1', ORIGIN_PROBE_SECONDARY_ADDRESS: '127.0.0.2', ORIGIN_PROBE_PORTS: String(port), ORIGIN_PROBE_TIMEOUT_MS: '500' }),
  );
  expect(run.error).toBeUndefined();
  const line = checksLine(run.lines)!;
  expect(line).toMatchObject({ level: 'warn', directlyReachable: 1, [ORIGIN_METRICS.directlyReachable]: 1 });
  expect((line.tcp as { origin: string; host: string; port: number; outcome: string }[]).map((t) => [t.origin, t.host, t.port, t.outcome])).toEqual([
    ['primary', '127.0.0.1', port, 'refused'],
    ['secondary', '127.0.0.2', port, 'open'],
  ]);
});

test('GIVEN no secondary address THEN the results carry no origin field (single-origin lines unchanged)', async () => {
  origin = await startOrigin();
  const refused = await refusingPort();
  const run = await invoke(handler, realEvent(origin.server, MANIFEST[0].file), origin.env({ ORIGIN_PROBE_ADDRESS: '127.0.0.1', ORIGIN_PROBE_PORTS: String(refused), ORIGIN_PROBE_TIMEOUT_MS: '500' }));
  expect((checksLine(run.lines)!.tcp as Record<string, unknown>[]).map((t) => 'origin' in t)).toEqual([false]);
});

test('GIVEN no port answers THEN OriginDirectlyReachable = 0 at level info', async () => {
  origin = await startOrigin();
  const refused = await refusingPort();
  const run = await invoke(handler, realEvent(origin.server, MANIFEST[0].file), origin.env({ ORIGIN_PROBE_ADDRESS: '127.0.0.1', ORIGIN_PROBE_PORTS: String(refused), ORIGIN_PROBE_TIMEOUT_MS: '500' }));
  expect(checksLine(run.lines)).toMatchObject({ level: 'info', directlyReachable: 0, [ORIGIN_METRICS.directlyReachable]: 0 });
});

test('GIVEN no ORIGIN_PROBE_ADDRESS THEN nothing is probed and only the run line is logged', async () => {
  origin = await startOrigin();
  const run = await invoke(handler, realEvent(origin.server, MANIFEST[0].file), origin.env({ ORIGIN_PROBE_ADDRESS: undefined }));
  expect(run.lines).toHaveLength(1);
  expect(checksLine(run.lines)).toBeUndefined();
});

test("GIVEN mode 'required' and an origin serving without the header THEN a notification's run reports OriginBypassOpen = 1", async () => {
  origin = await startOrigin();
  const url = await originWeb(false);
  const refused = await refusingPort();
  const run = await invoke(
    handler,
    realEvent(origin.server, MANIFEST[0].file),
    origin.env({ ORIGIN_PROBE_ADDRESS: '127.0.0.1', ORIGIN_PROBE_PORTS: String(refused), ORIGIN_SECRET_MODE: 'required', ORIGIN_CHECK_URL: url, ORIGIN_PROBE_TIMEOUT_MS: '1000' }),
  );
  expect(run.error).toBeUndefined();
  expect(checksLine(run.lines)).toMatchObject({ level: 'warn', bypassOpen: 1, [ORIGIN_METRICS.bypassOpen]: 1, bypass: { outcome: 'accepted', status: 200 } });
});

test("GIVEN mode 'required' and an enforcing origin THEN OriginBypassOpen = 0", async () => {
  origin = await startOrigin();
  const url = await originWeb(true);
  const refused = await refusingPort();
  const run = await invoke(
    handler,
    realEvent(origin.server, MANIFEST[0].file),
    origin.env({ ORIGIN_PROBE_ADDRESS: '127.0.0.1', ORIGIN_PROBE_PORTS: String(refused), ORIGIN_SECRET_MODE: 'required', ORIGIN_CHECK_URL: url }),
  );
  expect(checksLine(run.lines)).toMatchObject({ level: 'info', bypassOpen: 0, bypass: { outcome: 'denied', status: 403 } });
});

test("GIVEN mode 'required' and an open bypass THEN the deploy's direct run fails with ORIGIN_BYPASS_OPEN (after reconciling)", async () => {
  origin = await startOrigin();
  const url = await originWeb(false);
  const refused = await refusingPort();
  const file = MANIFEST[0].file;
  const event = { source: 'cfguard', action: 'reconcile', url: origin.server.url(file) };
  const run = await invoke(
    handler,
    event,
    origin.env({ IP_RANGES_ALLOWED_URLS: origin.server.url(file), ORIGIN_PROBE_ADDRESS: '127.0.0.1', ORIGIN_PROBE_PORTS: String(refused), ORIGIN_SECRET_MODE: 'required', ORIGIN_CHECK_URL: url }),
  );
  expect(run.error?.code).toBe('ORIGIN_BYPASS_OPEN');
  expect(run.error?.message).toContain(`${url} answered HTTP 200 without the secret header`);
  // The groups were reconciled first: the run line succeeded, then the failure line names the code.
  expect(run.lines[0]).toMatchObject({ ReconcileSucceeded: 1 });
  expect(run.lines.at(-1)).toMatchObject({ error: { code: 'ORIGIN_BYPASS_OPEN' } });
  expect(origin.emu.groups().some((g) => g.groupName.startsWith('AUTOUPDATE_CF'))).toBe(true);
});
