/**
 * Every EC2 write the product makes: the reconciler's plan, executed in order, one call per step,
 * and the CLI's two writes of its own (open-ingest's rules, import's tags).
 */
import {
  DescribeNetworkInterfacesCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { describeAwsError, type QuotaSettingNames } from './aws-errors';
import { guardError } from '../core/errors';
import { permissionsFromRules } from './ec2-permissions';
import type { GroupRef, Plan, Rule, Step } from '../core/model';
import { MANAGED_TAG_KEY, SYNC_TOKEN_TAG_KEY } from '../core/sync-token';

export interface ApplyOptions {
  readonly vpcId: string;
  /** Called after each step succeeds (progress output, tests that crash between steps), with the ids of the groups created so far by `new:<name>`. */
  readonly onStep?: (step: Step, index: number, createdGroups: Readonly<Record<string, string>>) => void;
  /** Awaited before each step's call (the overlap checkpoints); a throw stops the run before that write. */
  readonly beforeStep?: (step: Step) => Promise<void>;
  /** How the user named the quota settings, for EC2's quota refusals. @default - the Lambda's variables */
  readonly names?: QuotaSettingNames;
}

export interface ApplyReport {
  readonly stepsApplied: number;
  /** `new:<name>` -> the id EC2 gave the group. */
  readonly createdGroups: Readonly<Record<string, string>>;
}

function stepTarget(step: Step): string {
  switch (step.kind) {
    case 'createGroup':
      return step.groupName;
    case 'attach':
    case 'detach':
      return step.eniId;
    case 'deleteGroup':
      return `${step.group} (${step.groupName})`;
    case 'tagSyncToken':
      return step.groups.join(',');
    default:
      return step.group;
  }
}

async function authorizeIngress(ec2: EC2Client, groupId: string, permissions: IpPermission[]): Promise<void> {
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }));
}

async function revokeIngress(ec2: EC2Client, groupId: string, permissions: IpPermission[]): Promise<void> {
  await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }));
}

async function tagResources(ec2: EC2Client, resources: string[], key: string, value: string): Promise<void> {
  await ec2.send(new CreateTagsCommand({ Resources: resources, Tags: [{ Key: key, Value: value }] }));
}

async function send(ec2: EC2Client, step: Step, resolve: (ref: GroupRef) => string, vpcId: string): Promise<string | undefined> {
  switch (step.kind) {
    case 'createGroup': {
      const out = await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: step.groupName,
          Description: step.description,
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: Object.entries(step.tags).map(([Key, Value]) => ({ Key, Value })) }],
        }),
      );
      if (!out.GroupId) throw guardError('AWS_ERROR', `CreateSecurityGroup for ${step.groupName} returned no GroupId`, 'external');
      return out.GroupId;
    }
    case 'revokeEgress':
      await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: resolve(step.group), IpPermissions: permissionsFromRules(step.rules, false) }));
      return undefined;
    case 'authorize':
      await authorizeIngress(ec2, resolve(step.group), permissionsFromRules(step.rules));
      return undefined;
    case 'attach':
    case 'detach': {
      // EC2 has no compare-and-set on an ENI's group list: re-read it right before the modify, so a
      // group attached since the run's read is kept, and the window where it could be lost is one call wide.
      const now = await currentGroupIds(ec2, step.eniId);
      const added = step.kind === 'attach' ? step.added.map(resolve) : [];
      const removed = new Set(step.kind === 'detach' ? step.removed.map(resolve) : []);
      const fresh = [...now.filter((id) => !removed.has(id)), ...added.filter((id) => !now.includes(id))];
      const groups = fresh.length > 0 ? fresh : step.groupIds.map(resolve);
      await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: step.eniId, Groups: groups }));
      return undefined;
    }
    case 'revoke':
      await revokeIngress(ec2, resolve(step.group), permissionsFromRules(step.rules, false));
      return undefined;
    case 'tagSyncToken':
      await tagResources(ec2, step.groups.map(resolve), SYNC_TOKEN_TAG_KEY, step.syncToken);
      return undefined;
    case 'deleteGroup':
      await ec2.send(new DeleteSecurityGroupCommand({ GroupId: resolve(step.group) }));
      return undefined;
  }
}

