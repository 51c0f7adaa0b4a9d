/** Rules in words: EC2's protocol -1 (ports -1/-1) reads as "all traffic", outbound rules say "to". */
import type { Rule } from '../../lambda-src/core/model';
import { describeRule, someRules } from '../../cli/render/rules';
import { resolvePlan, resolveStep } from '../../cli/render/plan';

const rule = (protocol: string, fromPort: number, toPort: number, source: string) => ({ protocol, fromPort, toPort, source }) as Rule;

describe('describeRule', () => {
  test.each([
    ['egress', 'all traffic to 0.0.0.0/0', rule('-1', -1, -1, '0.0.0.0/0')],
    ['ingress', 'all traffic from ::/0', rule('-1', -1, -1, '::/0')],
    ['ingress', '80/tcp from 13.124.199.0/24', rule('tcp', 80, 80, '13.124.199.0/24')],
    ['egress', '443/tcp to 10.0.0.0/8', rule('tcp', 443, 443, '10.0.0.0/8')],
    ['ingress', '1935-1940/udp from 0.0.0.0/0', rule('udp', 1935, 1940, '0.0.0.0/0')],
  ] as const)('an %s rule reads %s', (direction, expected, r) => {
    expect(describeRule(r, direction)).toBe(expected);
  });

  test('someRules keeps the direction and counts the rest', () => {
    expect(someRules([rule('-1', -1, -1, '0.0.0.0/0'), rule('tcp', 1, 2, '1.0.0.0/8')], 1, 'egress')).toBe('all traffic to 0.0.0.0/0 (+1 more; --json lists all)');
  });
});

describe('resolveStep / resolvePlan', () => {
  const created = { 'new:AUTOUPDATE_CF-1': 'sg-0123' };
  test('every new:<name> a step names becomes the created id; existing ids stay', () => {
    expect(resolveStep({ kind: 'createGroup', ref: 'new:AUTOUPDATE_CF-1', groupName: 'AUTOUPDATE_CF-1', description: 'd', tags: {} }, created)).toMatchObject({ ref: 'sg-0123' });
    expect(resolveStep({ kind: 'authorize', group: 'new:AUTOUPDATE_CF-1', rules: [] }, created)).toMatchObject({ group: 'sg-0123' });
    expect(resolveStep({ kind: 'attach', eniId: 'eni-1', groupIds: ['sg-own', 'new:AUTOUPDATE_CF-1'], added: ['new:AUTOUPDATE_CF-1'] }, created)).toMatchObject({
      groupIds: ['sg-own', 'sg-0123'],
      added: ['sg-0123'],
    });
    expect(resolveStep({ kind: 'tagSyncToken', groups: ['sg-old', 'new:AUTOUPDATE_CF-1'], syncToken: '1' }, created)).toMatchObject({ groups: ['sg-old', 'sg-0123'] });
    expect(resolveStep({ kind: 'revoke', group: 'new:AUTOUPDATE_CF-2', rules: [] }, created)).toMatchObject({ group: 'new:AUTOUPDATE_CF-2' });
  });

  test('a plan with nothing created is returned as is', () => {
    const plan = {
      syncToken: '1',
      status: 'changes' as const,
      steps: [],
      held: [],
      summary: { rulesKept: 0, rulesAdded: 0, rulesRevoked: 0, rulesHeld: 0, groupsCreated: 0, enisChanged: 0 },
      warnings: [],
    };
    expect(resolvePlan(plan, {})).toBe(plan);
  });
});
