import { readFileSync } from 'fs';
import path from 'path';
import { tryParseCidr } from '../../lambda-src/core/cidr';
import { md5Hex, readIpRangesFile } from '../../lambda-src/aws/ip-ranges-fetch';
import { desiredStateFor, parseIpRangesDocument, selectRanges, type IpRangesDocument } from '../../lambda-src/core/ip-ranges';
import { parsePorts } from '../../lambda-src/core/rules';
import { caught } from '../support/caught';

import { RANGES_DIR, rangesPath } from '../../emulator/shared-data';

interface ManifestVersion {
  file: string;
  syncToken: string;
  createDate: string;
  md5: string;
  bytes: number;
  CLOUDFRONT: { v4: number; v6: number };
  CLOUDFRONT_ORIGIN_FACING: { v4: number; v6: number };
}
const MANIFEST: { versions: ManifestVersion[] } = JSON.parse(readFileSync(path.join(RANGES_DIR, 'MANIFEST.json'), 'utf8'));

/** Builder: a document with only the given ranges; `service` defaults to CLOUDFRONT_ORIGIN_FACING. */
function doc(opts: { v4?: Array<string | [string, string]>; v6?: Array<string | [string, string]>; syncToken?: string } = {}): IpRangesDocument {
  const entry = (x: string | [string, string]) => (typeof x === 'string' ? [x, 'CLOUDFRONT_ORIGIN_FACING'] : x);
  return {
    syncToken: opts.syncToken ?? '1787411825',
    createDate: '2026-08-22-15-17-05',
    prefixes: (opts.v4 ?? []).map(entry).map(([ip_prefix, service]) => ({ ip_prefix, service, region: 'GLOBAL', network_border_group: 'GLOBAL' })),
    ipv6_prefixes: (opts.v6 ?? []).map(entry).map(([ipv6_prefix, service]) => ({ ipv6_prefix, service, region: 'GLOBAL', network_border_group: 'GLOBAL' })),
  };
}

describe('every real ip-ranges.json version vendored in __tests__/fixtures/reference', () => {
  // True sizes of the de-duplicated union of both services, per version (found by hand, then pinned):
  // CLOUDFRONT_ORIGIN_FACING's IPv6 ranges are all also CLOUDFRONT's, and 11-12 IPv4 ranges are shared.
  const UNION = [
    [243, 33],
    [243, 36],
    [243, 32],
    [244, 32],
    [243, 32],
    [245, 32],
    [245, 32],
    [245, 32],
  ];

  test('the manifest lists the eight versions oldest first', () => {
    expect(MANIFEST.versions.map((v) => v.syncToken)).toEqual([...MANIFEST.versions.map((v) => v.syncToken)].sort());
    expect(MANIFEST.versions).toHaveLength(UNION.length);
  });

  describe.each(MANIFEST.versions.map((v, i) => [v.file, v, UNION[i]] as const))('%s', (file, version, union) => {
    const bytes = readFileSync(rangesPath(file));
    const document = parseIpRangesDocument(bytes);

    test('md5Hex of the exact bytes matches the manifest', () => {
      expect(md5Hex(bytes)).toBe(version.md5);
      expect(bytes.byteLength).toBe(version.bytes);
    });

    test('it parses, with the manifest syncToken and createDate', () => {
      expect(document.syncToken).toBe(version.syncToken);
      expect(document.createDate).toBe(version.createDate);
    });

    test.each(['CLOUDFRONT', 'CLOUDFRONT_ORIGIN_FACING'] as const)('%s alone yields the manifest counts, which de-duplication leaves unchanged', (service) => {
      const selected = selectRanges(document, { services: [service], ipv6: true });
      expect(selected.counts).toEqual({ [service]: version[service] });
      expect(selected.ipv4).toHaveLength(version[service].v4);
      expect(selected.ipv6).toHaveLength(version[service].v6);
    });

    test('both services together are de-duplicated to the true union', () => {
      const selected = selectRanges(document, { services: ['CLOUDFRONT', 'CLOUDFRONT_ORIGIN_FACING'], ipv6: true });
      expect(selected.counts).toEqual({ CLOUDFRONT: version.CLOUDFRONT, CLOUDFRONT_ORIGIN_FACING: version.CLOUDFRONT_ORIGIN_FACING });
      expect([selected.ipv4.length, selected.ipv6.length]).toEqual(union);
      expect(selected.ipv4.length).toBeLessThan(version.CLOUDFRONT.v4 + version.CLOUDFRONT_ORIGIN_FACING.v4);
    });

    test('the selected ranges are canonical and IPv6 is left out unless asked for', () => {
      const selected = selectRanges(document, { services: ['CLOUDFRONT'], ipv6: false });
      expect(selected.ipv6).toEqual([]);
      expect(selected.counts.CLOUDFRONT.v6).toBe(version.CLOUDFRONT.v6);
      for (const cidr of selected.ipv4) expect(tryParseCidr(cidr)).toMatchObject({ family: 'ipv4', text: cidr });
    });

    test('readIpRangesFile loads it and verifies the md5', async () => {
      const loaded = await readIpRangesFile(rangesPath(file), version.md5.toUpperCase());
      expect(loaded).toMatchObject({ md5: version.md5, bytes: version.bytes, source: rangesPath(file) });
      expect(loaded.document.syncToken).toBe(version.syncToken);
    });
  });
});

