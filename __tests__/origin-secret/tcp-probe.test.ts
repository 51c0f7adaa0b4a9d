import { probeTcpPort, probeTcpPorts } from '../../lambda-src/aws/origin-probe';
import { tcpProbePorts } from '../../lambda-src/config/origin-probe-env';
import { acceptingListener, refusingPort, silentListener, type Listener } from '../support/tcp-listeners';

/** Trying the door: the probe against a loopback listener that accepts, refuses, or never answers. */

const opened: Listener[] = [];
afterEach(async () => {
  for (const l of opened.splice(0)) await l.close();
});

test('GIVEN a listener that accepts THEN the port is open', async () => {
  const l = await acceptingListener();
  opened.push(l);
  expect(await probeTcpPort('127.0.0.1', l.port, 1000)).toMatchObject({ host: '127.0.0.1', port: l.port, outcome: 'open' });
});

test('GIVEN nothing listening THEN the connection is refused', async () => {
  const port = await refusingPort();
  expect(await probeTcpPort('127.0.0.1', port, 1000)).toMatchObject({ port, outcome: 'refused', errorCode: 'ECONNREFUSED' });
});

test('GIVEN a listener that never answers THEN the probe gives up at its timeout', async () => {
  const l = await silentListener();
  opened.push(l);
  const r = await probeTcpPort('127.0.0.1', l.port, 400);
  expect(r.outcome).toBe('timeout');
  expect(r.elapsedMs).toBeGreaterThanOrEqual(390);
});

test('GIVEN several ports THEN each is probed once, concurrently', async () => {
  const open = await acceptingListener();
  const silent = await silentListener();
  opened.push(open, silent);
  const refused = await refusingPort();
  const results = await probeTcpPorts('127.0.0.1', [open.port, refused, silent.port, open.port], 500);
  expect(results.map((r) => [r.port, r.outcome])).toEqual([
    [open.port, 'open'],
    [refused, 'refused'],
    [silent.port, 'timeout'],
  ]);
});

test('the probed ports are the tcp ones among the guard ports, each once', () => {
  expect(
    tcpProbePorts([
      { protocol: 'tcp', fromPort: 443 },
      { protocol: 'udp', fromPort: 1935 },
      { protocol: 'tcp', fromPort: 80 },
      { protocol: 'tcp', fromPort: 80 },
    ]),
  ).toEqual([80, 443]);
});
