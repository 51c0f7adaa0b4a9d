import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { errorOf, oneShotClient, startWorld, tcp, type World } from './fixtures';

describe('EC2 emulator: injected faults and the call log', () => {
  let w: World;
  let sg: string;
  beforeEach(async () => {
    w = await startWorld();
    sg = w.emu.addSecurityGroup({ vpcId: w.vpcId, name: 'target' });
  });
  afterEach(() => w.emu.close());

  const authorize = (client = w.ec2, port = 80) => client.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(port, '10.0.0.0/24')] }));

  test('failWrite(k) fails the k-th write from now, before any state change, and counts only writes', async () => {
    const client = oneShotClient(w.emu);
    w.emu.failWrite(2, 'UnauthorizedOperation');
    await authorize(client, 80);
    await client.send(new DescribeVpcsCommand({}));
    const before = w.emu.snapshot();
    const err = await errorOf(authorize(client, 81));
    expect(err).toMatchObject({ name: 'UnauthorizedOperation', status: 400 });
    expect(w.emu.snapshot()).toBe(before);
    // the fault is spent: the same write now succeeds
    await authorize(client, 81);
    expect(w.emu.calls.map((c) => [c.action, c.ok, c.errorCode])).toEqual([
      ['AuthorizeSecurityGroupIngress', true, undefined],
      ['DescribeVpcs', true, undefined],
      ['AuthorizeSecurityGroupIngress', false, 'UnauthorizedOperation'],
      ['AuthorizeSecurityGroupIngress', true, undefined],
    ]);
  });

  test("failWrite's default is InternalError with HTTP 500, which the SDK's standard retry absorbs", async () => {
    w.emu.failWrite(1);
    const single = await errorOf(authorize(oneShotClient(w.emu)));
    expect(single).toMatchObject({ name: 'InternalError', status: 500 });
    expect(w.emu.group(sg)!.ingress).toEqual([]);
    w.emu.failWrite(1);
    const out = await authorize();
    expect(out.$metadata.attempts).toBe(2);
    expect(w.emu.group(sg)!.ingress).toHaveLength(1);
  });

  test('a failed CreateSecurityGroup creates nothing', async () => {
    w.emu.failWrite(1, 'InternalError');
    const before = w.emu.snapshot();
    await errorOf(oneShotClient(w.emu).send(new CreateSecurityGroupCommand({ GroupName: 'x', Description: 'x', VpcId: w.vpcId })));
    expect(w.emu.snapshot()).toBe(before);
  });

  test('the SDK standard retry survives two throttles; the state changes once', async () => {
    w.emu.throttle(2);
    const out = await authorize();
    expect(out.$metadata.attempts).toBe(3);
    expect(w.emu.group(sg)!.ingress).toHaveLength(1);
    expect(w.emu.calls.map((c) => c.errorCode ?? 'ok')).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded', 'ok']);
  });

  test('throttling answers RequestLimitExceeded with HTTP 503, for reads too, and changes nothing', async () => {
    w.emu.throttle(2);
    const client = oneShotClient(w.emu);
    const before = w.emu.snapshot();
    expect(await errorOf(authorize(client))).toMatchObject({ name: 'RequestLimitExceeded', status: 503 });
    expect(await errorOf(client.send(new DescribeVpcsCommand({})))).toMatchObject({ name: 'RequestLimitExceeded', status: 503 });
    expect(w.emu.snapshot()).toBe(before);
    await expect(client.send(new DescribeVpcsCommand({}))).resolves.toBeDefined();
  });

  test('serverError(n) fails the next n calls with InternalError (HTTP 500); three exhaust the SDK retries', async () => {
    w.emu.serverError(3);
    const err = await errorOf(authorize());
    expect(err).toMatchObject({ name: 'InternalError', status: 500, attempts: 3 });
    expect(w.emu.group(sg)!.ingress).toEqual([]);
    await authorize();
    expect(w.emu.calls.map((c) => c.errorCode ?? 'ok')).toEqual(['InternalError', 'InternalError', 'InternalError', 'ok']);
  });

  test('clearFaults cancels every pending fault', async () => {
    w.emu.throttle(5);
    w.emu.serverError(5);
    w.emu.failWrite(1);
    w.emu.clearFaults();
    const out = await authorize(oneShotClient(w.emu));
    expect(out.Return).toBe(true);
  });

  test('calls records every request in order with its write flag; resetCalls empties it', async () => {
    await w.ec2.send(new DescribeVpcsCommand({}));
    await errorOf(authorize(w.ec2, -5));
    expect(w.emu.calls).toEqual([
      { action: 'DescribeVpcs', write: false, ok: true },
      { action: 'AuthorizeSecurityGroupIngress', write: true, ok: false, errorCode: 'InvalidParameterValue' },
    ]);
    w.emu.resetCalls();
    expect(w.emu.calls).toEqual([]);
  });

  test('DryRun answers DryRunOperation and changes nothing', async () => {
    const before = w.emu.snapshot();
    const err = await errorOf(w.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [tcp(80, '10.0.0.0/24')], DryRun: true })));
    expect(err.name).toBe('DryRunOperation');
    expect(w.emu.snapshot()).toBe(before);
  });

  test.each([
    { what: 'failWrite(0)', inject: (w: World) => w.emu.failWrite(0) },
    { what: 'throttle(-1)', inject: (w: World) => w.emu.throttle(-1) },
    { what: 'serverError(1.5)', inject: (w: World) => w.emu.serverError(1.5) },
  ])('$what is refused as a test bug', ({ inject }) => {
    expect(() => inject(w)).toThrow(/must be an integer/);
  });
});
