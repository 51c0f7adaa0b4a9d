import { ALLOW_ALL_EGRESS, insertGroup } from './actions/groups';
import { exceedsRuleQuota } from './actions/rules';
import type { Limits } from './actions/context';
import { ruleIdentity, ruleOfSeed } from './permissions';
import { newId, newPrivateIp, newPublicIp, type Ec2State, type EniRecord } from './state';
import type { EmuRule, SeedRule } from './types';

/**
 * Seeding writes straight into the state (no calls recorded, no faults), but still refuses what
 * EC2 could never hold, so a test cannot start from an impossible world.
 */

function requireVpc(state: Ec2State, vpcId: string): void {
  if (!state.vpcs.has(vpcId)) throw new Error(`seed: VPC '${vpcId}' does not exist; create it with addVpc() first`);
}

function seedGroupIds(state: Ec2State, limits: Limits, vpcId: string, groupIds: readonly string[] | undefined): string[] {
  const ids = groupIds && groupIds.length > 0 ? [...new Set(groupIds)] : [defaultGroupOf(state, vpcId)];
  for (const id of ids) {
    const group = state.groups.get(id);
    if (!group || group.vpcId !== vpcId) throw new Error(`seed: security group '${id}' does not exist in VPC '${vpcId}'`);
  }
  if (ids.length > limits.groupsPerInterface) {
    throw new Error(`seed: ${ids.length} groups exceed groupsPerInterface (${limits.groupsPerInterface}); EC2 cannot hold that`);
  }
  return ids;
}

function defaultGroupOf(state: Ec2State, vpcId: string): string {
  const group = [...state.groups.values()].find((g) => g.vpcId === vpcId && g.groupName === 'default');
  if (!group) throw new Error(`seed: VPC '${vpcId}' has no default group`);
  return group.groupId;
}

/** A VPC and its `default` group (all traffic from itself in, everything out), as EC2 creates them. */
export function seedVpc(state: Ec2State, opts: { isDefault?: boolean; vpcId?: string } = {}): string {
  const isDefault = opts.isDefault ?? false;
  if (opts.vpcId !== undefined && state.vpcs.has(opts.vpcId)) throw new Error(`seed: VPC '${opts.vpcId}' already exists`);
  if (isDefault && [...state.vpcs.values()].some((v) => v.isDefault)) throw new Error('seed: there is already a default VPC; a region has at most one');
  const vpcId = opts.vpcId ?? newId(state, 'vpc');
  const cidrBlock = isDefault ? '172.31.0.0/16' : `10.${state.vpcs.size % 256}.0.0/16`;
  state.vpcs.set(vpcId, { vpcId, isDefault, cidrBlock, tags: {} });
  const groupId = newId(state, 'sg');
  insertGroup(state, {
    groupId,
    groupName: 'default',
    description: 'default VPC security group',
    vpcId,
    tags: {},
    ingress: [{ protocol: '-1', fromPort: -1, toPort: -1, source: groupId }],
    egress: [{ ...ALLOW_ALL_EGRESS }],
  });
  return vpcId;
}

function seedRules(state: Ec2State, limits: Limits, seeds: readonly SeedRule[], what: string): EmuRule[] {
  const rules = seeds.map(ruleOfSeed);
  const keys = new Set<string>();
  for (const rule of rules) {
    if (rule.source.startsWith('sg-') && !state.groups.has(rule.source)) throw new Error(`seed: ${what} references unknown group '${rule.source}'`);
    if (keys.has(ruleIdentity(rule))) throw new Error(`seed: ${what} has the same rule twice: ${JSON.stringify(rule)}`);
    keys.add(ruleIdentity(rule));
  }
  if (exceedsRuleQuota(rules, limits.rulesPerGroup)) throw new Error(`seed: ${what} exceeds rulesPerGroup (${limits.rulesPerGroup}) in one address family`);
  return rules;
}

