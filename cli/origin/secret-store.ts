import type { SSMClient } from '@aws-sdk/client-ssm';
import { guardError } from '../../lambda-src/core/errors';
import { decodeOriginSecret, encodeOriginSecret, type OriginSecretValue } from '../../lambda-src/config/origin-secret';
import type { CliIo } from '../output';
import { commandUserAgentAppId, credentialsFor } from '../aws';

/*
 * The origin secret's parameter, read and written through the real SSM client (loaded lazily).
 * Values stay inside these objects: nothing here prints or logs them.
 */

export interface StoredSecret {
  readonly version: number;
  readonly value: OriginSecretValue;
}

export interface SecretStoreTarget {
  readonly region: string;
  readonly profile?: string;
  /** An SSM endpoint override; otherwise AWS_ENDPOINT_URL_SSM, otherwise AWS. */
  readonly endpointUrl?: string;
}

export class SecretStore {
  private constructor(
    private readonly ssm: SSMClient,
    readonly parameterName: string,
  ) {}

  static async open(target: SecretStoreTarget, parameterName: string, io: Pick<CliIo, 'env'>): Promise<SecretStore> {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    const endpoint = target.endpointUrl || io.env.AWS_ENDPOINT_URL_SSM || undefined;
    // The same credentials and User-Agent (app/cfguard-<command>) as the CLI's EC2 client.
    const credentials = await credentialsFor({ region: target.region, profile: target.profile });
    const userAgentAppId = commandUserAgentAppId();
    const ssm = new SSMClient({
      region: target.region,
      maxAttempts: 5,
      retryMode: 'standard',
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      ...(userAgentAppId ? { userAgentAppId } : {}),
    });
    return new SecretStore(ssm, parameterName);
  }

  /** The newest version, or the given one. */
  async read(version?: number): Promise<StoredSecret> {
    const { GetParameterCommand } = await import('@aws-sdk/client-ssm');
    const selector = version === undefined ? this.parameterName : `${this.parameterName}:${version}`;
    let got;
    try {
      got = await this.ssm.send(new GetParameterCommand({ Name: selector, WithDecryption: true }));
    } catch (e) {
      throw this.ssmFailure(e, 'GetParameter', version);
    }
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
    try {
      const put = await this.ssm.send(new PutParameterCommand({ Name: this.parameterName, Value: encodeOriginSecret(value), Type: 'SecureString', Overwrite: true }));
      return put.Version ?? 0;
    } catch (e) {
      throw this.ssmFailure(e, 'PutParameter');
    }
  }

  close(): void {
    this.ssm.destroy();
  }

  private ssmFailure(e: unknown, call: string, version?: number) {
    const name = (e as Error).name;
    if (name === 'ParameterNotFound' || name === 'ParameterVersionNotFound') {
      const what = version === undefined ? `parameter '${this.parameterName}'` : `version ${version} of parameter '${this.parameterName}'`;
      return guardError('ORIGIN_SECRET_INVALID', `${what} does not exist (${name}); deploy the stack first (it writes version 1), or set originSecret.secretVersion / --secret-version to a version that exists`, 'usage', { parameter: this.parameterName, version });
    }
    return guardError('SSM_ERROR', `SSM ${call} on '${this.parameterName}' failed: ${name}: ${(e as Error).message}`, 'external', { parameter: this.parameterName, call, awsCode: name });
  }
}
