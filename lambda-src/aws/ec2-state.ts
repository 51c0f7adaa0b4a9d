/** Reads the actual state: the only EC2 reads the reconciler makes. */
import { guardError } from '../core/errors';
import type { ActualState, ManagedGroup, NetworkInterface, Plan } from '../core/model';
import { MANAGED_TAG_KEY, SYNC_TOKEN_TAG_KEY } from '../core/sync-token';
import { ADOPTED_TAG_KEY } from '../core/ownership';
import type { SecurityGroupManager, SecurityGroupRecord } from './security-group-manager';

export interface StateQuery {
  readonly prefixName: string;
  readonly vpcId?: string;
  /** The guarded instances (core/ownership guardedInstanceList): their interfaces are read whatever they carry. @default - none */
  readonly instanceIds?: readonly string[];
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

/** The record as the planner sees it: the tags the guard reads become fields. */
export function toManagedGroup({ tags, ...group }: SecurityGroupRecord): ManagedGroup {
  return {
    ...group,
    ...(SYNC_TOKEN_TAG_KEY in tags ? { syncToken: tags[SYNC_TOKEN_TAG_KEY] } : {}),
    ...(ADOPTED_TAG_KEY in tags ? { adoptedBy: tags[ADOPTED_TAG_KEY] } : {}),
  };
}

export async function readManagedGroups(ec2: SecurityGroupManager, prefixName: string, vpcId: string): Promise<ManagedGroup[]> {
  const groups = await ec2.readGroups({ tag: { key: MANAGED_TAG_KEY, values: [prefixName] }, vpcId });
  return groups.map(toManagedGroup);
}

/** Every ENI in the VPC that is a guarded instance's or carries a managed group; one filter (the VPC), so one call per page whatever the number of instances. */
export async function readInterfaces(ec2: SecurityGroupManager, vpcId: string, managedIds: ReadonlySet<string>, instanceIds: readonly string[] = []): Promise<NetworkInterface[]> {
  const all = await ec2.readInterfaces({ vpcId });
  return all.filter((eni) => (eni.instanceId !== undefined && instanceIds.includes(eni.instanceId)) || eni.groupIds.some((id) => managedIds.has(id)));
}

/** Two reads when VPC_ID is set: the managed groups, then the ENIs. */
export async function readActualState(ec2: SecurityGroupManager, query: StateQuery): Promise<ActualState> {
  const vpcId = query.vpcId ?? (await resolveDefaultVpc(ec2));
  const groups = await readManagedGroups(ec2, query.prefixName, vpcId);
  const enis = await readInterfaces(ec2, vpcId, new Set(groups.map((g) => g.groupId)), query.instanceIds);
  return { vpcId, groups, enis };
}

/**
 * Which of `groupIds` other groups' rules name (inbound or outbound), by group: two reads. EC2
 * answers DeleteSecurityGroup on such a group with DependencyViolation ("resource has a dependent
 * object"), so the planner must know before it plans a deletion (and the detach that precedes it).
 */
export async function readReferences(ec2: SecurityGroupManager, groupIds: readonly string[]): Promise<Record<string, string[]>> {
  const wanted = new Set(groupIds);
  const byGroup: Record<string, string[]> = {};
  for (const egress of [false, true]) {
    for (const g of await ec2.readGroups({ referencing: { groupIds, egress } })) {
      for (const r of egress ? g.egress : g.ingress) {
        if (!wanted.has(r.source) || r.source === g.groupId) continue;
        const list = (byGroup[r.source] ??= []);
        if (!list.includes(g.groupId)) list.push(g.groupId);
      }
    }
  }
  return byGroup;
}

/**
 * Plans, and when the plan deletes groups, first learns which of them other groups' rules name (two
 * reads, only then) and plans again with that: a referenced group is never detached for a delete EC2
 * would refuse. Returns the plan and the state it was made from.
 */
export async function planWithReferences(ec2: SecurityGroupManager, actual: ActualState, planFor: (state: ActualState) => Plan): Promise<{ actual: ActualState; plan: Plan }> {
  const plan = planFor(actual);
  const deleting = plan.steps.flatMap((s) => (s.kind === 'deleteGroup' ? [s.group] : []));
  const referencedBy = deleting.length > 0 ? await readReferences(ec2, deleting) : {};
  if (Object.keys(referencedBy).length === 0) return { actual, plan };
  const withReferences = { ...actual, referencedBy };
  return { actual: withReferences, plan: planFor(withReferences) };
}
