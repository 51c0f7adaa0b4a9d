import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { sdkClientConfig, type SdkClientOptions } from './client-config';

/** The shell's client type, so that the CLI never imports the EC2 SDK itself. */
export type { EC2Client };

/**
 * One client per region and endpoint, reused across warm invocations. AWS_ENDPOINT_URL_EC2 is
 * honoured by the SDK itself, which is how the tests point the shipped bundle at the emulator.
 */
const clients = new Map<string, EC2Client>();

/** A new client with the product's retry policy; the CLI builds its one client with this. */
export function newEc2Client(options: SdkClientOptions<EC2ClientConfig['credentials']>): EC2Client {
  return new EC2Client(sdkClientConfig(options));
}

export function ec2ClientFor(region: string, endpoint?: string): EC2Client {
  const key = `${region}|${endpoint ?? process.env.AWS_ENDPOINT_URL_EC2 ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = newEc2Client({ region, endpoint });
    clients.set(key, client);
  }
  return client;
}
