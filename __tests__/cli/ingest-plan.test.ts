/** planIngest: what open-ingest opens and closes, and when it refuses to close CloudFront's port. */
import { planIngest, sshEndsWarning, type IngestPlanInput } from '../../cli/ingest/plan';
import { isGuardError } from '../../lambda-src/core/errors';
import { eni, group, OWN_GROUP, PREFIX, tcp, v4 } from '../support/builders';

const udp = (port: number, source = '0.0.0.0/0') => ({ protocol: 'udp', fromPort: port, toPort: port, source });
const INGEST = [udp(1935), tcp(1945, '0.0.0.0/0')];
const own = (...ingress: ReturnType<typeof tcp>[]) => ({ groupId: OWN_GROUP, groupName: 'media-server', ingress });
const managed = group(1, [tcp(80, v4(1))]);
const base = (over: Partial<IngestPlanInput>): IngestPlanInput => ({
  group: own(tcp(22, '0.0.0.0/0'), tcp(80, '0.0.0.0/0'), udp(1935)),
  wanted: INGEST,
  closePorts: [],
  cloudfrontPorts: new Set([80]),
  enis: [eni(1, [OWN_GROUP, managed.groupId])],
  managed: [managed],
  prefixName: PREFIX,
  published: [tcp(80, v4(1))],
  ...over,
});

function refusal(input: IngestPlanInput) {
  try {
    planIngest(input);
  } catch (e) {
    if (isGuardError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('planIngest', () => {
  test('GIVEN 1935/udp already open THEN only 1945/tcp is authorized, nothing revoked', () => {
    expect(planIngest(base({}))).toEqual({ authorize: [tcp(1945, '0.0.0.0/0')], revoke: [], warnings: [] });
  });

  test('GIVEN everything open THEN a rerun plans nothing (idempotent)', () => {
    expect(planIngest(base({ group: own(udp(1935), tcp(1945, '0.0.0.0/0')), closePorts: [22, 80] }))).toEqual({ authorize: [], revoke: [], warnings: [] });
  });

  test('GIVEN managed groups with port 80 on every interface THEN --close-public 22,80 revokes exactly the world-open rules', () => {
    const group = own(tcp(22, '0.0.0.0/0'), tcp(22, '::/0'), tcp(22, '203.0.113.0/24'), tcp(80, '0.0.0.0/0'), udp(1935));
    expect(planIngest(base({ group, closePorts: [22, 80] })).revoke).toEqual([tcp(22, '0.0.0.0/0'), tcp(22, '::/0'), tcp(80, '0.0.0.0/0')]);
  });

  test.each([
    ['no managed groups exist', { managed: [] }, /there are no managed groups \(PREFIX_NAME=AUTOUPDATE_CF\) in the VPC yet/],
    [
      'one interface lacks the managed group',
      { enis: [eni(1, [OWN_GROUP, managed.groupId]), eni(2, [OWN_GROUP])] },
      new RegExp(`1 of the 1 ranges the current document publishes on port 80 reach ${eni(2, []).eniId} through no attached managed group`),
    ],
    [
      'the managed group has no port-80 rule',
      { managed: [group(1, [tcp(443, v4(1))])] },
      /1 of the 1 ranges the current document publishes on port 80 reach .* through no attached managed group \(e\.g\. 10\.0\.1\.0\/24\)/,
    ],
    // issue 20: one port-80 rule in an attached group is not enough when the document publishes more
    [
      'the managed group holds 1 of the 3 ranges published on 80 (half-filled)',
      { published: [tcp(80, v4(1)), tcp(80, v4(2)), tcp(80, v4(3))] },
      /2 of the 3 ranges the current document publishes on port 80 .*\(e\.g\. 10\.0\.2\.0\/24, 10\.0\.3\.0\/24\)/,
    ],
    ['the document publishes nothing on 80', { published: [tcp(443, v4(1))] }, /publishes no range on port 80/],
  ])('GIVEN %s THEN closing 80 is refused with CLOSE_WOULD_CUT_CLOUDFRONT', (_name, over, message) => {
    const e = refusal(base({ ...over, closePorts: [22, 80] }));
    expect(e.code).toBe('CLOSE_WOULD_CUT_CLOUDFRONT');
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/Run 'cfguard reconcile --apply'/);
  });

  test('GIVEN no managed groups THEN closing only 22 (not a CloudFront port) is allowed', () => {
    expect(planIngest(base({ managed: [], closePorts: [22] })).revoke).toEqual([tcp(22, '0.0.0.0/0')]);
  });

  test('GIVEN a world-open port range or all-traffic rule THEN it is kept, with a warning naming it', () => {
    const all = { protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' };
    const span = { protocol: 'tcp', fromPort: 20, toPort: 25, source: '0.0.0.0/0' };
    const plan = planIngest(base({ group: own(all, span), closePorts: [22] }));
    expect(plan.revoke).toEqual([]);
    expect(plan.warnings).toEqual([
      `${OWN_GROUP} keeps -1/-1 from 0.0.0.0/0, which opens port 22 among others; revoke it by hand if that is meant`,
      `${OWN_GROUP} keeps 20-25/tcp from 0.0.0.0/0, which opens port 22 among others; revoke it by hand if that is meant`,
    ]);
  });

  test('GIVEN an ingest port in --close-public THEN the contradiction is a usage error', () => {
    const e = refusal(base({ closePorts: [1935] }));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe("'--close-public' would close port 1935, which the ingest rule 1935/udp from 0.0.0.0/0 opens; drop 1935 from --close-public or change the ingest ports");
  });
});

describe('closing 22 says that SSH ends, and names Session Manager', () => {
  test('GIVEN --close-public 22,80 revoking the world-open 22 THEN one warning says SSH access ends and how to reach the instance instead', () => {
    const plan = planIngest(base({ closePorts: [22, 80] }));
    expect(plan.revoke).toEqual([tcp(22, '0.0.0.0/0'), tcp(80, '0.0.0.0/0')]);
    expect(plan.warnings).toEqual([sshEndsWarning(OWN_GROUP)]);
    expect(plan.warnings[0]).toMatch(/ends SSH access .*AWS Systems Manager Session Manager .*aws ssm start-session --target/);
  });

  test('GIVEN --close-public 80 only, or a 22 with nothing world-open to close THEN no SSH warning', () => {
    expect(planIngest(base({ closePorts: [80] })).warnings).toEqual([]);
    expect(planIngest(base({ group: own(tcp(22, '203.0.113.0/24'), udp(1935)), closePorts: [22] })).warnings).toEqual([]);
  });
});
