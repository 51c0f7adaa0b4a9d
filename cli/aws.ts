import type { Ec2Shell } from '../lambda-src/aws/security-group-manager';
import { assumeRoleFailed, explainAwsFailure, type AwsFailureContext } from './errors';
import type { CliIo } from './output';

/*
 * The EC2 client, built only when a command needs AWS: the SDK and the credential providers are
 * loaded here, lazily, so `cfguard --help` never pays for them.
 */

export interface AwsTarget {
  readonly region: string;
  /** A shared-config profile; otherwise AWS_PROFILE, otherwise the standard credential chain. */
  readonly profile?: string;
  /** Who named `profile` (`--profile`, `AWS_PROFILE`, a `--targets` entry's `profile`), for the error's fix. @default --profile */
  readonly profileFrom?: string;
  /** A role to assume (with the profile's or the default credentials). */
  readonly roleArn?: string;
  /** An EC2 endpoint override; otherwise AWS_ENDPOINT_URL_EC2, otherwise AWS. */
  readonly endpointUrl?: string;
}

let userAgentAppId: string | undefined;

/**
 * Every SDK client then sends `app/cfguard-<command>` in its User-Agent: CloudTrail shows which
 * command made each call (and the IAM proof attributes calls to commands the same way).
 */
export function setCommandForUserAgent(command: string | undefined): void {
  userAgentAppId = command ? `cfguard-${command}` : undefined;
}

export function commandUserAgentAppId(): string | undefined {
  return userAgentAppId;
}

/**
 * The profile the SDK would use, and who named it. AWS_PROFILE is read here rather than left to the
 * SDK's default chain: that chain, with AWS_ACCESS_KEY_ID set too, prints a multi-line "Multiple
 * credential sources detected" warning on stderr (and, like the SDK, uses the profile), and its
 * failure blames "any providers" where the fault is the one profile named.
 */
function chosenProfile(target: Pick<AwsTarget, 'profile'>, env: Readonly<Record<string, string | undefined>> = process.env): { profile?: string; profileFrom?: string } {
  if (target.profile) return { profile: target.profile, profileFrom: '--profile' };
  if (env.AWS_PROFILE) return { profile: env.AWS_PROFILE, profileFrom: 'AWS_PROFILE' };
  return {};
}

export async function ec2ClientFor(target: AwsTarget, io: Pick<CliIo, 'env'>): Promise<Ec2Shell> {
  // The shell's client, as the Lambda's: standard retry mode absorbs throttling (RequestLimitExceeded) and 5xx.
  const [{ newEc2Client }, { CliEc2Shell }] = await Promise.all([import('../lambda-src/aws/ec2-client'), import('../lambda-src/aws/ec2-reads')]);
  const endpoint = target.endpointUrl || io.env.AWS_ENDPOINT_URL_EC2 || undefined;
  const credentials = await credentialsFor(target);
  const client = newEc2Client({ region: target.region, endpoint, credentials, userAgentAppId });
  explainFailures(client, { ...target, endpointUrl: endpoint }, io.env);
  return new CliEc2Shell(client);
}

/** What explainFailures needs of an SDK v3 client: its middleware stack. */
interface WithMiddleware {
  readonly middlewareStack: { add(middleware: never, options: { step: 'initialize'; name: string }): void };
}

/**
 * Outermost step, around retries and signing: a missing credential or a dead endpoint becomes one
 * error with its fix (explainAwsFailure), for every call of the client, whichever module sends it.
 * The profile it names is the one the SDK uses (chosenProfile), and who named it unless `given.profileFrom` says.
 */
export function explainFailures<C extends WithMiddleware>(client: C, given: AwsFailureContext, env: Readonly<Record<string, string | undefined>>): C {
  const at = { ...given, ...chosenProfile(given, env), ...(given.profileFrom ? { profileFrom: given.profileFrom } : {}) };
  const middleware = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    try {
      return await next(args);
    } catch (e) {
      throw explainAwsFailure(e, at, String(context.commandName ?? at.service?.name ?? 'EC2').replace(/Command$/, '')) ?? e;
    }
  };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'cfguardExplainFailures' });
  return client;
}

/** The profile's or the assumed role's credentials; undefined leaves the SDK's standard chain. */
export async function credentialsFor(target: AwsTarget): Promise<ReturnType<typeof import('@aws-sdk/credential-providers').fromTemporaryCredentials> | undefined> {
  const { profile } = chosenProfile(target);
  if (!profile && !target.roleArn) return undefined;
  const { fromIni, fromTemporaryCredentials } = await import('@aws-sdk/credential-providers');
  const base = profile ? fromIni({ profile }) : undefined;
  if (!target.roleArn) return base;
  const roleArn = target.roleArn;
  const assumed = fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: 'cfguard' },
    ...(base ? { masterCredentials: base } : {}),
    clientConfig: { region: target.region },
  });
  // Otherwise the first EC2 call reports STS's failure as its own ("DescribeVpcs failed … sts…").
  return async () => {
    try {
      return await assumed();
    } catch (e) {
      throw assumeRoleFailed(e, roleArn);
    }
  };
}
