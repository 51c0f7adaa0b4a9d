/**
 * GIVEN an account: the EC2 origin fixture plus STS, Service Quotas and Lambda emulators, each in
 * its real wire protocol on 127.0.0.1, and the environment that points the real SDK clients at them.
 */
import { startLambdaEmulator, type LambdaEmulatorOptions } from '../../emulator/lambda';
import type { LoopbackServer } from '../../emulator/loopback-server';
import { startServiceQuotasEmulator, type ServiceQuotasEmulatorOptions } from '../../emulator/service-quotas';
import { startStsEmulator, type StsEmulatorOptions } from '../../emulator/sts';
import type { EmulatorOptions } from '../../emulator/ec2';
import { startOrigin, type Origin } from './origin-fixture';

export interface AccountOptions {
  readonly ec2?: EmulatorOptions;
  readonly sts?: StsEmulatorOptions;
  readonly quotas?: ServiceQuotasEmulatorOptions;
  readonly lambda?: LambdaEmulatorOptions;
}

export interface Account {
  readonly origin: Origin;
  /** AWS_ENDPOINT_URL_* for STS, Service Quotas and Lambda (EC2 goes by --endpoint-url). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function startAccount(opts: AccountOptions = {}): Promise<Account> {
  const origin = await startOrigin(opts.ec2);
  const servers: LoopbackServer[] = [await startStsEmulator(opts.sts), await startServiceQuotasEmulator(opts.quotas), await startLambdaEmulator(opts.lambda)];
  const [sts, quotas, lambda] = servers;
  return {
    origin,
    env: { AWS_ENDPOINT_URL_STS: sts.endpoint, AWS_ENDPOINT_URL_SERVICE_QUOTAS: quotas.endpoint, AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint },
    close: async () => {
      for (const s of servers) await s.close();
      await origin.close();
    },
  };
}