describe('parseIpRangesDocument refuses a wrong shape whole', () => {
  const good = { syncToken: '1787411825', createDate: '2026-08-22-15-17-05', prefixes: [], ipv6_prefixes: [] };
  const v4 = { ip_prefix: '13.32.0.0/15', region: 'GLOBAL', service: 'CLOUDFRONT' };
  const v6 = { ipv6_prefix: '2600:9000::/28', region: 'GLOBAL', service: 'CLOUDFRONT' };
  test.each([
    ['a top-level array', [], '(document)'],
    ['null', null, '(document)'],
    ['syncToken missing', { ...good, syncToken: undefined }, 'syncToken'],
    ['syncToken a number', { ...good, syncToken: 1787411825 }, 'syncToken'],
    ['syncToken not digits', { ...good, syncToken: '17874x1825' }, 'syncToken'],
    ['createDate missing', { ...good, createDate: undefined }, 'createDate'],
    ['createDate empty', { ...good, createDate: '' }, 'createDate'],
    ['prefixes missing', { ...good, prefixes: undefined }, 'prefixes'],
    ['prefixes an object', { ...good, prefixes: { 0: v4 } }, 'prefixes'],
    ['ipv6_prefixes missing', { ...good, ipv6_prefixes: undefined }, 'ipv6_prefixes'],
    ['an entry null', { ...good, prefixes: [v4, null] }, 'prefixes[1]'],
    ['ip_prefix a number', { ...good, prefixes: [{ ...v4, ip_prefix: 218103808 }] }, 'prefixes[0].ip_prefix'],
    ['service missing', { ...good, prefixes: [{ ...v4, service: undefined }] }, 'prefixes[0].service'],
    ['region missing', { ...good, ipv6_prefixes: [{ ...v6, region: undefined }] }, 'ipv6_prefixes[0].region'],
    ['network_border_group a number', { ...good, prefixes: [{ ...v4, network_border_group: 1 }] }, 'prefixes[0].network_border_group'],
    ['an IPv6 entry keyed ip_prefix', { ...good, ipv6_prefixes: [v4] }, 'ipv6_prefixes[0].ipv6_prefix'],
  ])('GIVEN %s THEN DOCUMENT_INVALID names %s', (_name, value, field) => {
    const e = caught(() => parseIpRangesDocument(JSON.stringify(value), 'test.json'));
    expect(e.code).toBe('DOCUMENT_INVALID');
    expect(e.kind).toBe('external');
    expect(e.message).toContain(`'${field}' must be`);
    expect(e.message).toContain('test.json');
    expect(e.details).toMatchObject({ path: field });
  });

  test.each(['', '{', '<html>503</html>', '{"syncToken":"1"'])('GIVEN bytes %j that are not JSON THEN DOCUMENT_INVALID says so', (text) => {
    const e = caught(() => parseIpRangesDocument(Buffer.from(text), 'http://127.0.0.1/x.json'));
    expect(e.code).toBe('DOCUMENT_INVALID');
    expect(e.message).toContain('from http://127.0.0.1/x.json must be valid JSON');
  });

  test('GIVEN extra fields AWS may add THEN they are ignored', () => {
    const text = JSON.stringify({ ...good, prefixes: [{ ...v4, extra: true }], newTopLevel: 1 });
    expect(parseIpRangesDocument(text).prefixes).toHaveLength(1);
  });
});