/** The ENI's group list as EC2 holds it now. */
async function currentGroupIds(ec2: EC2Client, eniId: string): Promise<string[]> {
  const out = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }));
  return (out.NetworkInterfaces?.[0]?.Groups ?? []).map((g) => g.GroupId ?? '').filter((id) => id.length > 0);
}

function hasWork(step: Step): boolean {
  switch (step.kind) {
    case 'attach':
      return step.added.length > 0;
    case 'detach':
      return step.removed.length > 0 && step.groupIds.length > 0;
    case 'tagSyncToken':
      return step.groups.length > 0;
    case 'createGroup':
    case 'deleteGroup':
      return true;
    default:
      return step.rules.length > 0;
  }
}

const ACTIONS: Record<Step['kind'], string> = {
  createGroup: 'CreateSecurityGroup',
  revokeEgress: 'RevokeSecurityGroupEgress',
  authorize: 'AuthorizeSecurityGroupIngress',
  attach: 'ModifyNetworkInterfaceAttribute',
  revoke: 'RevokeSecurityGroupIngress',
  tagSyncToken: 'CreateTags',
  detach: 'ModifyNetworkInterfaceAttribute',
  deleteGroup: 'DeleteSecurityGroup',
};

/**
 * Applies the steps in order. A failure stops the run where it is; because the order is create,
 * authorize, attach, revoke, a stopped run never blocks a published range, and the next run
 * converges from whatever was done.
 */
export async function applyPlan(ec2: EC2Client, plan: Plan, options: ApplyOptions): Promise<ApplyReport> {
  const created: Record<string, string> = {};
  const resolve = (ref: GroupRef) => created[ref] ?? ref;
  let index = 0;
  for (const step of plan.steps) {
    if (!hasWork(step)) continue; // the planner never emits these; the executor refuses to make an empty call regardless
    await options.beforeStep?.(step);
    try {
      const id = await send(ec2, step, resolve, options.vpcId);
      if (step.kind === 'createGroup' && id) created[step.ref] = id;
    } catch (e) {
      throw describeAwsError(e, ACTIONS[step.kind], stepTarget(step), options.names);
    }
    options.onStep?.(step, index, created);
    index++;
  }
  return { stepsApplied: index, createdGroups: created };
}

/**
 * open-ingest: authorizes `authorize` on the instance's own group with `description`, then revokes
 * `revoke`: opening before closing, so a failure between the two calls never leaves less open than asked.
 */
export async function writeIngestRules(ec2: EC2Client, groupId: string, change: { authorize: readonly Rule[]; revoke: readonly Rule[]; description: string }): Promise<void> {
  if (change.authorize.length > 0) {
    await authorizeIngress(ec2, groupId, permissionsFromRules(change.authorize, change.description)).catch((e) => {
      throw describeAwsError(e, 'AuthorizeSecurityGroupIngress', groupId);
    });
  }
  if (change.revoke.length > 0) {
    await revokeIngress(ec2, groupId, permissionsFromRules(change.revoke, false)).catch((e) => {
      throw describeAwsError(e, 'RevokeSecurityGroupIngress', groupId);
    });
  }
}

/** import: tags groups `PREFIX_NAME=<prefixName>` so the guard manages them. */
export async function tagManagedGroups(ec2: EC2Client, groupIds: readonly string[], prefixName: string): Promise<void> {
  if (groupIds.length === 0) return;
  await tagResources(ec2, [...groupIds], MANAGED_TAG_KEY, prefixName).catch((e) => {
    throw describeAwsError(e, 'CreateTags', groupIds.join(','));
  });
}
