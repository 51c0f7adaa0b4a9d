import { SecretStore, type SecretStoreTarget } from '../../lambda-src/aws/ssm-secret-store';
import { explainFailures } from '../aws';
import type { AwsService } from '../errors';
import type { CliIo } from '../output';

const SSM_SERVICE: AwsService = { name: 'SSM', host: 'ssm', override: '--ssm-endpoint-url (or AWS_ENDPOINT_URL_SSM)' };

/** The shell's secret store, with the CLI's words for a missing credential or a dead endpoint. */
export function openSecretStore(target: SecretStoreTarget, parameterName: string, io: Pick<CliIo, 'env'>): Promise<SecretStore> {
  return SecretStore.open(target, parameterName, io, (ssm, endpoint) => explainFailures(ssm, { region: target.region, endpointUrl: endpoint, profile: target.profile, service: SSM_SERVICE }));
}
