/**
 * The operator's rights, on what no scenario can show: the README's operator policy (one statement per
 * cfguard command) gives rotate-origin-secret CloudFront reads on your distribution alone. Every call each
 * command makes in the CLI scenarios is proved against its command's statements inside each scenario
 * file's own run (__tests__/support/iam-proof.ts); that each statement grants exactly the actions its
 * command used is checked over all of them in the global teardown (__tests__/support/iam-proof-union.ts).
 */
import { OPERATOR, readmePolicy, statementsOf } from '../support/iam-proof-checks';
import { decide, iamRequests } from '../support/iam-requests';
import { DISTRIBUTION } from '../origin-secret/fixtures';

describe("the README's operator policy", () => {
  test.each([
    [DISTRIBUTION, 'Allowed'],
    ['E2OTHERDISTRIB', 'ImplicitlyDenied'],
  ])("rotate-origin-secret's CloudFront reads on distribution %s: %s", async (id, expected) => {
    const policy = { Version: '2012-10-17', Statement: statementsOf(readmePolicy(), 'rotate-origin-secret') };
    for (const action of ['GetDistributionConfig', 'GetDistribution']) {
      const [request] = iamRequests({ service: 'cloudfront', action, params: { Id: id }, ok: true });
      expect([action, await decide(policy, request, OPERATOR)]).toEqual([action, expected]);
    }
    // Nothing else in CloudFront: not the write a deploy makes, not another distribution's reads.
    const [update] = iamRequests({ service: 'cloudfront', action: 'UpdateDistribution', params: { Id: DISTRIBUTION }, ok: true });
    expect(await decide(policy, update, OPERATOR)).toBe('ImplicitlyDenied');
  });
});
