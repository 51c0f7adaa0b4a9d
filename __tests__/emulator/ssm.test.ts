import { GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { startSsmEmulator, type SsmEmulator } from '../../emulator/ssm';

/** The SSM emulator through the real SDK client: JSON 1.1, versions, selectors, SecureString, SSM's error codes. */

let emu: SsmEmulator;
let ssm: SSMClient;
beforeEach(async () => {
  emu = await startSsmEmulator();
  ssm = emu.client();
});
afterEach(() => emu.close());

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, status: (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

test('PutParameter creates version 1, Overwrite adds version 2, and each version stays readable by selector', async () => {
  expect((await ssm.send(new PutParameterCommand({ Name: '/cfguard/t/s', Value: 'one', Type: 'SecureString' }))).Version).toBe(1);
  expect(emu.latestVersion('/cfguard/t/s')).toBe(1);
  expect((await ssm.send(new PutParameterCommand({ Name: '/cfguard/t/s', Value: 'two', Type: 'SecureString', Overwrite: true }))).Version).toBe(2);
  expect(emu.latestVersion('/cfguard/t/s')).toBe(2);
  const latest = await ssm.send(new GetParameterCommand({ Name: '/cfguard/t/s', WithDecryption: true }));
  expect(latest.Parameter).toMatchObject({ Name: '/cfguard/t/s', Value: 'two', Version: 2, Type: 'SecureString' });
  const first = await ssm.send(new GetParameterCommand({ Name: '/cfguard/t/s:1', WithDecryption: true }));
  expect(first.Parameter).toMatchObject({ Value: 'one', Version: 1, Selector: ':1' });
  const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/cfguard/t/s', WithDecryption: true }));
  expect(history.Parameters?.map((p) => p.Value)).toEqual(['one', 'two']);
  expect(emu.calls.map((c) => c.action)).toEqual(['PutParameter', 'PutParameter', 'GetParameter', 'GetParameter', 'GetParameterHistory']);
});

test('a SecureString read without decryption returns an opaque value, never the plaintext', async () => {
  emu.put('/cfguard/t/s', 'plaintext-secret-value');
  const got = await ssm.send(new GetParameterCommand({ Name: '/cfguard/t/s' }));
  expect(got.Parameter?.Value).not.toContain('plaintext-secret-value');
  expect(Buffer.from(got.Parameter!.Value!, 'base64').toString()).not.toContain('plaintext-secret-value');
});

test.each([
  ['a missing parameter', () => new GetParameterCommand({ Name: '/cfguard/none' }), 'ParameterNotFound'],
  ['a missing version', () => new GetParameterCommand({ Name: '/cfguard/t/s:9' }), 'ParameterVersionNotFound'],
  ['a put over an existing parameter without Overwrite', () => new PutParameterCommand({ Name: '/cfguard/t/s', Value: 'x', Type: 'SecureString' }), 'ParameterAlreadyExists'],
  ['a reserved name', () => new PutParameterCommand({ Name: '/aws/x', Value: 'x', Type: 'String' }), 'ValidationException'],
  ['a value over 4 KB', () => new PutParameterCommand({ Name: '/cfguard/big', Value: 'x'.repeat(4097), Type: 'String' }), 'ValidationException'],
])("%s fails with SSM's code and leaves the parameter as it was", async (_what, command, code) => {
  emu.put('/cfguard/t/s', 'kept');
  const e = await errorOf(ssm.send(command() as GetParameterCommand));
  expect(e).toEqual({ name: code, status: 400 });
  expect(emu.value('/cfguard/t/s')).toBe('kept');
  expect(emu.latestVersion('/cfguard/t/s')).toBe(1);
  expect(emu.latestVersion('/cfguard/big')).toBeUndefined();
});

test('a request without the JSON 1.1 target is refused as the real endpoint does', async () => {
  const res = await fetch(emu.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
});
