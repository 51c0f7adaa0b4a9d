/** Reads the actual state: the only EC2 reads the reconciler makes. */
import { guardError } from '../core/errors';
import type { ActualState, ManagedGroup, NetworkInterface } from '../core/model';
import { MANAGED_TAG_KEY, SYNC_TOKEN_TAG_KEY } from '../core/sync-token';
import { ADOPTED_TAG_KEY } from '../core/ownership';
import type { SecurityGroupManager, SecurityGroupRecord } from './security-group-manager';

export interface StateQuery {
  readonly prefixName: string;
  readonly vpcId?: string;
  readonly instanceId?: string;
}

/** The region's default VPC, for a configuration that names none (the tutorial's behaviour). */
export async function resolveDefaultVpc(ec2: SecurityGroupManager): Promise<string> {
  const vpcId = await ec2.defaultVpcId();
  if (!vpcId) throw guardError('VPC_NOT_FOUND', 'VPC_ID is empty and the region has no default VPC; set VPC_ID to the VPC of the origin instance', 'usage');
  return vpcId;
}

/** Fails with VPC_NOT_FOUND unless the VPC exists; called only when nothing read so far proves it. */
export async function assertVpcExists(ec2: SecurityGroupManager, vpcId: string): Promise<void> {
  if (!(await ec2.vpcExists(vpcId))) {
    throw guardError('VPC_NOT_FOUND', `VPC_ID '${vpcId}' does not exist in this region; set VPC_ID to the VPC of the origin instance. Nothing was changed.`, 'usage', { vpcId });
  }
}

export function toManagedGroup(g: SecurityGroupRecord): ManagedGroup {
  return {
    groupId: g.groupId,
    groupName: g.groupName,
    vpcId: g.vpcId,
    ...(g.description !== undefined ? { description: g.description } : {}),
    ingress: g.ingress,
    egress: g.egress,
    ...(SYNC_TOKEN_TAG_KEY in g.tags ? { syncToken: g.tags[SYNC_TOKEN_TAG_KEY] } : {}),
    ...(ADOPTED_TAG_KEY in g.tags ? { adoptedBy: g.tags[ADOPTED_TAG_KEY] } : {}),
  };
}

export async function readManagedGroups(ec2: SecurityGroupManager, prefixName: string, vpcId: string): Promise<ManagedGroup[]> {
  const groups = await ec2.readGroups({ tag: { key: MANAGED_TAG_KEY, values: [prefixName] }, vpcId });
  return groups.map(toManagedGroup);
}

/** Every ENI in the VPC that is the instance's or carries a managed group; one filter, so one call per page. */
export async function readInterfaces(ec2: SecurityGroupManager, vpcId: string, managedIds: ReadonlySet<string>, instanceId?: string): Promise<NetworkInterface[]> {
  const all = await ec2.readInterfaces({ vpcId });
  return all.filter((eni) => (instanceId !== undefined && eni.instanceId === instanceId) || eni.groupIds.some((id) => managedIds.has(id)));
}

/** Two reads when VPC_ID is set: the managed groups, then the ENIs. */
export async function readActualState(ec2: SecurityGroupManager, query: StateQuery): Promise<ActualState> {
  const vpcId = query.vpcId ?? (await resolveDefaultVpc(ec2));
  const groups = await readManagedGroups(ec2, query.prefixName, vpcId);
  const enis = await readInterfaces(ec2, vpcId, new Set(groups.map((g) => g.groupId)), query.instanceId);
  return { vpcId, groups, enis };
}
