import { buildGuardPolicy, isReadOnlyAction, isWildcardResource, unconditionedWildcardWrites, type GuardPolicyInput, type PolicyDocument, type PolicyStatement } from '../../constructs/guard-iam';
import { OriginIpRangeGuard } from '../../constructs/origin-ip-range-guard';
import { GUARD_BUNDLE, usEast1 } from '../support/app-fixtures';
import { synth } from '../support/construct-synth';

const INPUT: GuardPolicyInput = {
  partition: 'aws',
  accountId: '123456789012',
  region: 'eu-north-1',
  functionName: 'streaming-origin-origin-guard',
  prefixName: 'AUTOUPDATE_CF',
  vpcId: 'vpc-0123456789abcdef0',
  instanceId: 'i-0123456789abcdef0',
};
const ARN = 'arn:aws:ec2:eu-north-1:123456789012';
const VPC_ARN = `${ARN}:vpc/vpc-0123456789abcdef0`;

const doc = buildGuardPolicy(INPUT);
const QUEUE_ARN = 'arn:aws:sqs:eu-north-1:123456789012:streaming-origin-origin-guard-failed-events';
const withQueue = buildGuardPolicy({ ...INPUT, failedEventsQueueArn: QUEUE_ARN });
const grants = (d: PolicyDocument, action: string): PolicyStatement[] => d.Statement.filter((s) => s.Action.includes(action));
const writeActions = (d: PolicyDocument) => [...new Set(d.Statement.flatMap((s) => s.Action).filter((a) => !isReadOnlyAction(a)))];

