/**
 * The guard's role, call by call: a table of calls it must make is allowed and a table of calls it must
 * never be able to make is denied by the policy the construct synthesizes (buildGuardPolicy). Every EC2
 * call the guard makes in the scenarios (__tests__/iam/scenarios.ts) is proved against the same policy
 * inside each scenario file's own run (__tests__/support/iam-proof.ts).
 */
import { buildGuardPolicy } from '../../constructs/guard-iam';
import type { RecordedCall } from '../../emulator/recorder';
import { ACCOUNT, decide, ec2Requests } from '../support/iam-requests';

/** One deployment, and around it what is not its own. */
const VPC = 'vpc-0aaaaaaaaaaaaaaa1';
const OTHER_VPC = 'vpc-0bbbbbbbbbbbbbbb2';
const INSTANCE = 'i-0aaaaaaaaaaaaaaa1';
const OTHER_INSTANCE = 'i-0bbbbbbbbbbbbbbb2';
const MANAGED = 'sg-0aaaaaaaaaaaaaa01';
const FOREIGN = 'sg-0aaaaaaaaaaaaaa02';
/** A database's group, tagged PREFIX_NAME by mistake (issue 20): on the database instance's ENI. */
const TAGGED_DB = 'sg-0aaaaaaaaaaaaaa05';
const ADOPTED = 'sg-0aaaaaaaaaaaaaa06';
const OTHER_PREFIX = 'sg-0aaaaaaaaaaaaaa03';
/** Another team's group, untagged, in the VPC (a monitoring agent's). */
const MONITORING = 'sg-0aaaaaaaaaaaaaa07';
const IN_OTHER_VPC = 'sg-0bbbbbbbbbbbbbb04';
const FACTS = {
  groups: {
    [MANAGED]: { vpcId: VPC, tags: { PREFIX_NAME: 'AUTOUPDATE_CF', Name: 'AUTOUPDATE_CF-1', CFGUARD_CREATED: 'AUTOUPDATE_CF' } },
    [TAGGED_DB]: { vpcId: VPC, tags: { PREFIX_NAME: 'AUTOUPDATE_CF', Name: 'database' } },
    [ADOPTED]: { vpcId: VPC, tags: { PREFIX_NAME: 'AUTOUPDATE_CF', CFGUARD_ADOPTED: 'AUTOUPDATE_CF' } },
    [FOREIGN]: { vpcId: VPC, tags: { Name: 'media-server' } },
    [MONITORING]: { vpcId: VPC, tags: { Name: 'monitoring' } },
    [OTHER_PREFIX]: { vpcId: VPC, tags: { PREFIX_NAME: 'OTHER_TEAM' } },
    [IN_OTHER_VPC]: { vpcId: OTHER_VPC, tags: { PREFIX_NAME: 'AUTOUPDATE_CF' } },
  },
  enis: {
    'eni-0aaaaaaaaaaaaaa01': { vpcId: VPC, subnetId: 'subnet-0aaaaaaaaaaaaaa1', instanceId: INSTANCE },
    'eni-0aaaaaaaaaaaaaa02': { vpcId: VPC, subnetId: 'subnet-0aaaaaaaaaaaaaa1', instanceId: OTHER_INSTANCE },
    'eni-0bbbbbbbbbbbbbb03': { vpcId: OTHER_VPC, subnetId: 'subnet-0bbbbbbbbbbbbbb2', instanceId: INSTANCE },
  },
  instances: { [INSTANCE]: { vpcId: VPC }, [OTHER_INSTANCE]: { vpcId: VPC } },
};
/** FOREIGN is the media server's own group (instanceSecurityGroupId): the stack names it in the policy. */
const DEPLOYED = { partition: 'aws', accountId: ACCOUNT, region: 'eu-north-1', functionName: 'guard', prefixName: 'AUTOUPDATE_CF', vpcId: VPC, instanceId: INSTANCE };
const POLICY = buildGuardPolicy({ ...DEPLOYED, ownGroupIds: [FOREIGN] });
/** The same deployment without instanceSecurityGroupId: any untagged group in the VPC stands in for the own group. */
const WITHOUT_OWN_GROUP = buildGuardPolicy(DEPLOYED);
const MEDIA_ENI = 'eni-0aaaaaaaaaaaaaa01';
const nameOnMediaEni = (...groupIds: string[]) =>
  call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: MEDIA_ENI, ...Object.fromEntries(groupIds.map((id, i) => [`SecurityGroupId.${i + 1}`, id])) });
