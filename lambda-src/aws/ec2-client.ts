import { EC2Client } from '@aws-sdk/client-ec2';

/**
 * One client per region and endpoint, reused across warm invocations. Standard retry mode backs
 * off on throttling (RequestLimitExceeded) and 5xx. AWS_ENDPOINT_URL_EC2 is honoured by the SDK
 * itself, which is how the tests point the shipped bundle at the emulator.
 */
const clients = new Map<string, EC2Client>();

export const EC2_MAX_ATTEMPTS = 5;

export function ec2ClientFor(region: string, endpoint?: string): EC2Client {
  const key = `${region}|${endpoint ?? process.env.AWS_ENDPOINT_URL_EC2 ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = new EC2Client({ region, maxAttempts: EC2_MAX_ATTEMPTS, retryMode: 'standard', ...(endpoint ? { endpoint } : {}) });
    clients.set(key, client);
  }
  return client;
}
