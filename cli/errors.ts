import { guardError, isGuardError, type GuardError } from '../lambda-src/core/errors';
import type { AwsTarget } from './aws';

/** The CLI's side of errors: usage errors, the one-line rendering and "did you mean" suggestions. */

export function usageError(message: string, details: Record<string, unknown> = {}): GuardError {
  return guardError('USAGE', message, 'usage', details);
}

/** `error CODE: message`, plus the stack with `--debug`; anything that is not a GuardError is a bug (INTERNAL). */
export function renderError(e: unknown, debug: boolean): string {
  const known = isGuardError(e);
  const code = known ? (e as GuardError).code : 'INTERNAL';
  const full = e instanceof Error ? e.message : String(e);
  // One line, always: a multi-line message (a require stack, say) keeps its first line unless --debug.
  const message = debug ? full : full.split('\n')[0];
  const hint = known || debug ? '' : ' (a bug in cfguard: run again with --debug for the stack and report it)';
  const stack = debug && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  return `error ${code}: ${message}${hint}${stack}\n`;
}

/** Where a client of the CLI points, for the fix an error names; `endpointUrl` is the override in force (a flag, a target's, or AWS_ENDPOINT_URL_*), if any. */
export interface AwsFailureContext extends AwsTarget {
  /** The AWS service the client speaks to, for the endpoint's name and its override. @default EC2 */
  readonly service?: AwsService;
}

export interface AwsService {
  /** As AWS names it: `EC2`, `SSM`. */
  readonly name: string;
  /** The hostname prefix: `ec2` in ec2.<region>.amazonaws.com. */
  readonly host: string;
  /** How the operator overrides the endpoint. */
  readonly override: string;
  /** Said after the fix, e.g. that `--endpoint-url` does not cover this service. @default - nothing */
  readonly note?: string;
}

export const EC2_SERVICE: AwsService = { name: 'EC2', host: 'ec2', override: "--endpoint-url (or AWS_ENDPOINT_URL_EC2, or the target's endpointUrl)" };

/** Socket-level failures: nothing answered at the endpoint, so no AWS error code exists. */
const UNREACHABLE: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError']);

function causeOf(e: unknown): { name: string; code: string; message: string } {
  const err = e as { name?: string; code?: string; message?: string };
  const message = (err?.message ?? String(e)).split('\n')[0];
  return { name: err?.name ?? 'Error', code: err?.code ?? err?.name ?? '', message };
}

/**
 * The SDK's failures that are the operator's setup, not EC2's answer, in the CLI's own words: the
 * cause, then the fix. Returns undefined for everything else (EC2's own errors keep their path
 * through describeAwsError). `operation` is the EC2 action that was being sent.
 */
export function explainAwsFailure(e: unknown, at: AwsFailureContext, operation: string): GuardError | undefined {
  if (isGuardError(e)) return undefined;
  const cause = causeOf(e);
  if (cause.name === 'CredentialsProviderError' || /Could not load credentials/i.test(cause.message)) {
    // A named profile is what failed: the fix is that profile, not "pass --profile NAME" to someone who did.
    const from = at.profileFrom ?? '--profile';
    const message = at.profile
      ? `no AWS credentials for ${operation} from profile '${at.profile}' (named by ${from}: ${cause.message}); check that '${at.profile}' is spelt as in ~/.aws/config or ~/.aws/credentials ('aws configure list-profiles' lists them), run 'aws sso login --profile ${at.profile}' if it is an SSO profile, or name an existing profile instead`
      : `no AWS credentials for ${operation} from the default credential chain (environment, ~/.aws, SSO, instance role) (${cause.message}); pass --profile NAME, set AWS_PROFILE, export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run 'aws sso login'`;
    return guardError('CREDENTIALS_MISSING', message, 'usage', at.profile ? { operation, profile: at.profile, profileFrom: from } : { operation });
  }
  if (UNREACHABLE.has(cause.code)) {
    const service = at.service ?? EC2_SERVICE;
    const endpoint = at.endpointUrl ?? `https://${service.host}.${at.region}.amazonaws.com`;
    const fix = at.endpointUrl
      ? `check that something serves ${service.name} there and that ${service.override} names it; drop the override to use AWS`
      : `check the network (proxy, VPN, firewall) and that --region '${at.region}' is right, or pass ${service.override.split(' ')[0]} to use another ${service.name} endpoint`;
    const note = service.note ? ` (${service.note})` : '';
    return guardError('ENDPOINT_UNREACHABLE', `cannot reach the ${service.name} endpoint ${endpoint} for ${operation} (${cause.message}); ${fix}${note}`, 'external', {
      endpoint,
      operation,
      cause: cause.code,
    });
  }
  return undefined;
}

/** A role that cannot be assumed, named with its cause (STS refused it, or STS was unreachable). */
export function assumeRoleFailed(e: unknown, roleArn: string): GuardError {
  const cause = causeOf(e);
  return guardError(
    'ASSUME_ROLE_FAILED',
    `cannot assume role ${roleArn} (${cause.name}: ${cause.message}); check that the role exists, that its trust policy allows your credentials (--profile) to assume it, and that STS is reachable`,
    'external',
    { roleArn, cause: cause.code || cause.name },
  );
}