describe('selectRanges', () => {
  test('canonicalizes, de-duplicates across services and sorts IPv4 numerically', () => {
    const selected = selectRanges(doc({ v4: [['10.0.0.0/16', 'CLOUDFRONT'], '9.9.0.0/16', ['10.0.0.7/8', 'CLOUDFRONT'], '10.0.0.0/16', '192.0.2.77/24', ['192.0.2.0/24', 'AMAZON']] }), {
      services: ['CLOUDFRONT', 'CLOUDFRONT_ORIGIN_FACING'],
      ipv6: false,
    });
    expect(selected.ipv4).toEqual(['9.9.0.0/16', '10.0.0.0/8', '10.0.0.0/16', '192.0.2.0/24']);
    expect(selected.counts).toEqual({ CLOUDFRONT: { v4: 2, v6: 0 }, CLOUDFRONT_ORIGIN_FACING: { v4: 3, v6: 0 } });
  });

  test('sorts IPv6 by address, compresses and lower-cases it, when IPv6 is on', () => {
    const selected = selectRanges(doc({ v6: ['2600:9000:5200::/40', 'ABCD::/32', '2600:9000:1000:0:0:0:0:0/36', '2600:9000:1000::/36', '2600:9000:1000::/40'] }), {
      services: ['CLOUDFRONT_ORIGIN_FACING'],
      ipv6: true,
    });
    expect(selected.ipv6).toEqual(['2600:9000:1000::/36', '2600:9000:1000::/40', '2600:9000:5200::/40', 'abcd::/32']);
    expect(selected.counts.CLOUDFRONT_ORIGIN_FACING).toEqual({ v4: 0, v6: 5 });
  });

  test('leaves services that were not selected alone, even when their ranges are bad', () => {
    const selected = selectRanges(doc({ v4: ['13.32.0.0/15', ['not-a-cidr', 'EC2'], ['0.0.0.0/0', 'AMAZON']] }), { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: false });
    expect(selected.ipv4).toEqual(['13.32.0.0/15']);
  });

  test.each([
    ['an invalid IPv4 range', { v4: ['13.32.0.0/15', '13.32.0.300/32'] }, false, 'CIDR_INVALID', '13.32.0.300/32'],
    ['an invalid IPv6 range', { v6: ['2600:9000::1::/64'] }, true, 'CIDR_INVALID', '2600:9000::1::/64'],
    ['0.0.0.0/0', { v4: ['13.32.0.0/15', '0.0.0.0/0'] }, false, 'CIDR_TOO_BROAD', '0.0.0.0/0'],
    ['::/0', { v4: ['13.32.0.0/15'], v6: ['::/0'] }, true, 'CIDR_TOO_BROAD', '::/0'],
  ])('GIVEN %s in a selected service THEN %s refuses the document', (_name, ranges, ipv6, code, cidr) => {
    const e = caught(() => selectRanges(doc(ranges), { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6 }));
    expect(e.code).toBe(code);
    expect(e.message).toContain(cidr);
  });

  test('GIVEN ::/0 while IPv6 is off THEN it is not opened, so it does not refuse the document', () => {
    expect(selectRanges(doc({ v4: ['13.32.0.0/15'], v6: ['::/0'] }), { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: false }).ipv4).toEqual(['13.32.0.0/15']);
  });
});

describe('desiredStateFor', () => {
  const ports = parsePorts('80/tcp,443/tcp');

  test('is every selected range on every port, carrying the syncToken', () => {
    const desired = desiredStateFor(doc({ v4: ['13.32.0.0/15', '3.172.0.0/18'], v6: ['2600:9000::/28'] }), { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: true, ports });
    expect(desired.syncToken).toBe('1787411825');
    expect(desired.createDate).toBe('2026-08-22-15-17-05');
    expect(desired.rules.map((r) => `${r.fromPort}/${r.protocol} ${r.source}`).sort()).toEqual(
      ['443/tcp 13.32.0.0/15', '443/tcp 2600:9000::/28', '443/tcp 3.172.0.0/18', '80/tcp 13.32.0.0/15', '80/tcp 2600:9000::/28', '80/tcp 3.172.0.0/18'].sort(),
    );
  });

  test('GIVEN the real latest document with defaults THEN 46 IPv4 ranges x 1 port', () => {
    const latest = MANIFEST.versions[MANIFEST.versions.length - 1];
    const document = parseIpRangesDocument(readFileSync(rangesPath(latest.file)));
    const desired = desiredStateFor(document, { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6: false, ports: parsePorts('80') });
    expect(desired.rules).toHaveLength(latest.CLOUDFRONT_ORIGIN_FACING.v4);
    expect(new Set(desired.rules.map((r) => r.source)).size).toBe(desired.rules.length);
  });

  test.each([
    ['no entry of the selected service', doc({ v4: [['13.32.0.0/15', 'CLOUDFRONT']], syncToken: '42' }), false],
    ['only IPv6 ranges while IPv6 is off', doc({ v6: ['2600:9000::/28'], syncToken: '42' }), false],
    ['an empty document', doc({ syncToken: '42' }), true],
  ])('GIVEN %s THEN EMPTY_RANGES names the services and the syncToken', (_name, document, ipv6) => {
    const e = caught(() => desiredStateFor(document, { services: ['CLOUDFRONT_ORIGIN_FACING'], ipv6, ports }));
    expect(e.code).toBe('EMPTY_RANGES');
    expect(e.message).toContain('SERVICE=CLOUDFRONT_ORIGIN_FACING');
    expect(e.message).toContain('syncToken 42');
    expect(e.details).toMatchObject({ syncToken: '42', services: ['CLOUDFRONT_ORIGIN_FACING'] });
  });
});
