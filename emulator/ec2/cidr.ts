/**
 * EC2's syntactic CIDR checks. Deliberately independent of the product's own CIDR code, so a bug
 * there cannot hide behind the emulator. CIDRs are stored as given; the product canonicalises.
 */

export function isIpv4Cidr(text: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  return !!m && m.slice(1, 5).every((b) => Number(b) <= 255) && Number(m[5]) <= 32;
}

export function isIpv6Cidr(text: string): boolean {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text);
  if (!m || Number(m[2]) > 128) return false;
  const halves = m[1].split('::');
  if (halves.length > 2) return false;
  const words = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (words.some((w) => !/^[0-9a-fA-F]{1,4}$/.test(w))) return false;
  return halves.length === 2 ? words.length <= 7 : words.length === 8;
}
