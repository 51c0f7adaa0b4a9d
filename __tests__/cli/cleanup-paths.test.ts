/**
 * cleanup's guard, pure: GIVEN a teardown plan, the managed groups it removes and the groups each
 * interface keeps, WHEN cloudfrontCutOffs judges it, THEN every (interface, port) left with no path
 * from CloudFront is named, and only those.
 */
import { assertNoCutOff, cloudfrontCutOffs } from '../../cli/cleanup/cloudfront-paths';
import type { Rule } from '../../lambda-src/core/model';
import { caught } from '../support/caught';

const rule = (protocol: string, fromPort: number, toPort: number, source: string): Rule => ({ protocol, fromPort, toPort, source }) as Rule;
const MANAGED = { groupId: 'sg-managed', groupName: 'AUTOUPDATE_CF-1', ingress: [rule('tcp', 80, 80, '13.124.199.0/24'), rule('tcp', 80, 80, '130.176.0.0/18')] };
const plan = (eniId = 'eni-origin') => ({
  steps: [
    { kind: 'detach' as const, eniId, groupIds: ['sg-own'], removed: ['sg-managed'] },
    { kind: 'deleteGroup' as const, group: 'sg-managed', groupName: 'AUTOUPDATE_CF-1' },
  ],
});
const own = (...ingress: Rule[]) => [{ groupId: 'sg-own', groupName: 'media-server', ingress }];

describe('cloudfrontCutOffs', () => {
  test.each([
    ['port 80 open to the world stays', own(rule('tcp', 80, 80, '0.0.0.0/0')), []],
    ['port 80 open to the world over IPv6 stays', own(rule('tcp', 80, 80, '::/0')), []],
    ['a range covering 80 stays open to the world', own(rule('tcp', 0, 1024, '0.0.0.0/0')), []],
    ["CloudFront's managed prefix list on 80 stays", own(rule('tcp', 80, 80, 'pl-3b927c52')), []],
    ['all traffic from the world stays', own(rule('-1', -1, -1, '0.0.0.0/0')), []],
    ['only SSH stays open', own(rule('tcp', 22, 22, '0.0.0.0/0')), [{ eniId: 'eni-origin', port: '80/tcp' }]],
    ['80 stays, but only from a private range', own(rule('tcp', 80, 80, '10.0.0.0/8')), [{ eniId: 'eni-origin', port: '80/tcp' }]],
    ['80 stays, but on udp', own(rule('udp', 80, 80, '0.0.0.0/0')), [{ eniId: 'eni-origin', port: '80/tcp' }]],
    ['nothing stays', own(), [{ eniId: 'eni-origin', port: '80/tcp' }]],
  ])('%s', (_name, kept, expected) => {
    expect(cloudfrontCutOffs({ plan: plan(), managed: [MANAGED], kept })).toEqual(expected);
  });

  test("an interface that is not the instance's is not the origin: not judged when the instance is known", () => {
    expect(cloudfrontCutOffs({ plan: plan('eni-side'), managed: [MANAGED], kept: own(), instanceEnis: new Set(['eni-origin']) })).toEqual([]);
    expect(cloudfrontCutOffs({ plan: plan('eni-side'), managed: [MANAGED], kept: own() })).toEqual([{ eniId: 'eni-side', port: '80/tcp' }]);
  });

  test('each port the managed groups open is judged on its own', () => {
    const twoPorts = { ...MANAGED, ingress: [...MANAGED.ingress, rule('tcp', 443, 443, '13.124.199.0/24')] };
    expect(cloudfrontCutOffs({ plan: plan(), managed: [twoPorts], kept: own(rule('tcp', 80, 80, '0.0.0.0/0')) })).toEqual([{ eniId: 'eni-origin', port: '443/tcp' }]);
  });

  test('a cut-off is one CLEANUP_WOULD_CUT_CLOUDFRONT naming the port, the interface and --force; none passes', () => {
    expect(() => assertNoCutOff([], 'AUTOUPDATE_CF')).not.toThrow();
    const e = caught(() => assertNoCutOff([{ eniId: 'eni-origin', port: '80/tcp' }], 'AUTOUPDATE_CF'));
    expect(e).toMatchObject({ code: 'CLEANUP_WOULD_CUT_CLOUDFRONT', kind: 'usage' });
    expect(e.message).toMatch(/nothing else opens 80\/tcp on eni-origin\. .*'cfguard cleanup --apply --force'.*Nothing was changed\.$/);
  });
});