const call = (action: string, params: Record<string, string>, created?: string[]): RecordedCall => ({ service: 'ec2', action, params, region: 'eu-north-1', ok: true, ec2: FACTS, created });
const tags = (t: Record<string, string>, prefix = 'Tag.') =>
  Object.fromEntries(
    Object.entries(t).flatMap(([k, v], i) => [
      [`${prefix}${i + 1}.Key`, k],
      [`${prefix}${i + 1}.Value`, v],
    ]),
  );
const create = (vpcId: string, t: Record<string, string>) =>
  call('CreateSecurityGroup', { GroupName: 'AUTOUPDATE_CF-2', GroupDescription: 'x', VpcId: vpcId, 'TagSpecification.1.ResourceType': 'security-group', ...tags(t, 'TagSpecification.1.Tag.') }, [
    'sg-0aaaaaaaaaaaaaa99',
  ]);
const OWN_TAGS = { PREFIX_NAME: 'AUTOUPDATE_CF', Name: 'AUTOUPDATE_CF-2', CFGUARD_CREATED: 'AUTOUPDATE_CF', CFGUARD_SYNC_TOKEN: '1' };

/** A call is allowed only when every resource it is authorized against is. */
async function callDecision(c: RecordedCall, policy = POLICY): Promise<string[]> {
  const out: string[] = [];
  for (const r of ec2Requests(c)) out.push(`${r.resource.split(':').pop()}=${await decide(policy, r)}`);
  return out;
}