describe('the guard policy is least privilege', () => {
  test('no write action is granted on a wildcard resource without a condition', () => {
    expect(unconditionedWildcardWrites(doc)).toEqual([]);
  });

  test('the check does fire on an unconditioned wildcard write', () => {
    const loose: PolicyDocument = { Version: '2012-10-17', Statement: [...doc.Statement, { Sid: 'Loose', Effect: 'Allow', Action: ['ec2:RevokeSecurityGroupIngress'], Resource: ['*'] }] };
    expect(unconditionedWildcardWrites(loose)).toEqual([{ sid: 'Loose', action: 'ec2:RevokeSecurityGroupIngress', resource: '*' }]);
  });

  test.each([
    ['*', true],
    [`${ARN}:security-group/*`, true],
    ['arn:aws:logs:eu-north-1:123456789012:log-group:*', true],
    ['arn:aws:logs:eu-north-1:123456789012:log-group:/aws/lambda/*:*', true],
    ['arn:aws:logs:eu-north-1:123456789012:log-group:/aws/lambda/fn:*', false],
    [`${ARN}:instance/i-0123456789abcdef0`, false],
  ])('%s counts as a wildcard resource: %s', (resource, wildcard) => {
    expect(isWildcardResource(resource)).toBe(wildcard);
  });

  test('only read actions are granted on "*"', () => {
    const onStar = doc.Statement.filter((s) => s.Resource.includes('*')).flatMap((s) => s.Action);
    expect(onStar.length).toBeGreaterThan(0);
    expect(onStar.every(isReadOnlyAction)).toBe(true);
    expect([...onStar].sort()).toEqual(['ec2:DescribeInstances', 'ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcs']);
  });

  test('no statement uses a wildcard action or an account-wide ec2 ARN', () => {
    for (const s of doc.Statement) {
      expect(s.Action.every((a) => !a.includes('*'))).toBe(true);
      for (const r of s.Resource) if (r !== '*') expect(r).toMatch(/^arn:aws:(ec2|logs):eu-north-1:123456789012:[a-z-]+[/:]/);
    }
  });

  test('the writes are exactly those the reconciler makes', () => {
    expect(writeActions(doc).sort()).toEqual([
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:CreateSecurityGroup',
      'ec2:CreateTags',
      'ec2:DeleteSecurityGroup',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:RevokeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupIngress',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
  });

  test("logs go only to the function's own log group", () => {
    const logs = grants(doc, 'logs:PutLogEvents');
    expect(logs).toHaveLength(1);
    expect(logs[0].Resource).toEqual(['arn:aws:logs:eu-north-1:123456789012:log-group:/aws/lambda/streaming-origin-origin-guard:*']);
    expect(writeActions(doc)).not.toContain('logs:CreateLogGroup');
  });

  test('changing rules needs the managed tag on the group, in the VPC; stripping egress and deleting also need the creation or the adoption tag', () => {
    const managed = { 'aws:ResourceTag/PREFIX_NAME': 'AUTOUPDATE_CF', 'ec2:Vpc': `${ARN}:vpc/vpc-0123456789abcdef0` };
    for (const action of ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress']) {
      const statements = grants(doc, action);
      expect(statements).toHaveLength(1);
      expect(statements[0].Resource).toEqual([`${ARN}:security-group/*`]);
      expect(statements[0].Condition).toEqual({ StringEquals: managed });
    }
    for (const action of ['ec2:RevokeSecurityGroupEgress', 'ec2:DeleteSecurityGroup']) {
      const statements = grants(doc, action);
      expect(statements.map((st) => st.Sid)).toEqual(['StripOrDeleteCreatedGroupsOnly', 'StripOrDeleteAdoptedGroupsOnly']);
      expect(statements.map((st) => st.Condition)).toEqual([
        { StringEquals: { ...managed, 'aws:ResourceTag/CFGUARD_CREATED': 'AUTOUPDATE_CF' } },
        { StringEquals: { ...managed, 'aws:ResourceTag/CFGUARD_ADOPTED': 'AUTOUPDATE_CF' } },
      ]);
    }
  });

  test('a group can be created only with the managed tag in the request, and only in the VPC', () => {
    const [group, vpc] = grants(doc, 'ec2:CreateSecurityGroup');
    expect(group.Resource).toEqual([`${ARN}:security-group/*`]);
    expect(group.Condition).toEqual({
      StringEquals: { 'aws:RequestTag/PREFIX_NAME': 'AUTOUPDATE_CF', 'aws:RequestTag/CFGUARD_CREATED': 'AUTOUPDATE_CF' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['PREFIX_NAME', 'Name', 'CFGUARD_CREATED', 'CFGUARD_SYNC_TOKEN'] },
    });
    expect(vpc.Resource).toEqual([VPC_ARN]);
  });

  test('tags are written on create, or on managed groups limited to PREFIX_NAME and CFGUARD_SYNC_TOKEN', () => {
    const [onCreate, retag] = grants(doc, 'ec2:CreateTags');
    expect(onCreate.Condition?.StringEquals).toEqual({ 'ec2:CreateAction': 'CreateSecurityGroup', 'aws:RequestTag/PREFIX_NAME': 'AUTOUPDATE_CF' });
    expect(retag.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/PREFIX_NAME': 'AUTOUPDATE_CF', 'ec2:Vpc': `${ARN}:vpc/vpc-0123456789abcdef0` },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['PREFIX_NAME', 'CFGUARD_SYNC_TOKEN'] },
      StringEqualsIfExists: { 'aws:RequestTag/PREFIX_NAME': 'AUTOUPDATE_CF' },
    });
  });

  test("attaching groups is limited to the instance's network interfaces in the VPC", () => {
    const [instance, vpc] = grants(doc, 'ec2:ModifyNetworkInterfaceAttribute');
    expect(instance.Resource).toEqual([`${ARN}:instance/i-0123456789abcdef0`]);
    // no security-group/* here: which groups an interface's list may name is the Name*OnInterface statements' alone
    expect(vpc.Resource).toEqual([`${ARN}:network-interface/*`, `${ARN}:subnet/*`]);
    expect(vpc.Condition).toEqual({ StringEquals: { 'ec2:Vpc': VPC_ARN } });
  });

  test("an interface's list may name the groups the function created, the ones import adopted, and the instance's own group by ARN", () => {
    const strict = buildGuardPolicy({ ...INPUT, ownGroupIds: ['sg-0123456789abcdef0', 'sg-0123456789abcdef0'] });
    const naming = grants(strict, 'ec2:ModifyNetworkInterfaceAttribute').filter((st) => st.Sid.startsWith('Name'));
    expect(naming).toEqual([
      {
        Sid: 'NameCreatedGroupsOnInterface',
        Effect: 'Allow',
        Action: ['ec2:ModifyNetworkInterfaceAttribute'],
        Resource: [`${ARN}:security-group/*`],
        Condition: { StringEquals: { 'aws:ResourceTag/CFGUARD_CREATED': 'AUTOUPDATE_CF', 'ec2:Vpc': VPC_ARN } },
      },
      {
        Sid: 'NameAdoptedGroupsOnInterface',
        Effect: 'Allow',
        Action: ['ec2:ModifyNetworkInterfaceAttribute'],
        Resource: [`${ARN}:security-group/*`],
        Condition: { StringEquals: { 'aws:ResourceTag/CFGUARD_ADOPTED': 'AUTOUPDATE_CF', 'ec2:Vpc': VPC_ARN } },
      },
      { Sid: 'NameOwnGroupOnInterface', Effect: 'Allow', Action: ['ec2:ModifyNetworkInterfaceAttribute'], Resource: [`${ARN}:security-group/sg-0123456789abcdef0`] },
    ]);
    expect(unconditionedWildcardWrites(strict)).toEqual([]);
  });

  test('with no own group known, any group in the VPC without the managed tag stands in for it (never a tagged one)', () => {
    const naming = grants(doc, 'ec2:ModifyNetworkInterfaceAttribute').filter((st) => st.Sid.startsWith('Name'));
    expect(naming.map((st) => st.Sid)).toEqual(['NameCreatedGroupsOnInterface', 'NameAdoptedGroupsOnInterface', 'NameUntaggedGroupsOnInterface']);
    expect(naming[2].Condition).toEqual({ StringEquals: { 'ec2:Vpc': VPC_ARN }, StringNotEquals: { 'aws:ResourceTag/PREFIX_NAME': 'AUTOUPDATE_CF' } });
  });

  test('the teardown on destroy needs no grant beyond the reconcile: detach is the same attach call, delete needs the managed tag', () => {
    const teardownWrites = ['ec2:ModifyNetworkInterfaceAttribute', 'ec2:DeleteSecurityGroup'];
    for (const action of teardownWrites) {
      const statements = grants(doc, action);
      expect(statements.length).toBeGreaterThan(0);
      for (const st of statements) expect(st.Condition !== undefined || st.Resource.every((r) => !isWildcardResource(r))).toBe(true);
    }
    expect(grants(doc, 'ec2:DeleteSecurityGroup')[0].Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/PREFIX_NAME': 'AUTOUPDATE_CF', 'ec2:Vpc': `${ARN}:vpc/vpc-0123456789abcdef0`, 'aws:ResourceTag/CFGUARD_CREATED': 'AUTOUPDATE_CF' },
    });
  });

  test('GIVEN a failed-events queue THEN the only addition is sqs:SendMessage on that queue alone', () => {
    const added = withQueue.Statement.filter((st) => !doc.Statement.some((d) => d.Sid === st.Sid));
    expect(added).toEqual([{ Sid: 'KeepFailedEvents', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [QUEUE_ARN] }]);
    expect(unconditionedWildcardWrites(withQueue)).toEqual([]);
    expect(writeActions(withQueue).filter((a) => a.startsWith('sqs:'))).toEqual(['sqs:SendMessage']);
  });

  test('another prefix scopes every tag condition to that prefix', () => {
    const other = JSON.stringify(buildGuardPolicy({ ...INPUT, prefixName: 'EDGE' }));
    expect(other).not.toContain('AUTOUPDATE_CF');
    expect(other.match(/"EDGE"/g)?.length).toBe(13);
  });

  test("GIVEN instanceSecurityGroupId THEN the function's policy names that group and its environment carries the same id", () => {
    const s = synth(
      (scope) =>
        new OriginIpRangeGuard(scope, 'guard', {
          settings: { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', vpcId: 'vpc-0123456789abcdef0', instanceSecurityGroupId: 'sg-0fedcba9876543210' },
          usEast1Provider: usEast1(scope),
          bundlePath: GUARD_BUNDLE,
        }),
    );
    const policy = JSON.parse(s.only('aws_iam_role_policy').policy) as PolicyDocument;
    const own = policy.Statement.find((st) => st.Sid === 'NameOwnGroupOnInterface')!;
    expect(own.Resource).toHaveLength(1);
    expect(own.Resource[0]).toMatch(/:ec2:eu-north-1:\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:security-group\/sg-0fedcba9876543210$/);
    expect(policy.Statement.map((st) => st.Sid)).not.toContain('NameUntaggedGroupsOnInterface');
    expect(s.only('aws_lambda_function').environment.variables.INSTANCE_SECURITY_GROUP_ID).toBe('sg-0fedcba9876543210');
  });

  test('the synthesized policy is the same document, with partition and account from data sources', () => {
    const s = synth(
      (scope) =>
        new OriginIpRangeGuard(scope, 'guard', {
          settings: { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', vpcId: 'vpc-0123456789abcdef0' },
          usEast1Provider: usEast1(scope),
          bundlePath: GUARD_BUNDLE,
        }),
    );
    const policy = JSON.parse(s.only('aws_iam_role_policy').policy) as PolicyDocument;
    expect(unconditionedWildcardWrites(policy)).toEqual([]);
    expect(policy.Statement.map((st) => st.Sid)).toEqual(withQueue.Statement.map((st) => st.Sid));
    expect(policy.Statement.map((st) => st.Sid)).toContain('NameUntaggedGroupsOnInterface');
    expect(policy.Statement[0].Resource[0]).toMatch(
      /^arn:\$\{data\.aws_partition\.[^}]+\}:logs:\$\{data\.aws_region\.[^}]+\}:\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:log-group:\/aws\/lambda\/stack-guard:\*$/,
    );
  });
});
