/*
 * The secret origin header's contract, shared by the construct (what CloudFront sends), the CLI
 * (`verify-origin`, `rotate-origin-secret`) and the origin's refresh script (README): one SSM
 * SecureString whose value is `{"current":"…","previous":"…"}`. CloudFront sends `current` of the
 * parameter version the config's `secretVersion` names; the origin accepts `current` and `previous`.
 * No cdktf, no SDK here.
 */

export const ORIGIN_SECRET_MODES = ['off', 'on', 'required'] as const;
export type OriginSecretMode = (typeof ORIGIN_SECRET_MODES)[number];
/** `plain`: `<headerName>: <secret>`; `bearer`: `Authorization: Bearer <secret>` (MediaMTX's `hlsCDNSecret`). */
export type OriginSecretHeaderShape = 'plain' | 'bearer';

export const DEFAULT_ORIGIN_SECRET_MODE: OriginSecretMode = 'on';
export const DEFAULT_ORIGIN_SECRET_HEADER = 'X-Origin-Verify';
export const BEARER_HEADER = 'Authorization';
/** RFC 7230 token characters; CloudFront refuses some names (Host, X-Amz-*, …), checked separately. */
export const HEADER_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
/** Header names CloudFront will not add to origin requests (its documented deny list; X-Amz-* and X-Edge-* too). */
export const FORBIDDEN_ORIGIN_HEADERS = [
  'cache-control',
  'connection',
  'content-length',
  'cookie',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'max-forwards',
  'pragma',
  'proxy-authorization',
  'proxy-connection',
  'range',
  'request-range',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
  'x-cache',
  'x-forwarded-proto',
  'x-real-ip',
];
/** Secrets the CLI writes: 43 base64url characters (256 random bits); the first deploy writes 64 hex characters. */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;

/** The parameter's value. `previous` equals `current` outside a rotation. */
export interface OriginSecretValue {
  readonly current: string;
  readonly previous: string;
}

/** The SSM parameter name a stack uses unless the config names one. */
export function defaultOriginSecretParameterName(stackName: string): string {
  return `/cfguard/${stackName}/origin-secret`;
}

/** The header CloudFront sends, for a secret and a shape. */
export function originSecretHeader(shape: OriginSecretHeaderShape, headerName: string, secret: string): { name: string; value: string } {
  return shape === 'bearer' ? { name: BEARER_HEADER, value: `Bearer ${secret}` } : { name: headerName, value: secret };
}

export function encodeOriginSecret(value: OriginSecretValue): string {
  return JSON.stringify({ current: value.current, previous: value.previous });
}

/** Parses the parameter's value; undefined when it is not the documented shape (the caller names the parameter). */
export function decodeOriginSecret(raw: string): OriginSecretValue | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { current, previous } = parsed as Record<string, unknown>;
  if (typeof current !== 'string' || !SECRET_PATTERN.test(current)) return undefined;
  if (typeof previous !== 'string' || (previous !== '' && !SECRET_PATTERN.test(previous))) return undefined;
  return { current, previous: previous === '' ? current : previous };
}
