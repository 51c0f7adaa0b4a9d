/**
 * The STS, Service Quotas and Lambda emulators, and EC2's DescribeRegions, through the real SDK
 * clients: each in its own wire protocol (Query/XML, JSON 1.1 with X-Amz-Target, REST-JSON).
 */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startEc2Emulator } from '../../emulator/ec2';
import { startLambdaEmulator } from '../../emulator/lambda';
import { startRecording } from '../../emulator/recorder';
import { startServiceQuotasEmulator } from '../../emulator/service-quotas';
import { startStsEmulator } from '../../emulator/sts';

const credentials = { accessKeyId: 'AKIDEMULATOR0000000', secretAccessKey: 'secret' };
const opts = (endpoint: string) => ({ endpoint, region: 'eu-west-1', credentials, maxAttempts: 1 });

test('STS GetCallerIdentity answers the account and the caller; a failure is the SDK error it names', async () => {
  const ok = await startStsEmulator({ arn: 'arn:aws:iam::123456789012:role/ops' });
  const bad = await startStsEmulator({ failWith: 'InvalidClientTokenId' });
  try {
    expect(await new STSClient(opts(ok.endpoint)).send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:role/ops' });
    await expect(new STSClient(opts(bad.endpoint)).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  } finally {
    await ok.close();
    await bad.close();
  }
});

test("Service Quotas: the applied value, AWS's default, an unknown quota, and a caller who may not read", async () => {
  const sq = await startServiceQuotasEmulator({ applied: { 'vpc/L-0EA8095F': 200 } });
  const denied = await startServiceQuotasEmulator({ accessDenied: true });
  const recorder = startRecording();
  try {
    const client = new ServiceQuotasClient(opts(sq.endpoint));
    expect((await client.send(new GetServiceQuotaCommand({ ServiceCode: 'vpc', QuotaCode: 'L-0EA8095F' }))).Quota).toMatchObject({
      Value: 200,
      QuotaName: 'Inbound or outbound rules per security group',
      QuotaArn: 'arn:aws:servicequotas:eu-west-1:123456789012:vpc/L-0EA8095F',
    });
    expect((await client.send(new GetAWSDefaultServiceQuotaCommand({ ServiceCode: 'vpc', QuotaCode: 'L-0EA8095F' }))).Quota?.Value).toBe(60);
    expect((await client.send(new GetServiceQuotaCommand({ ServiceCode: 'vpc', QuotaCode: 'L-2AFB9258' }))).Quota?.Value).toBe(5);
    await expect(client.send(new GetServiceQuotaCommand({ ServiceCode: 'vpc', QuotaCode: 'L-00000000' }))).rejects.toMatchObject({ name: 'NoSuchResourceException' });
    await expect(new ServiceQuotasClient(opts(denied.endpoint)).send(new GetServiceQuotaCommand({ ServiceCode: 'vpc', QuotaCode: 'L-0EA8095F' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(recorder.calls.map((c) => [c.service, c.action, c.region, c.ok])).toEqual([
      ['servicequotas', 'GetServiceQuota', 'eu-west-1', true],
      ['servicequotas', 'GetAWSDefaultServiceQuota', 'eu-west-1', true],
      ['servicequotas', 'GetServiceQuota', 'eu-west-1', true],
      ['servicequotas', 'GetServiceQuota', 'eu-west-1', false],
      ['servicequotas', 'GetServiceQuota', 'eu-west-1', false],
    ]);
  } finally {
    recorder.stop();
    await sq.close();
    await denied.close();
  }
});

test("Lambda GetAccountSettings: the account's concurrency and what is left unreserved", async () => {
  const lambda = await startLambdaEmulator({ concurrentExecutions: 10, unreservedConcurrentExecutions: 10 });
  try {
    const out = await new LambdaClient(opts(lambda.endpoint)).send(new GetAccountSettingsCommand({}));
    expect(out.AccountLimit).toMatchObject({ ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 });
  } finally {
    await lambda.close();
  }
});

test('EC2 DescribeRegions: opt-in status per region, disabled ones only with AllRegions, unknown names refused', async () => {
  const emu = await startEc2Emulator({ enabledOptInRegions: ['eu-south-1'] });
  try {
    const ec2 = emu.client();
    const status = async (names: string[], all: boolean) => (await ec2.send(new DescribeRegionsCommand({ RegionNames: names, AllRegions: all }))).Regions?.map((r) => [r.RegionName, r.OptInStatus]);
    expect(await status(['eu-north-1', 'eu-south-1', 'ap-east-1'], true)).toEqual([
      ['eu-north-1', 'opt-in-not-required'],
      ['eu-south-1', 'opted-in'],
      ['ap-east-1', 'not-opted-in'],
    ]);
    expect(await status(['eu-north-1', 'eu-south-1', 'ap-east-1'], false)).toEqual([
      ['eu-north-1', 'opt-in-not-required'],
      ['eu-south-1', 'opted-in'],
    ]);
    await expect(ec2.send(new DescribeRegionsCommand({ RegionNames: ['eu-nrth-1'] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  } finally {
    await emu.close();
  }
});