export function seedSecurityGroup(
  state: Ec2State,
  limits: Limits,
  opts: { vpcId: string; name: string; description?: string; tags?: Record<string, string>; ingress?: SeedRule[]; egress?: SeedRule[] },
): string {
  requireVpc(state, opts.vpcId);
  const ingress = seedRules(state, limits, opts.ingress ?? [], `group '${opts.name}' ingress`);
  const egress = opts.egress ? seedRules(state, limits, opts.egress, `group '${opts.name}' egress`) : [{ ...ALLOW_ALL_EGRESS }];
  const group = insertGroup(state, { groupName: opts.name, description: opts.description ?? opts.name, vpcId: opts.vpcId, tags: { ...(opts.tags ?? {}) }, ingress, egress });
  return group.groupId;
}

function attachNewEni(state: Ec2State, vpcId: string, groupIds: string[], instanceId: string | undefined, deviceIndex: number | undefined): EniRecord {
  const eniId = newId(state, 'eni');
  const eni: EniRecord = {
    eniId,
    vpcId,
    groupIds,
    privateIp: newPrivateIp(state),
    macAddress: `02:${eniId.slice(4, 14).match(/../g)?.join(':')}`,
    tags: {},
    ...(instanceId !== undefined ? { instanceId, deviceIndex, attachmentId: newId(state, 'eni-attach') } : {}),
  };
  state.enis.set(eniId, eni);
  return eni;
}

export function seedInstance(state: Ec2State, limits: Limits, opts: { vpcId: string; groupIds?: string[]; eniCount?: number }): { instanceId: string; eniIds: string[] } {
  requireVpc(state, opts.vpcId);
  const eniCount = opts.eniCount ?? 1;
  if (!Number.isInteger(eniCount) || eniCount < 1) throw new Error(`seed: 'eniCount' must be an integer >= 1, got ${eniCount}`);
  const groupIds = seedGroupIds(state, limits, opts.vpcId, opts.groupIds);
  const instanceId = newId(state, 'i');
  const eniIds = Array.from({ length: eniCount }, (_, i) => attachNewEni(state, opts.vpcId, [...groupIds], instanceId, i).eniId);
  state.instances.set(instanceId, { instanceId, vpcId: opts.vpcId, reservationId: newId(state, 'r'), eniIds, tags: {} });
  return { instanceId, eniIds: [...eniIds] };
}

export function seedEni(state: Ec2State, limits: Limits, opts: { vpcId: string; groupIds?: string[]; instanceId?: string }): string {
  requireVpc(state, opts.vpcId);
  const groupIds = seedGroupIds(state, limits, opts.vpcId, opts.groupIds);
  const instance = opts.instanceId !== undefined ? state.instances.get(opts.instanceId) : undefined;
  if (opts.instanceId !== undefined && (!instance || instance.vpcId !== opts.vpcId)) {
    throw new Error(`seed: instance '${opts.instanceId}' does not exist in VPC '${opts.vpcId}'`);
  }
  const eni = attachNewEni(state, opts.vpcId, groupIds, instance?.instanceId, instance?.eniIds.length);
  instance?.eniIds.push(eni.eniId);
  return eni.eniId;
}

/** An Elastic IP, associated with the instance's primary ENI when an instance is given. */
export function seedAddress(state: Ec2State, opts: { instanceId?: string; publicIp?: string }): { allocationId: string; publicIp: string } {
  const publicIp = opts.publicIp ?? newPublicIp(state);
  if ([...state.addresses.values()].some((a) => a.publicIp === publicIp)) throw new Error(`seed: address ${publicIp} is already allocated`);
  let eniId: string | undefined;
  if (opts.instanceId !== undefined) {
    const instance = state.instances.get(opts.instanceId);
    if (!instance) throw new Error(`seed: instance '${opts.instanceId}' does not exist`);
    eniId = instance.eniIds[0];
    if ([...state.addresses.values()].some((a) => a.eniId === eniId)) throw new Error(`seed: instance '${opts.instanceId}' already has an Elastic IP`);
  }
  const allocationId = newId(state, 'eipalloc');
  state.addresses.set(allocationId, {
    allocationId,
    publicIp,
    tags: {},
    ...(opts.instanceId !== undefined ? { instanceId: opts.instanceId, eniId, associationId: newId(state, 'eipassoc') } : {}),
  });
  return { allocationId, publicIp };
}
