import { CLOUDFRONT_SIGNING_REGION, DistributionReader } from '../../lambda-src/aws/distribution-header';
import { commandUserAgentAppId, credentialsFor, explainFailures } from '../aws';
import type { AwsService } from '../errors';
import type { CliIo } from '../output';

// Global: AWS's endpoint is cloudfront.amazonaws.com, whatever --region says.
const CLOUDFRONT_SERVICE: AwsService = {
  name: 'CloudFront',
  host: 'cloudfront',
  override: '--cloudfront-endpoint-url (or AWS_ENDPOINT_URL_CLOUDFRONT)',
  note: 'CloudFront is global: its API is https://cloudfront.amazonaws.com',
};

/** The shell's CloudFront reader, with the CLI's credentials (profile), User-Agent and words for a missing credential or a dead endpoint. */
export async function openDistributionReader(target: { profile?: string; endpointUrl?: string }, io: Pick<CliIo, 'env'>): Promise<DistributionReader> {
  const credentials = await credentialsFor({ region: CLOUDFRONT_SIGNING_REGION, profile: target.profile });
  return DistributionReader.open({ credentials, userAgentAppId: commandUserAgentAppId(), endpointUrl: target.endpointUrl }, io, (client, endpoint) =>
    explainFailures(client, { region: CLOUDFRONT_SIGNING_REGION, endpointUrl: endpoint, profile: target.profile, service: CLOUDFRONT_SERVICE }, io.env),
  );
}
