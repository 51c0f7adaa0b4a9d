import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describeAwsError } from './aws-errors';
import { PREFLIGHT_QUOTAS, type QuotaKey, type QuotaReading, type RegionStatus } from '../core/preflight';
import type { Ec2Shell } from './security-group-manager';

/*
 * The account-level reads of `cfguard preflight`, beside the EC2 ones: who is calling (STS), the
 * account's quotas (Service Quotas), Lambda's concurrency, and whether a region is enabled (EC2).
 * Each client honours its own endpoint override (AWS_ENDPOINT_URL_STS, _SERVICE_QUOTAS, _LAMBDA).
 */

export interface AccountClients {
  readonly sts: STSClient;
  readonly quotas: ServiceQuotasClient;
  readonly lambda: LambdaClient;
}

export interface AccountClientOptions {
  /** The instance's region: quotas are regional. */
  readonly region: string;
  /** Where the function runs: its Lambda concurrency is read there. */
  readonly functionRegion: string;
  /** The region STS is asked in: the deployment's, or an always-enabled one for an opt-in region. */
  readonly stableRegion: string;
  readonly endpoints: { readonly sts?: string; readonly quotas?: string; readonly lambda?: string };
  readonly credentials?: STSClientConfig['credentials'];
  /** Sent in the User-Agent as `app/<id>`. @default - none */
  readonly userAgentAppId?: string;
}

export function newAccountClients(o: AccountClientOptions): AccountClients {
  const common = (endpoint: string | undefined) => ({
    maxAttempts: 3,
    ...(endpoint ? { endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.userAgentAppId ? { userAgentAppId: o.userAgentAppId } : {}),
  });
  return {
    sts: new STSClient({ region: o.stableRegion, ...common(o.endpoints.sts) }),
    quotas: new ServiceQuotasClient({ region: o.region, ...common(o.endpoints.quotas) }),
    lambda: new LambdaClient({ region: o.functionRegion, ...common(o.endpoints.lambda) }),
  };
}

export async function callerIdentity(sts: STSClient): Promise<{ account: string; arn: string }> {
  const out = await sts.send(new GetCallerIdentityCommand({})).catch((e) => {
    throw describeAwsError(e, 'GetCallerIdentity');
  });
  return { account: out.Account ?? '', arn: out.Arn ?? '' };
}

/** EC2's view of the region for this account (asked of an enabled region's endpoint). */
export async function regionStatus(ec2: Ec2Shell, region: string): Promise<RegionStatus> {
  return ((await ec2.regionOptInStatus(region)) as RegionStatus | undefined) ?? 'not-opted-in';
}

/** The account's applied value; AWS's default when the caller may not read it (or it is not listed). */
export async function readQuota(quotas: ServiceQuotasClient, key: QuotaKey): Promise<QuotaReading> {
  const q = PREFLIGHT_QUOTAS[key];
  try {
    const out = await quotas.send(new GetServiceQuotaCommand({ ServiceCode: q.serviceCode, QuotaCode: q.quotaCode }));
    const value = out.Quota?.Value;
    return value === undefined ? { value: q.defaultValue, source: 'default', reason: 'no value returned' } : { value, source: 'account' };
  } catch (e) {
    return { value: q.defaultValue, source: 'default', reason: (e as { name?: string }).name ?? 'Unknown' };
  }
}

export async function lambdaConcurrency(lambda: LambdaClient): Promise<{ concurrentExecutions: number; unreservedConcurrentExecutions: number }> {
  const out = await lambda.send(new GetAccountSettingsCommand({})).catch((e) => {
    throw describeAwsError(e, 'GetAccountSettings');
  });
  return { concurrentExecutions: out.AccountLimit?.ConcurrentExecutions ?? 0, unreservedConcurrentExecutions: out.AccountLimit?.UnreservedConcurrentExecutions ?? 0 };
}
