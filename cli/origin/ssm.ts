import { SecretStore, type SecretStoreTarget } from '../../lambda-src/aws/ssm-secret-store';
import { commandUserAgentAppId, credentialsFor, explainFailures } from '../aws';
import type { AwsService } from '../errors';
import type { CliIo } from '../output';

const SSM_SERVICE: AwsService = { name: 'SSM', host: 'ssm', override: '--ssm-endpoint-url (or AWS_ENDPOINT_URL_SSM)' };

/** The shell's secret store, with the CLI's words for a missing credential or a dead endpoint. */
export async function openSecretStore(target: SecretStoreTarget, parameterName: string, io: Pick<CliIo, 'env'>): Promise<SecretStore> {
  // The same credentials (profile) and User-Agent (app/cfguard-<command>) as the CLI's EC2 client.
  const credentials = target.credentials ?? (await credentialsFor({ region: target.region, profile: target.profile }));
  const withCaller = { ...target, credentials, userAgentAppId: target.userAgentAppId ?? commandUserAgentAppId() };
  return SecretStore.open(withCaller, parameterName, io, (ssm, endpoint) =>
    explainFailures(ssm, { region: target.region, endpointUrl: endpoint, profile: target.profile, service: SSM_SERVICE }, io.env),
  );
}
