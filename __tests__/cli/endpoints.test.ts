/**
 * Where each service's calls go. `--endpoint-url` overrides EC2 only; STS, Service Quotas and Lambda
 * follow the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables, which nothing in cfguard overrides; and
 * preflight asks STS in the deployment's region, never us-east-1 for an eu-north-1 stack.
 */
import { MANIFEST, rangesPath } from '../../emulator/shared-data';
import { startRecording, type RecordedCall } from '../../emulator/recorder';
import { runCli, tempDir, writeConfig } from '../support/cli-harness';
import { startAccount } from '../support/account-fixture';
import { refusingPort } from '../support/tcp-listeners';

const FILE = rangesPath(MANIFEST[0].file);

async function preflightCalls(region: string, opts: Parameters<typeof startAccount>[0] = {}): Promise<{ code: number | null; calls: RecordedCall[]; ec2: string }> {
  const account = await startAccount(opts);
  const recorder = startRecording();
  try {
    const cwd = tempDir();
    writeConfig(cwd, { name: 'media', region, instanceId: account.origin.instanceId, instanceSecurityGroupId: account.origin.ownGroupId });
    const run = await runCli(['preflight', '--json', '--ip-ranges', FILE, '--endpoint-url', account.origin.emu.endpoint], { cwd, env: account.env });
    return { code: run.code, calls: [...recorder.calls], ec2: account.origin.emu.endpoint };
  } finally {
    recorder.stop();
    await account.close();
  }
}

describe('endpoint overrides, service by service', () => {
  test('GIVEN --endpoint-url and region eu-north-1 THEN EC2 goes there, STS to AWS_ENDPOINT_URL_STS signed for eu-north-1, Service Quotas and Lambda to their own variables', async () => {
    const { code, calls, ec2 } = await preflightCalls('eu-north-1');
    expect(code).toBe(0);
    // Each emulator records its own service: a call is where it was answered.
    const answered = (service: string) => [...new Set(calls.filter((c) => c.service === service).map((c) => `${c.action}@${c.region}`))];
    expect(calls.filter((c) => c.service === 'ec2').every((c) => c.endpoint === ec2 && c.region === 'eu-north-1')).toBe(true);
    expect(calls.filter((c) => c.service === 'ec2').map((c) => c.action)).not.toContain('GetCallerIdentity');
    expect(answered('sts')).toEqual(['GetCallerIdentity@eu-north-1']);
    expect(answered('servicequotas')).toEqual(['GetServiceQuota@eu-north-1']);
    expect(answered('lambda')).toEqual(['GetAccountSettings@eu-north-1']);
    expect(calls.filter((c) => c.region === 'us-east-1')).toEqual([]);
  });

  test('GIVEN an enabled opt-in region THEN STS is asked in us-east-1 (a disabled region would not answer), still at its own endpoint', async () => {
    const { code, calls } = await preflightCalls('eu-south-1', { ec2: { enabledOptInRegions: ['eu-south-1'] } });
    expect(code).toBe(0);
    expect(calls.filter((c) => c.service === 'sts').map((c) => `${c.action}@${c.region}`)).toEqual(['GetCallerIdentity@us-east-1']);
  });
});

describe('an endpoint that does not answer', () => {
  test('GIVEN --endpoint-url (EC2) and a dead STS endpoint THEN the error names STS, its variable, and that --endpoint-url covers EC2 only', async () => {
    const account = await startAccount();
    try {
      const cwd = tempDir();
      writeConfig(cwd, { name: 'media', region: 'eu-north-1', instanceId: account.origin.instanceId, instanceSecurityGroupId: account.origin.ownGroupId });
      const dead = `http://127.0.0.1:${await refusingPort()}`;
      const run = await runCli(['preflight', '--ip-ranges', FILE, '--endpoint-url', account.origin.emu.endpoint], { cwd, env: { ...account.env, AWS_ENDPOINT_URL_STS: dead } });
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n').filter((l) => l.startsWith('error '))).toEqual([
        expect.stringMatching(
          new RegExp(
            `^error ENDPOINT_UNREACHABLE: cannot reach the STS endpoint ${dead} for GetCallerIdentity \\(.*ECONNREFUSED.*\\); check that something serves STS there and that AWS_ENDPOINT_URL_STS names it; drop the override to use AWS \\(--endpoint-url covers EC2 only\\)$`,
          ),
        ),
      ]);
    } finally {
      await account.close();
    }
  });
});