describe('the same policy, for one deployment', () => {
  test.each([
    ['authorize on a managed group', call('AuthorizeSecurityGroupIngress', { GroupId: MANAGED })],
    ['create a group born managed in the VPC', create(VPC, OWN_TAGS)],
    ['record the syncToken on a managed group', call('CreateTags', { 'ResourceId.1': MANAGED, ...tags({ CFGUARD_SYNC_TOKEN: '2' }) })],
    [
      "attach to the instance's ENI, keeping its own group",
      call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: 'eni-0aaaaaaaaaaaaaa01', 'SecurityGroupId.1': FOREIGN, 'SecurityGroupId.2': MANAGED }),
    ],
    ['delete a managed group', call('DeleteSecurityGroup', { GroupId: MANAGED })],
    ['strip the default egress of a group it created', call('RevokeSecurityGroupEgress', { GroupId: MANAGED })],
    ['delete a group cfguard import adopted (compaction after a migration)', call('DeleteSecurityGroup', { GroupId: ADOPTED })],
    ["name the own group, a created group and an adopted group on the media server's ENI", nameOnMediaEni(FOREIGN, MANAGED, ADOPTED)],
    ["detach every managed group from the media server's ENI, keeping the own group", nameOnMediaEni(FOREIGN)],
  ])('allows: %s', async (_name, c) => {
    const decisions = await callDecision(c);
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.filter((d) => !d.endsWith('=Allowed'))).toEqual([]);
  });

  test.each([
    ['authorize on a foreign group', call('AuthorizeSecurityGroupIngress', { GroupId: FOREIGN })],
    ["revoke on the instance's own group", call('RevokeSecurityGroupIngress', { GroupId: FOREIGN })],
    ["delete another prefix's group", call('DeleteSecurityGroup', { GroupId: OTHER_PREFIX })],
    ['authorize on a group of our prefix in another VPC', call('AuthorizeSecurityGroupIngress', { GroupId: IN_OTHER_VPC })],
    ['CreateTags PREFIX_NAME on a foreign group (adopting it)', call('CreateTags', { 'ResourceId.1': FOREIGN, ...tags({ PREFIX_NAME: 'AUTOUPDATE_CF' }) })],
    ['CreateTags moving a managed group to another prefix', call('CreateTags', { 'ResourceId.1': MANAGED, ...tags({ PREFIX_NAME: 'OTHER_TEAM' }) })],
    ['CreateTags of another key on a managed group', call('CreateTags', { 'ResourceId.1': MANAGED, ...tags({ Owner: 'me' }) })],
    ['DeleteTags on a managed group', call('DeleteTags', { 'ResourceId.1': MANAGED, ...tags({ PREFIX_NAME: '' }) })],
    ['create a group in another VPC', create(OTHER_VPC, OWN_TAGS)],
    ['create a group without the managed tag', create(VPC, { Name: 'AUTOUPDATE_CF-2' })],
    ['create a group with an extra tag key', create(VPC, { ...OWN_TAGS, Owner: 'me' })],
    ["attach to another instance's ENI", call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: 'eni-0aaaaaaaaaaaaaa02', 'SecurityGroupId.1': MANAGED })],
    // issue 20: what IAM decides of the confused-deputy case (the rest is the code's: core/ownership)
    ["revoke the egress of a database's group tagged PREFIX_NAME by mistake", call('RevokeSecurityGroupEgress', { GroupId: TAGGED_DB })],
    ["delete a database's group tagged PREFIX_NAME by mistake", call('DeleteSecurityGroup', { GroupId: TAGGED_DB })],
    ["write the database instance's ENI (detach or attach)", call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: 'eni-0aaaaaaaaaaaaaa02', 'SecurityGroupId.1': TAGGED_DB })],
    ['CreateTags CFGUARD_ADOPTED on a tagged group (adopting it: only cfguard import may)', call('CreateTags', { 'ResourceId.1': TAGGED_DB, ...tags({ CFGUARD_ADOPTED: 'AUTOUPDATE_CF' }) })],
    ['CreateTags CFGUARD_CREATED on a tagged group after creation', call('CreateTags', { 'ResourceId.1': TAGGED_DB, ...tags({ CFGUARD_CREATED: 'AUTOUPDATE_CF' }) })],
    ['create a group that claims adoption', create(VPC, { ...OWN_TAGS, CFGUARD_ADOPTED: 'AUTOUPDATE_CF' })],
    ['create a managed group without the creation tag', create(VPC, { PREFIX_NAME: 'AUTOUPDATE_CF', Name: 'AUTOUPDATE_CF-2' })],
    ['attach on an ENI in another VPC', call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: 'eni-0bbbbbbbbbbbbbb03', 'SecurityGroupId.1': IN_OTHER_VPC })],
    // issue 20: which groups the media server's ENI may name (the code's side: core/ownership interfaceRefusals)
    ["attach the database's group tagged PREFIX_NAME by mistake to the media server's ENI", nameOnMediaEni(FOREIGN, MANAGED, TAGGED_DB)],
    ["keep the database's tagged group on the media server's ENI while attaching a managed group", nameOnMediaEni(TAGGED_DB, MANAGED)],
    ["name a group of the guard's prefix from another VPC on the media server's ENI", nameOnMediaEni(FOREIGN, IN_OTHER_VPC)],
    ["name another prefix's group on the media server's ENI", nameOnMediaEni(FOREIGN, MANAGED, OTHER_PREFIX)],
    ["name another team's untagged group on the media server's ENI (only the own group is named by ARN)", nameOnMediaEni(FOREIGN, MANAGED, MONITORING)],
  ])('denies: %s', async (_name, c) => {
    const decisions = await callDecision(c);
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.some((d) => !d.endsWith('=Allowed'))).toBe(true);
  });

  test.each([
    ['allows', "another team's untagged group next to the own group (the weaker stand-in)", nameOnMediaEni(FOREIGN, MANAGED, MONITORING), true],
    ['allows', 'the own group, a created and an adopted group', nameOnMediaEni(FOREIGN, MANAGED, ADOPTED), true],
    ['denies', "the database's group tagged PREFIX_NAME by mistake", nameOnMediaEni(FOREIGN, MANAGED, TAGGED_DB), false],
    ['denies', "the instance's own group once tagged PREFIX_NAME (it cannot be told from a foreign tagged one)", nameOnMediaEni(TAGGED_DB, MANAGED), false],
    ['denies', "a group of the guard's prefix from another VPC", nameOnMediaEni(FOREIGN, IN_OTHER_VPC), false],
  ])('without instanceSecurityGroupId the policy %s on the media ENI: %s', async (_verb, _name, c, allowed) => {
    const decisions = await callDecision(c, WITHOUT_OWN_GROUP);
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.every((d) => d.endsWith('=Allowed'))).toBe(allowed);
  });

  test.each([
    ['ec2:AuthorizeSecurityGroupIngress', `arn:aws:ec2:eu-north-1:${ACCOUNT}:security-group/*`],
    ['ec2:DeleteSecurityGroup', `arn:aws:ec2:eu-north-1:${ACCOUNT}:security-group/*`],
    ['ec2:ModifyNetworkInterfaceAttribute', `arn:aws:ec2:eu-north-1:${ACCOUNT}:network-interface/*`],
    ['ec2:CreateTags', `arn:aws:ec2:eu-north-1:${ACCOUNT}:security-group/*`],
    ['ec2:TerminateInstances', `arn:aws:ec2:eu-north-1:${ACCOUNT}:instance/${INSTANCE}`],
    ['ec2:RunInstances', `arn:aws:ec2:eu-north-1:${ACCOUNT}:instance/*`],
    ['ec2:DeleteVpc', `arn:aws:ec2:eu-north-1:${ACCOUNT}:vpc/${VPC}`],
  ])('denies %s on %s without the conditions that scope it', async (action, resource) => {
    expect(await decide(POLICY, { action, resource, context: {}, why: action })).not.toBe('Allowed');
  });
});

