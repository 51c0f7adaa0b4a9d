import { guardError } from './errors';
import type { AddressFamily } from './model';

/**
 * The broadest prefix the guard accepts per family. CloudFront's broadest published ranges are
 * /14 (IPv4) and /36 (IPv6); anything near /0 means the document is wrong, not that CloudFront grew.
 */
export const MIN_PREFIX_LENGTH: Readonly<Record<AddressFamily, number>> = { ipv4: 8, ipv6: 20 };

export interface Cidr {
  readonly family: AddressFamily;
  /** Canonical text: host bits cleared, IPv6 lower-case and compressed (RFC 5952). */
  readonly text: string;
  readonly prefixLength: number;
}

function parseIpv4(addr: string): number[] | undefined {
  const parts = addr.split('.');
  if (parts.length !== 4) return undefined;
  // Strict decimal: '010' is octal to inet_aton and decimal to Number, so a leading zero is refused outright.
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

function parseIpv6(addr: string): number[] | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(addr) || addr.split('::').length > 2) return undefined;
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const words = [...headParts, ...Array(tail === undefined ? 0 : missing).fill('0'), ...tailParts];
  if (words.some((w) => !/^[0-9a-fA-F]{1,4}$/.test(w))) return undefined;
  return words.map((w) => parseInt(w, 16));
}

function maskUnits(units: number[], unitBits: number, prefixLength: number): number[] {
  return units.map((u, i) => {
    const keep = Math.max(0, Math.min(unitBits, prefixLength - i * unitBits));
    const mask = keep === 0 ? 0 : ((2 ** unitBits - 1) >>> (unitBits - keep)) << (unitBits - keep);
    return u & mask;
  });
}

function formatIpv6(words: number[]): string {
  // RFC 5952: compress the longest run (>= 2) of zero words, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** A fixed-width hex key of a canonical CIDR's address, so string order is numeric order (IPv4 8 digits, IPv6 32). */
export function addressKey(canonical: string, family: AddressFamily): string {
  const address = canonical.slice(0, canonical.indexOf('/'));
  const units = (family === 'ipv4' ? parseIpv4(address) : parseIpv6(address)) ?? [];
  return units.map((u) => u.toString(16).padStart(family === 'ipv4' ? 2 : 4, '0')).join('');
}

/** Parses any CIDR, or returns undefined; never throws. */
export function tryParseCidr(input: string): Cidr | undefined {
  const m = /^([^/]+)\/(0|[1-9]\d{0,2})$/.exec(input.trim());
  if (!m) return undefined;
  const prefixLength = Number(m[2]);
  const v4 = parseIpv4(m[1]);
  if (v4) {
    if (prefixLength > 32) return undefined;
    return { family: 'ipv4', prefixLength, text: `${maskUnits(v4, 8, prefixLength).join('.')}/${prefixLength}` };
  }
  const v6 = parseIpv6(m[1]);
  if (v6) {
    if (prefixLength > 128) return undefined;
    const network = maskUnits(v6, 16, prefixLength);
    // A range inside ::ffff:0:0/96 (IPv4-mapped) is IPv4 in disguise; EC2 would open it as an IPv6 rule.
    // A broader range (say ::/0, however its address was spelt) holds real IPv6 addresses and is IPv6.
    if (prefixLength >= 96 && network.slice(0, 5).every((w) => w === 0) && network[5] === 0xffff) return undefined;
    return { family: 'ipv6', prefixLength, text: `${formatIpv6(network)}/${prefixLength}` };
  }
  return undefined;
}

/**
 * Canonicalizes a published range, refusing invalid and absurdly broad ones. With `family`, the
 * range must be of that family: `prefixes[].ip_prefix` holds IPv4 only, `ipv6_prefixes[].ipv6_prefix`
 * IPv6 only, so a misplaced range cannot be opened while IPV6=false.
 */
export function canonicalCidr(input: string, family?: AddressFamily): Cidr {
  const cidr = tryParseCidr(input);
  const field = family === 'ipv6' ? 'ipv6_prefix' : 'ip_prefix';
  const wanted = family === undefined ? 'IPv4 or IPv6' : family === 'ipv4' ? 'IPv4' : 'IPv6 (not IPv4-mapped)';
  if (!cidr || (family !== undefined && cidr.family !== family)) {
    throw guardError('CIDR_INVALID', `'${field}' must be a valid ${wanted} CIDR with decimal octets, got '${input}'; the document is refused whole`, 'external', {
      cidr: input,
      ...(family ? { family } : {}),
    });
  }
  const min = MIN_PREFIX_LENGTH[cidr.family];
  if (cidr.prefixLength < min) {
    throw guardError(
      'CIDR_TOO_BROAD',
      `range '${input}' is broader than /${min}, the broadest ${cidr.family} prefix the guard accepts (MIN_PREFIX_LENGTH.${cidr.family}); the document is refused whole`,
      'external',
      { cidr: input, minPrefixLength: min },
    );
  }
  return cidr;
}

/** The address family of a rule source: CIDRs by their syntax, anything else (sg-, pl-) counts as IPv4. */
export function sourceFamily(source: string): AddressFamily {
  return source.includes(':') ? 'ipv6' : 'ipv4';
}

/** True when `inner` lies inside `outer`: same family, and `inner`'s address cut to `outer`'s prefix is `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr | undefined): boolean {
  if (!outer || outer.family !== inner.family || outer.prefixLength > inner.prefixLength) return false;
  return tryParseCidr(`${inner.text.split('/')[0]}/${outer.prefixLength}`)?.text === outer.text;
}
