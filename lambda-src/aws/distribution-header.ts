import type { CloudFrontClient, CloudFrontClientConfig } from '@aws-sdk/client-cloudfront';
import { guardError, isGuardError } from '../core/errors';
import { sdkClientConfig } from './client-config';

/*
 * What the distribution sends to its origins, read from CloudFront itself (the AWS shell's CloudFront
 * reads, for cfguard rotate-origin-secret). GetDistributionConfig returns each origin's CustomHeaders
 * and the configuration's ETag; GetDistribution its Status, "Deployed" once the configuration has
 * propagated to every edge location, and the same ETag for the same configuration (Amazon CloudFront
 * API Reference, GetDistributionConfig and GetDistribution). Header values stay inside these objects:
 * nothing here prints or logs them.
 */

export interface SentHeader {
  readonly distributionId: string;
  /** `Deployed`, or `InProgress` while some edges may still send the previous configuration's value. */
  readonly status: string;
  /** Both reads saw the same configuration (equal ETags); when false, treat the distribution as deploying. */
  readonly settled: boolean;
  /** Each distinct value of the header the distribution's origins carry, in origin order. */
  readonly values: readonly string[];
  /** The origins that carry the header. */
  readonly originIds: readonly string[];
}

export interface DistributionReaderTarget {
  readonly credentials?: CloudFrontClientConfig['credentials'];
  readonly userAgentAppId?: string;
  /** A CloudFront endpoint override; otherwise AWS_ENDPOINT_URL_CLOUDFRONT, otherwise AWS. */
  readonly endpointUrl?: string;
}

/** CloudFront is global: its API lives at cloudfront.amazonaws.com and signs requests for us-east-1. */
export const CLOUDFRONT_SIGNING_REGION = 'us-east-1';

export class DistributionReader {
  private constructor(private readonly cloudfront: CloudFrontClient) {}

  /** `decorate` lets the CLI wrap the client (its explain-failures middleware) before the first call. */
  static async open(
    target: DistributionReaderTarget,
    io: { readonly env: Readonly<Record<string, string | undefined>> },
    decorate?: (client: CloudFrontClient, endpoint: string | undefined) => void,
  ): Promise<DistributionReader> {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { CloudFrontClient } = await import('@aws-sdk/client-cloudfront');
    const endpoint = target.endpointUrl || io.env.AWS_ENDPOINT_URL_CLOUDFRONT || undefined;
    const client = new CloudFrontClient(sdkClientConfig({ region: CLOUDFRONT_SIGNING_REGION, endpoint, credentials: target.credentials, userAgentAppId: target.userAgentAppId }));
    decorate?.(client, endpoint);
    return new DistributionReader(client);
  }

  /** The values of `headerName` (case-insensitive, as HTTP header names are) the distribution's origins carry. */
  async read(distributionId: string, headerName: string): Promise<SentHeader> {
    const { GetDistributionConfigCommand, GetDistributionCommand } = await import('@aws-sdk/client-cloudfront');
    const config = await this.call('GetDistributionConfig', distributionId, () => this.cloudfront.send(new GetDistributionConfigCommand({ Id: distributionId })));
    const distribution = await this.call('GetDistribution', distributionId, () => this.cloudfront.send(new GetDistributionCommand({ Id: distributionId })));
    const wanted = headerName.toLowerCase();
    const values: string[] = [];
    const originIds: string[] = [];
    for (const origin of config.DistributionConfig?.Origins?.Items ?? []) {
      const found = (origin.CustomHeaders?.Items ?? []).filter((h) => h.HeaderName?.toLowerCase() === wanted);
      if (found.length === 0) continue;
      originIds.push(origin.Id ?? '');
      for (const h of found) if (h.HeaderValue !== undefined && !values.includes(h.HeaderValue)) values.push(h.HeaderValue);
    }
    return {
      distributionId,
      status: distribution.Distribution?.Status ?? 'unknown',
      settled: config.ETag !== undefined && config.ETag === distribution.ETag,
      values,
      originIds,
    };
  }

  close(): void {
    this.cloudfront.destroy();
  }

  private async call<T>(call: string, distributionId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      if (isGuardError(e)) throw e; // already in the CLI's words (its decorate hook: credentials, endpoint)
      const name = (e as Error).name;
      if (name === 'NoSuchDistribution')
        throw guardError(
          'DISTRIBUTION_NOT_FOUND',
          `CloudFront has no distribution '${distributionId}' (${call}: NoSuchDistribution); pass --distribution-id with the stack's distribution (terraform output distribution_id)`,
          'usage',
          { distributionId },
        );
      throw guardError('CLOUDFRONT_ERROR', `CloudFront ${call} on '${distributionId}' failed: ${name}: ${(e as Error).message}`, 'external', { distributionId, call, awsCode: name });
    }
  }
}
