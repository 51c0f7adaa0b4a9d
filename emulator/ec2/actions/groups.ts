import { apiError, invalidValue, missingParameter } from '../errors';
import { defaultVpc, groupByName, newId, OWNER_ID, type Ec2State, type GroupRecord } from '../state';
import type { EmuRule } from '../types';
import { el, tagSet } from '../xml';
import { requireGroup, requireWellFormed, type ActionContext } from './context';
import { parseTagSpecifications } from './tags';

/** CreateSecurityGroup and DeleteSecurityGroup, with EC2's naming rules and dependency checks. */

/** The rule EC2 gives every new VPC group. */
export const ALLOW_ALL_EGRESS: EmuRule = { protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' };

const VPC_GROUP_TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

export function checkGroupName(name: string): void {
  if (name.length === 0 || name.length > 255) throw invalidValue('GroupName', name, 'Group names must be 1-255 characters.');
  if (!VPC_GROUP_TEXT.test(name)) throw invalidValue('GroupName', name, 'Character sets beyond a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* are not supported.');
  if (/^sg-/i.test(name)) throw invalidValue('GroupName', name, 'Group names may not be in the format sg-*.');
  if (name === 'default') throw invalidValue('GroupName', name, 'Cannot use reserved security group name: default.');
}

export function checkGroupDescription(description: string): void {
  if (description.length > 255) throw invalidValue('GroupDescription', description, 'Descriptions must be at most 255 characters.');
  if (!VPC_GROUP_TEXT.test(description)) throw invalidValue('GroupDescription', description, 'Character sets beyond a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* are not supported.');
}

/** Creates a group record (no validation beyond uniqueness); shared with seeding. */
export function insertGroup(state: Ec2State, fields: Omit<GroupRecord, 'groupId'> & { groupId?: string }): GroupRecord {
  if (groupByName(state, fields.vpcId, fields.groupName)) {
    throw apiError('InvalidGroup.Duplicate', `The security group '${fields.groupName}' already exists for VPC '${fields.vpcId}'`);
  }
  const group: GroupRecord = { ...fields, groupId: fields.groupId ?? newId(state, 'sg') };
  state.groups.set(group.groupId, group);
  return group;
}

export function createSecurityGroup(ctx: ActionContext): string {
  const { state, params } = ctx;
  const groupName = params.get('GroupName');
  const description = params.get('GroupDescription');
  if (groupName === undefined) throw missingParameter('groupName');
  if (description === undefined) throw missingParameter('groupDescription');
  checkGroupName(groupName);
  checkGroupDescription(description);
  const tags = parseTagSpecifications(params, 'security-group');
  const requestedVpc = params.get('VpcId');
  let vpcId: string;
  if (requestedVpc !== undefined) {
    requireWellFormed(requestedVpc, 'vpc', 'InvalidVpcID.Malformed');
    if (!state.vpcs.has(requestedVpc)) throw apiError('InvalidVpcID.NotFound', `The vpc ID '${requestedVpc}' does not exist`);
    vpcId = requestedVpc;
  } else {
    const fallback = defaultVpc(state);
    if (!fallback) throw apiError('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.');
    vpcId = fallback.vpcId;
  }
  const group = insertGroup(state, { groupName, description, vpcId, tags, ingress: [], egress: [{ ...ALLOW_ALL_EGRESS }] });
  return el('return', true) + el('groupId', group.groupId) + tagSet(group.tags) + el('securityGroupArn', `arn:aws:ec2:${ctx.region}:${OWNER_ID}:security-group/${group.groupId}`);
}

function groupToDelete(ctx: ActionContext): GroupRecord {
  const { state, params } = ctx;
  const name = params.get('GroupName');
  if (params.get('GroupId') === undefined && name !== undefined) {
    const vpc = defaultVpc(state);
    const group = vpc ? groupByName(state, vpc.vpcId, name) : undefined;
    if (!group) throw apiError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpc?.vpcId ?? 'none'}'`);
    return group;
  }
  return requireGroup(state, params.get('GroupId'));
}

export function deleteSecurityGroup(ctx: ActionContext): string {
  const { state } = ctx;
  const group = groupToDelete(ctx);
  if (group.groupName === 'default') {
    throw apiError('CannotDelete', `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`);
  }
  const onEni = [...state.enis.values()].some((e) => e.groupIds.includes(group.groupId));
  const referenced = [...state.groups.values()].some((g) => g.groupId !== group.groupId && [...g.ingress, ...g.egress].some((r) => r.source === group.groupId));
  if (onEni || referenced) throw apiError('DependencyViolation', `resource ${group.groupId} has a dependent object`);
  state.groups.delete(group.groupId);
  return el('return', true) + el('groupId', group.groupId);
}