describe('the policy for two origins (secondaryOrigin: GUARDED_INSTANCE_IDS)', () => {
  const SECOND = 'i-0aaaaaaaaaaaaaaa3';
  const THIRD_ENI = 'eni-0aaaaaaaaaaaaaa02';
  const TWO = {
    ...FACTS,
    enis: { ...FACTS.enis, 'eni-0aaaaaaaaaaaaaa04': { vpcId: VPC, subnetId: 'subnet-0aaaaaaaaaaaaaa2', instanceId: SECOND } },
    instances: { ...FACTS.instances, [SECOND]: { vpcId: VPC } },
  };
  const both = buildGuardPolicy({
    partition: 'aws',
    accountId: ACCOUNT,
    region: 'eu-north-1',
    functionName: 'guard',
    prefixName: 'AUTOUPDATE_CF',
    vpcId: VPC,
    instanceId: INSTANCE,
    instanceIds: [INSTANCE, SECOND],
  });
  const attach = (eniId: string): RecordedCall => ({
    service: 'ec2',
    action: 'ModifyNetworkInterfaceAttribute',
    params: { NetworkInterfaceId: eniId, 'SecurityGroupId.1': FOREIGN, 'SecurityGroupId.2': MANAGED },
    region: 'eu-north-1',
    ok: true,
    ec2: TWO,
  });
  const decisions = async (policy: typeof POLICY, c: RecordedCall) => Promise.all(ec2Requests(c).map(async (r) => `${r.resource.split(':').pop()}=${await decide(policy, r)}`));

  test('AttachToOwnInstance lists exactly the two instances', () => {
    const statement = both.Statement.find((s) => s.Sid === 'AttachToOwnInstance')!;
    expect(statement.Resource).toEqual([`arn:aws:ec2:eu-north-1:${ACCOUNT}:instance/${INSTANCE}`, `arn:aws:ec2:eu-north-1:${ACCOUNT}:instance/${SECOND}`]);
  });

  test.each([
    ["the primary's ENI", 'eni-0aaaaaaaaaaaaaa01'],
    ["the secondary's ENI", 'eni-0aaaaaaaaaaaaaa04'],
  ])('allows attaching to %s', async (_name, eniId) => {
    const d = await decisions(both, attach(eniId));
    expect(d.length).toBeGreaterThan(0);
    expect(d.filter((x) => !x.endsWith('=Allowed'))).toEqual([]);
  });

  test("denies attaching to a third instance's ENI in the same VPC", async () => {
    const d = await decisions(both, attach(THIRD_ENI));
    expect(d).toContain(`instance/${OTHER_INSTANCE}=ImplicitlyDenied`);
  });

  test("the single-origin policy denies the secondary's ENI: the list, not the VPC, decides", async () => {
    const d = await decisions(POLICY, attach('eni-0aaaaaaaaaaaaaa04'));
    expect(d).toContain(`instance/${SECOND}=ImplicitlyDenied`);
  });
});
