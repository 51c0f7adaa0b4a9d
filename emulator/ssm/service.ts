/*
 * SSM Parameter Store's behaviour for the calls cfguard makes: versions (1, 2, …, at most 100 kept),
 * `name:version` selectors, SecureString values returned only with WithDecryption, and SSM's own error
 * codes. Pure state; emulator.ts puts it behind the JSON 1.1 wire protocol.
 */

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface StoredVersion {
  readonly version: number;
  readonly value: string;
  readonly type: ParameterType;
  readonly lastModifiedDate: number;
}

export class SsmError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** SSM keeps the 100 newest versions of a parameter. */
export const MAX_VERSIONS_KEPT = 100;
const NAME = /^\/?[A-Za-z0-9_.\-/]{1,2048}$/;
/** Standard tier: values up to 4 KB. */
export const MAX_STANDARD_VALUE_BYTES = 4096;

export interface SsmCall {
  readonly action: string;
  readonly name?: string;
}

export class SsmService {
  readonly parameters = new Map<string, StoredVersion[]>();
  readonly calls: SsmCall[] = [];
  private clock = Date.UTC(2026, 0, 1) / 1000;

  handle(action: string, body: Record<string, unknown>): Record<string, unknown> {
    this.calls.push({ action, name: typeof body.Name === 'string' ? body.Name : undefined });
    switch (action) {
      case 'GetParameter':
        return this.getParameter(body);
      case 'PutParameter':
        return this.putParameter(body);
      case 'GetParameterHistory':
        return this.getParameterHistory(body);
      default:
        throw new SsmError('UnknownOperationException', `the emulator does not implement ${action}`);
    }
  }

  private getParameter(body: Record<string, unknown>): Record<string, unknown> {
    const selector = requiredString(body, 'Name');
    const [name, versionText] = splitSelector(selector);
    const versions = this.versionsOf(name);
    const stored = versionText === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === Number(versionText));
    if (!stored) throw new SsmError('ParameterVersionNotFound', `Systems Manager could not find version ${versionText} of ${name}. Verify the version and try again.`);
    const decrypt = body.WithDecryption === true;
    return {
      Parameter: {
        Name: name,
        Type: stored.type,
        Value: stored.type === 'SecureString' && !decrypt ? ciphertextOf(stored) : stored.value,
        Version: stored.version,
        Selector: versionText === undefined ? undefined : `:${versionText}`,
        LastModifiedDate: stored.lastModifiedDate,
        ARN: `arn:aws:ssm:eu-north-1:123456789012:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
      },
    };
  }

  private putParameter(body: Record<string, unknown>): Record<string, unknown> {
    const name = requiredString(body, 'Name');
    if (!NAME.test(name) || /^\/?(aws|ssm)/i.test(name))
      throw new SsmError('ValidationException', `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive), and must use only a-zA-Z0-9_.-/`);
    const value = requiredString(body, 'Value');
    if (Buffer.byteLength(value) > MAX_STANDARD_VALUE_BYTES)
      throw new SsmError('ValidationException', `Standard tier parameters support a maximum parameter value of ${MAX_STANDARD_VALUE_BYTES} characters.`);
    const existing = this.parameters.get(name);
    if (existing && body.Overwrite !== true) throw new SsmError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    const type = (body.Type as ParameterType | undefined) ?? existing?.[existing.length - 1].type;
    if (type !== 'String' && type !== 'StringList' && type !== 'SecureString')
      throw new SsmError('ValidationException', "1 validation error detected: Value at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
    const versions = existing ?? [];
    const version = (versions[versions.length - 1]?.version ?? 0) + 1;
    versions.push({ version, value, type, lastModifiedDate: this.clock++ });
    if (versions.length > MAX_VERSIONS_KEPT) versions.shift();
    this.parameters.set(name, versions);
    return { Version: version, Tier: 'Standard' };
  }

  private getParameterHistory(body: Record<string, unknown>): Record<string, unknown> {
    const name = requiredString(body, 'Name');
    const decrypt = body.WithDecryption === true;
    return {
      Parameters: this.versionsOf(name).map((v) => ({
        Name: name,
        Type: v.type,
        Version: v.version,
        Value: v.type === 'SecureString' && !decrypt ? ciphertextOf(v) : v.value,
        LastModifiedDate: v.lastModifiedDate,
      })),
    };
  }

  private versionsOf(name: string): StoredVersion[] {
    const versions = this.parameters.get(name);
    if (!versions) throw new SsmError('ParameterNotFound', `Parameter ${name} not found.`);
    return versions;
  }
}

function requiredString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.length === 0)
    throw new SsmError('ValidationException', `1 validation error detected: Value at '${key.toLowerCase()}' failed to satisfy constraint: Member must not be null`);
  return value;
}

/** `name:3` -> ['name', '3']; labels are not supported here (cfguard never uses them). */
function splitSelector(selector: string): [string, string | undefined] {
  const at = selector.lastIndexOf(':');
  if (at < 0) return [selector, undefined];
  const version = selector.slice(at + 1);
  if (!/^\d+$/.test(version)) throw new SsmError('ValidationException', `the emulator supports version selectors only, got '${selector}'`);
  return [selector.slice(0, at), version];
}

/** What SSM returns for a SecureString read without decryption: an opaque blob, never the plaintext. */
function ciphertextOf(v: StoredVersion): string {
  return Buffer.from(`emulated-kms-ciphertext:v${v.version}:${v.value.length}`).toString('base64');
}
