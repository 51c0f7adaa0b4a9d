import { decode, encode, ExtensionCodec } from '@msgpack/msgpack';

/**
 * Terraform's values on the wire: cty's msgpack encoding (hashicorp/terraform
 * docs/plugin-protocol/object-wire-format.md). Objects are maps, lists/sets arrays, null is nil;
 * an unknown value is msgpack extension 0 (bytes `d4 00 00`), and extension 12 is an unknown
 * carrying refinements (e.g. "not null"). Both are kept as an `Unknown`, re-encoded unchanged.
 */
export class Unknown {
  constructor(
    readonly extType: number,
    readonly data: Uint8Array,
  ) {}
}

/** A fresh, unrefined unknown value. */
export const unknown = (): Unknown => new Unknown(0, Uint8Array.of(0));

const UNKNOWN_EXT_TYPES = [0, 12];
const codec = new ExtensionCodec();
for (const type of UNKNOWN_EXT_TYPES) {
  codec.register({
    type,
    encode: (value: unknown) => (value instanceof Unknown && value.extType === type ? value.data : null),
    decode: (data: Uint8Array) => new Unknown(type, Uint8Array.from(data)),
  });
}

export type CtyValue = null | string | number | boolean | Unknown | Uint8Array | CtyValue[] | { [key: string]: CtyValue };

export function decodeCty(bytes: Uint8Array | undefined): CtyValue {
  if (!bytes || bytes.length === 0) return null;
  return decode(bytes, { extensionCodec: codec }) as CtyValue;
}

export function encodeCty(value: CtyValue): Buffer {
  return Buffer.from(encode(value, { extensionCodec: codec }));
}
