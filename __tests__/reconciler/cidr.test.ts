import fc from 'fast-check';
import { canonicalCidr, cidrWithin, MIN_PREFIX_LENGTH, sourceFamily, tryParseCidr } from '../../lambda-src/core/cidr';
import { caught } from '../support/caught';

describe('tryParseCidr canonicalizes', () => {
  test.each([
    ['13.32.0.0/15', '13.32.0.0/15', 'ipv4'],
    ['13.32.1.7/15', '13.32.0.0/15', 'ipv4'],
    ['192.0.2.255/24', '192.0.2.0/24', 'ipv4'],
    ['192.0.2.129/25', '192.0.2.128/25', 'ipv4'],
    ['10.1.2.3/32', '10.1.2.3/32', 'ipv4'],
    ['10.1.2.3/0', '0.0.0.0/0', 'ipv4'],
    ['  52.84.0.0/15 ', '52.84.0.0/15', 'ipv4'],
    ['2600:9000:1000::/36', '2600:9000:1000::/36', 'ipv6'],
    ['2600:9000:1FFF::/36', '2600:9000:1000::/36', 'ipv6'],
    ['2600:9000:0000:0000:0000:0000:0000:0000/28', '2600:9000::/28', 'ipv6'],
    ['2600:0009:0:0:1:0:0:0/80', '2600:9:0:0:1::/80', 'ipv6'],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128', 'ipv6'],
    ['2001:db8:0:1:1:1:1:1/128', '2001:db8:0:1:1:1:1:1/128', 'ipv6'],
    ['0:0:1:0:0:1:0:0/128', '::1:0:0:1:0:0/128', 'ipv6'],
    ['1:2:3:4:5:6:7::/128', '1:2:3:4:5:6:7:0/128', 'ipv6'],
    ['::/0', '::/0', 'ipv6'],
    ['::1/128', '::1/128', 'ipv6'],
    ['FE80::ABCD/64', 'fe80::/64', 'ipv6'],
  ])('GIVEN %s THEN it becomes %s (%s)', (input, text, family) => {
    expect(tryParseCidr(input)).toEqual({ text, family, prefixLength: Number(text.split('/')[1]) });
  });
});

describe('tryParseCidr refuses what is not a CIDR', () => {
  test.each([
    '',
    '13.32.0.0',
    '13.32.0.0/',
    '13.32.0.0/33',
    '256.1.1.1/24',
    '1.2.3/24',
    '1.2.3.4.5/24',
    '1.2.3.-4/24',
    '1.2.3.4/2x',
    'a.b.c.d/8',
    '2600:9000::/129',
    '2600:9000::1::/64',
    '2600:9000:1:2:3:4:5:6:7/64',
    '2600:9000:1:2:3:4:5/64',
    '2600:90000::/32',
    '2600:g000::/32',
    ':2600::/32',
    '::ffff:1.2.3.4/128',
    '2600:9000::/36/1',
  ])('GIVEN %j THEN it is undefined', (input) => {
    expect(tryParseCidr(input)).toBeUndefined();
  });
});

describe('canonicalCidr guards the document', () => {
  test('WHEN a range is not a CIDR THEN CIDR_INVALID names it', () => {
    const e = caught(() => canonicalCidr('13.32.0/15'));
    expect(e.code).toBe('CIDR_INVALID');
    expect(e.message).toContain("'13.32.0/15'");
  });

  test.each([
    ['0.0.0.0/0', 'ipv4'],
    ['10.0.0.0/7', 'ipv4'],
    ['::/0', 'ipv6'],
    ['2600::/19', 'ipv6'],
  ])('WHEN %s is published THEN CIDR_TOO_BROAD names the limit', (input, family) => {
    const e = caught(() => canonicalCidr(input));
    expect(e.code).toBe('CIDR_TOO_BROAD');
    expect(e.message).toContain(`/${MIN_PREFIX_LENGTH[family as 'ipv4' | 'ipv6']}`);
  });

  test('WHEN a range sits exactly at the broadest accepted prefix THEN it is accepted', () => {
    expect(canonicalCidr('10.1.0.0/8').text).toBe('10.0.0.0/8');
    expect(canonicalCidr('2600:9fff::/20').text).toBe('2600:9000::/20');
  });

  test('sourceFamily tells families apart by syntax', () => {
    expect(sourceFamily('2600:9000::/28')).toBe('ipv6');
    expect(sourceFamily('13.32.0.0/15')).toBe('ipv4');
    expect(sourceFamily('sg-0123abcd')).toBe('ipv4');
  });
});

// Oracles written independently of cidr.ts: integer masking, and WHATWG's IPv6 serializer (RFC 5952 compression).
const byte = fc.integer({ min: 0, max: 255 });
const word = fc.integer({ min: 0, max: 0xffff });
const anyV4 = fc.record({ bytes: fc.tuple(byte, byte, byte, byte), len: fc.integer({ min: 0, max: 32 }) });
const anyV6 = fc.record({
  words: fc.array(word, { minLength: 8, maxLength: 8 }),
  len: fc.integer({ min: 0, max: 128 }),
  upper: fc.boolean(),
  padded: fc.boolean(),
  compressed: fc.boolean(),
  // Zero runs make compression interesting; bias towards them.
  zeroMask: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
});

