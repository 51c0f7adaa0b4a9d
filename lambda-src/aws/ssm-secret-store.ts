import type { SSMClient, SSMClientConfig } from '@aws-sdk/client-ssm';
import { guardError, isGuardError } from '../core/errors';
import { sdkClientConfig } from './client-config';
import { decodeOriginSecret, encodeOriginSecret, type OriginSecretValue } from '../config/origin-secret';

/*
 * The origin secret's parameter, read and written through the real SSM client (loaded lazily): the
 * AWS shell's SSM calls (cfguard verify-origin and rotate-origin-secret).
 * Values stay inside these objects: nothing here prints or logs them.
 */

export interface StoredSecret {
  readonly version: number;
  readonly value: OriginSecretValue;
}

export interface SecretStoreTarget {
  readonly region: string;
  /** A shared-config profile, when no `credentials` are given. */
  readonly profile?: string;
  /** The caller's credentials (the CLI's profile or role); otherwise the standard chain. */
  readonly credentials?: SSMClientConfig['credentials'];
  /** Names the caller in the SDK User-Agent (app/<id>), e.g. `cfguard-verify-origin`. */
  readonly userAgentAppId?: string;
  /** An SSM endpoint override; otherwise AWS_ENDPOINT_URL_SSM, otherwise AWS. */
  readonly endpointUrl?: string;
}

export class SecretStore {
  private constructor(
    private readonly ssm: SSMClient,
    readonly parameterName: string,
  ) {}

  /** `decorate` lets the CLI wrap the client (its explain-failures middleware) before the first call. */
  static async open(
    target: SecretStoreTarget,
    parameterName: string,
    io: { readonly env: Readonly<Record<string, string | undefined>> },
    decorate?: (ssm: SSMClient, endpoint: string | undefined) => void,
  ): Promise<SecretStore> {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    const endpoint = target.endpointUrl || io.env.AWS_ENDPOINT_URL_SSM || undefined;
    const credentials = target.credentials ?? (target.profile ? (await import('@aws-sdk/credential-providers')).fromIni({ profile: target.profile }) : undefined);
    const ssm = new SSMClient(sdkClientConfig({ region: target.region, endpoint, credentials, userAgentAppId: target.userAgentAppId }));
    decorate?.(ssm, endpoint);
    return new SecretStore(ssm, parameterName);
  }

  /** The newest version, or the given one. */
  async read(version?: number): Promise<StoredSecret> {
    const { GetParameterCommand } = await import('@aws-sdk/client-ssm');
    const selector = version === undefined ? this.parameterName : `${this.parameterName}:${version}`;
    const got = await this.ssm.send(new GetParameterCommand({ Name: selector, WithDecryption: true })).catch((e: unknown) => {
      throw this.ssmFailure(e, 'GetParameter', version);
    });
    const raw = got.Parameter?.Value ?? '';
    const value = decodeOriginSecret(raw);
    if (!value || got.Parameter?.Version === undefined) {
      throw guardError(
        'ORIGIN_SECRET_INVALID',
        `parameter '${selector}' must hold {"current":"<secret>","previous":"<secret>"} with secrets of 32-128 letters, digits, - or _, got a value of another shape (${raw.length} characters); write it again with 'cfguard rotate-origin-secret --apply'`,
        'usage',
        { parameter: this.parameterName, version },
      );
    }
    return { version: got.Parameter.Version, value };
  }

  /** Writes a new version; returns its number. */
  async write(value: OriginSecretValue): Promise<number> {
    const { PutParameterCommand } = await import('@aws-sdk/client-ssm');
    const put = await this.ssm.send(new PutParameterCommand({ Name: this.parameterName, Value: encodeOriginSecret(value), Type: 'SecureString', Overwrite: true })).catch((e: unknown) => {
      throw this.ssmFailure(e, 'PutParameter');
    });
    return put.Version ?? 0;
  }

  close(): void {
    this.ssm.destroy();
  }

  private ssmFailure(e: unknown, call: string, version?: number) {
    if (isGuardError(e)) return e; // already in the CLI's words (its decorate hook: credentials, endpoint)
    const name = (e as Error).name;
    if (name === 'ParameterNotFound' || name === 'ParameterVersionNotFound') {
      const what = version === undefined ? `parameter '${this.parameterName}'` : `version ${version} of parameter '${this.parameterName}'`;
      return guardError(
        'ORIGIN_SECRET_INVALID',
        `${what} does not exist (${name}); deploy the stack first (it writes version 1), or set originSecret.secretVersion / --secret-version to a version that exists`,
        'usage',
        { parameter: this.parameterName, version },
      );
    }
    return guardError('SSM_ERROR', `SSM ${call} on '${this.parameterName}' failed: ${name}: ${(e as Error).message}`, 'external', { parameter: this.parameterName, call, awsCode: name });
  }
}
