/** compareDrift: pure, so each kind of finding is shown by a small GIVEN. */
import { compareDrift, type DriftInput } from '../../cli/drift/compare';
import { actual, desired, eni, group, INSTANCE, OWN_GROUP, PREFIX, tcp, v4, v6 } from '../support/builders';

const PORTS = [{ protocol: 'tcp' as const, fromPort: 80, toPort: 80 }];
const input = (over: Partial<DriftInput>): DriftInput => ({ actual: actual([]), desired: desired([tcp(80, v4(1))]), ports: PORTS, prefixName: PREFIX, instanceId: INSTANCE, ...over });

describe('compareDrift', () => {
  test('GIVEN every published rule in a managed group attached to the instance THEN it is in sync with no findings', () => {
    const g = group(1, [tcp(80, v4(1)), tcp(80, v4(2))]);
    const out = compareDrift(input({ actual: actual([g]), desired: desired([tcp(80, v4(1)), tcp(80, v4(2))]) }));
    expect(out).toMatchObject({ status: 'in-sync', rulesExpected: 2, rulesInPlace: 2, missing: [], extra: [], interfaces: [], warnings: [] });
    expect(out.managedGroups).toEqual([{ groupId: g.groupId, groupName: `${PREFIX}-1`, rules: 2 }]);
  });

  test.each([
    ['a CIDR on the managed port that is no longer published', tcp(80, v4(9)), 'withdrawn'],
    ['another port', tcp(22, v4(1)), 'other-port'],
    ['a security-group source', tcp(80, 'sg-0123456789abcdef0'), 'group-reference'],
    ['a prefix-list source', tcp(80, 'pl-0123456789abcdef0'), 'prefix-list'],
    ['another protocol', { protocol: 'udp', fromPort: 80, toPort: 80, source: v4(1) }, 'other-port'],
    ['an IPv6 range while IPv6 is off', tcp(80, v6(1)), 'withdrawn'],
    ['a hand-added CIDR on the managed port', { ...tcp(80, '198.51.100.0/24'), description: 'office' }, 'foreign-cidr'],
    ['a forged guard description on 10.0.0.0/8', tcp(80, '10.0.0.0/8'), 'foreign-cidr'],
    ['a /26 inside a published range', { ...tcp(80, '10.0.1.0/26'), description: 'by hand' }, 'cloudfront-subset'],
    ['the world on 22', tcp(22, '0.0.0.0/0'), 'world-open'],
  ])('GIVEN %s in a managed group THEN it is extra, reason %s', (_name, rule, reason) => {
    const g = group(1, [tcp(80, v4(1)), rule]);
    const out = compareDrift(input({ actual: actual([g]) }));
    expect(out.status).toBe('drift');
    expect(out.extra).toEqual([expect.objectContaining({ source: rule.source, fromPort: rule.fromPort, protocol: rule.protocol, groupId: g.groupId, reason })]);
    expect(out.missing).toEqual([]);
  });

  test('GIVEN a wanted rule held by two managed groups THEN the second copy is a duplicate, and egress rules are named', () => {
    const g1 = group(1, [tcp(80, v4(1))]);
    const g2 = group(2, [tcp(80, v4(1))], { egress: [{ protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' }] });
    const out = compareDrift(input({ actual: actual([g1, g2]) }));
    expect(out.extra.map((e) => [e.groupId, e.reason])).toEqual([
      [g2.groupId, 'duplicate'],
      [g2.groupId, 'egress'],
    ]);
  });

  test('GIVEN a published rule in no group THEN it is missing, with its readable form', () => {
    const out = compareDrift(input({ actual: actual([group(1, [])]), desired: desired([tcp(80, v4(1))]) }));
    expect(out.missing).toEqual([{ rule: `80/tcp from ${v4(1)}`, protocol: 'tcp', fromPort: 80, toPort: 80, source: v4(1) }]);
  });

  test('GIVEN an instance interface lacking a managed group THEN the interface is named with the groups it lacks', () => {
    const g1 = group(1, [tcp(80, v4(1))]);
    const g2 = group(2, []);
    const out = compareDrift(input({ actual: actual([g1, g2], [eni(1, [OWN_GROUP, g1.groupId]), eni(2, [OWN_GROUP, g1.groupId, g2.groupId])]) }));
    expect(out.interfaces).toEqual([{ eniId: eni(1, []).eniId, instanceId: INSTANCE, missingGroups: [g2.groupId] }]);
    expect(out.status).toBe('drift');
  });

  test('GIVEN expected ingest rules THEN only those absent from the own groups are missing', () => {
    const ingest = {
      groupIds: [OWN_GROUP],
      present: [{ protocol: 'udp', fromPort: 1935, toPort: 1935, source: '0.0.0.0/0' }],
      expected: [{ protocol: 'udp', fromPort: 1935, toPort: 1935, source: '0.0.0.0/0' }, tcp(1945, '0.0.0.0/0')],
    };
    const out = compareDrift(input({ actual: actual([group(1, [tcp(80, v4(1))])]), ingest }));
    expect(out.ingest).toEqual({
      groupIds: [OWN_GROUP],
      expected: [expect.objectContaining({ rule: '1935/udp from 0.0.0.0/0' }), expect.objectContaining({ rule: '1945/tcp from 0.0.0.0/0' })],
      missing: [expect.objectContaining({ rule: '1945/tcp from 0.0.0.0/0' })],
    });
    expect(out.status).toBe('drift');
  });

  test('GIVEN groups tagged with a newer syncToken than the document THEN it is stale, as the reconciler says: nothing compared, a warning says to use a current document', () => {
    const g = group(1, [tcp(80, v4(1)), tcp(80, v4(7))], { syncToken: '3000000000' });
    const out = compareDrift(input({ actual: actual([g], [eni(1, [OWN_GROUP])]) }));
    expect(out).toMatchObject({ status: 'stale', lastAppliedSyncToken: '3000000000', missing: [], extra: [], interfaces: [] });
    expect(out.warnings).toEqual([{ code: 'STALE_DOCUMENT', subject: '2000000000', details: { lastApplied: '3000000000' } }]);
  });

  test('GIVEN a stale document and a missing ingest rule THEN it is still drift: the ingest rules do not depend on the document', () => {
    const g = group(1, [tcp(80, v4(1))], { syncToken: '3000000000' });
    const ingest = { groupIds: [OWN_GROUP], present: [], expected: [tcp(1945, '0.0.0.0/0')] };
    expect(compareDrift(input({ actual: actual([g]), ingest })).status).toBe('drift');
  });

  test('GIVEN a newer document whose selected ranges are unchanged THEN it is in sync: the tag plays no part', () => {
    const g = group(1, [tcp(80, v4(1))], { syncToken: '1000000000' });
    expect(compareDrift(input({ actual: actual([g]) }))).toMatchObject({ status: 'in-sync', lastAppliedSyncToken: '1000000000', extra: [], missing: [] });
  });

  describe('GIVEN the document publishes a held range under a service that is not selected', () => {
    const published = {
      services: new Map([
        [v4(9), ['CLOUDFRONT']],
        [v6(1), ['CLOUDFRONT_ORIGIN_FACING']],
        [v4(1), ['CLOUDFRONT', 'CLOUDFRONT_ORIGIN_FACING']],
      ]),
      selected: ['CLOUDFRONT_ORIGIN_FACING'],
    };

    test.each([
      ['a range only CLOUDFRONT publishes', tcp(80, v4(9)), 'unselected', ['CLOUDFRONT']],
      ['an IPv6 range of a selected service while IPv6 is off', tcp(80, v6(1)), 'wrong-family', ['CLOUDFRONT_ORIGIN_FACING']],
    ])('THEN %s is extra, reason %s, naming the services that publish it', (_name, rule, reason, publishedBy) => {
      const g = group(1, [tcp(80, v4(1)), rule]);
      const out = compareDrift(input({ actual: actual([g]), published }));
      expect(out.extra).toEqual([expect.objectContaining({ source: rule.source, reason, publishedBy })]);
    });

    test('THEN a range no service publishes is still withdrawn, with no publishedBy', () => {
      const g = group(1, [tcp(80, v4(1)), tcp(80, v4(5))]);
      const out = compareDrift(input({ actual: actual([g]), published }));
      expect(out.extra).toEqual([expect.objectContaining({ source: v4(5), reason: 'withdrawn' })]);
      expect(out.extra[0]).not.toHaveProperty('publishedBy');
    });
  });
});