function maskedV4(bytes: number[], len: number): string {
  const value = bytes.reduce((acc, b) => acc * 256 + b, 0);
  const masked = len === 0 ? 0 : value - (value % 2 ** (32 - len));
  return [24, 16, 8, 0].map((shift) => Math.floor(masked / 2 ** shift) % 256).join('.');
}

function maskedV6(words: number[], len: number): string {
  const value = words.reduce((acc, w) => (acc << BigInt(16)) + BigInt(w), BigInt(0));
  const hostBits = BigInt(128 - len);
  const masked = (value >> hostBits) << hostBits;
  const out: string[] = [];
  for (let i = 7; i >= 0; i--) out.push(((masked >> BigInt(16 * i)) & BigInt(0xffff)).toString(16));
  return new URL(`http://[${out.join(':')}]/`).hostname.slice(1, -1);
}

describe('cidr properties', () => {
  test('every IPv4 CIDR parses to its masked address, and canonical text is a fixed point', () => {
    fc.assert(
      fc.property(anyV4, ({ bytes, len }) => {
        const parsed = tryParseCidr(`${bytes.join('.')}/${len}`);
        expect(parsed).toEqual({ family: 'ipv4', prefixLength: len, text: `${maskedV4(bytes, len)}/${len}` });
        expect(tryParseCidr(parsed!.text)!.text).toBe(parsed!.text);
      }),
      { numRuns: 500 },
    );
  });

  test('every IPv6 CIDR, in any spelling, parses to the RFC 5952 text of its masked address, and that text is a fixed point', () => {
    fc.assert(
      fc.property(anyV6, ({ words, len, upper, padded, compressed, zeroMask }) => {
        const ws = words.map((w, i) => (zeroMask[i] ? 0 : w));
        let spelled = compressed ? maskedV6(ws, 128) : ws.map((w) => (padded ? w.toString(16).padStart(4, '0') : w.toString(16))).join(':');
        if (upper) spelled = spelled.toUpperCase();
        const parsed = tryParseCidr(`${spelled}/${len}`);
        const network = maskedV6(ws, len);
        // Decided from the words, not the text: `::ffff:0:0:0` (ffff in the fifth word) is not IPv4-mapped.
        if (len >= 96 && ws.slice(0, 5).every((w) => w === 0) && ws[5] === 0xffff) {
          // Inside ::ffff:0:0/96: IPv4-mapped, refused (an IPv4 range in disguise).
          expect(parsed).toBeUndefined();
          return;
        }
        expect(parsed).toEqual({ family: 'ipv6', prefixLength: len, text: `${network}/${len}` });
        expect(tryParseCidr(parsed!.text)!.text).toBe(parsed!.text);
      }),
      { numRuns: 500 },
    );
  });

  test.each([
    ['::ffff:0:0/0', '::/0'],
    ['0:0:0:0:0:ffff:0:0/80', '::/80'],
  ])('GIVEN %s, broader than the IPv4-mapped block THEN it is the IPv6 range %s', (input, text) => {
    expect(tryParseCidr(input)).toEqual({ family: 'ipv6', prefixLength: Number(text.split('/')[1]), text });
  });

  test.each(['::ffff:0:0/96', '::ffff:1.2.3.4/128', '::ffff:a00:0/104'])('GIVEN %s, inside ::ffff:0:0/96 THEN it is refused as IPv4-mapped', (input) => {
    expect(tryParseCidr(input)).toBeUndefined();
  });

  test('canonicalCidr(canonicalCidr(x)) == canonicalCidr(x) for every accepted range', () => {
    const accepted = fc.oneof(
      anyV4.filter(({ len }) => len >= MIN_PREFIX_LENGTH.ipv4).map(({ bytes, len }) => `${bytes.join('.')}/${len}`),
      anyV6.filter(({ len }) => len >= MIN_PREFIX_LENGTH.ipv6).map(({ words, len }) => `${words.map((w) => w.toString(16)).join(':')}/${len}`),
    );
    fc.assert(
      fc.property(accepted, (input) => {
        const once = canonicalCidr(input);
        expect(canonicalCidr(once.text)).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('cidrWithin: a CloudFront subset is recognized as CloudFront', () => {
  const c = (text: string) => tryParseCidr(text)!;
  test.each([
    ['130.176.1.0/24', '130.176.0.0/18', true],
    ['130.176.0.0/18', '130.176.0.0/18', true],
    ['130.176.64.0/24', '130.176.0.0/18', false],
    ['130.176.0.0/16', '130.176.0.0/18', false],
    ['2600:9000:2000::/48', '2600:9000::/28', true],
    ['2600:9010::/48', '2600:9000::/28', false],
    ['::/0', '0.0.0.0/0', false],
  ])('%s inside %s: %s', (inner, outer, inside) => {
    expect(cidrWithin(c(inner), c(outer))).toBe(inside);
  });

  test('an unparsable outer range holds nothing', () => {
    expect(cidrWithin(c('130.176.1.0/24'), tryParseCidr('pl-0123abcd'))).toBe(false);
  });
});
