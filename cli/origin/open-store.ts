import { SecretStore } from '../../lambda-src/aws/ssm-secret-store';
import { commandUserAgentAppId, credentialsFor } from '../aws';
import type { RunContext } from '../context';
import type { OriginSecretArgs } from './options';

/** The parameter's store with the same credentials (profile) and User-Agent (app/cfguard-<command>) as the CLI's EC2 client. */
export async function openSecretStore(ctx: RunContext, argv: OriginSecretArgs, parameterName: string): Promise<SecretStore> {
  const credentials = await credentialsFor({ region: ctx.settings.region, profile: argv.profile });
  return SecretStore.open({ region: ctx.settings.region, endpointUrl: argv.ssmEndpointUrl, credentials, userAgentAppId: commandUserAgentAppId() }, parameterName, ctx.io);
}
