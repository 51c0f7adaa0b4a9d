import { guardError } from '../core/errors';
import { MANAGED_TAG_KEY } from '../core/sync-token';
import { describeGroup } from './ec2-reads';
import type { Ec2Shell, InstanceRecord, SecurityGroupRecord } from './security-group-manager';

/**
 * The instance's own security group: the one the tutorial opened 22 and 80 on, and the one that
 * receives the ingest rules. Named explicitly (a flag, then the config), or else the single group
 * on the instance that is neither managed (tagged PREFIX_NAME) nor an AUTOUPDATE* leftover.
 */
export function isGuardGroup(group: Pick<SecurityGroupRecord, 'groupName' | 'tags'>, prefixName: string): boolean {
  return MANAGED_TAG_KEY in group.tags || group.groupName.startsWith(`${prefixName}-`) || group.groupName.startsWith('AUTOUPDATE');
}

export interface OwnGroupQuery {
  readonly groupId?: string;
  /** Where `groupId` came from, for the error message. */
  readonly groupIdFrom?: string;
  readonly instance?: InstanceRecord;
  readonly prefixName: string;
}

export async function resolveOwnGroup(ec2: Ec2Shell, q: OwnGroupQuery): Promise<SecurityGroupRecord> {
  if (q.groupId) return describeGroup(ec2, q.groupId, q.groupIdFrom ?? '--group-id');
  if (!q.instance) {
    throw guardError('OWN_GROUP_NOT_FOUND', "the group to change is unknown: pass --group-id, or --instance-id (or set instanceId in the config) to use the instance's own group", 'usage');
  }
  const ids = [...new Set(q.instance.enis.flatMap((e) => e.groupIds))];
  const groups = ids.length > 0 ? await ec2.readGroups({ groupIds: ids }) : [];
  const own = groups.filter((g) => !isGuardGroup(g, q.prefixName));
  if (own.length === 1) return own[0];
  const listed = own.map((g) => `${g.groupId} (${g.groupName})`).join(', ');
  throw guardError(
    'OWN_GROUP_NOT_FOUND',
    own.length === 0
      ? `instance ${q.instance.instanceId} has no security group besides the managed ones; pass --group-id, or set instanceSecurityGroupId in the config`
      : `instance ${q.instance.instanceId} has ${own.length} groups of its own (${listed}); name the one for ingest with --group-id, or set instanceSecurityGroupId in the config`,
    'usage',
    { instanceId: q.instance.instanceId, candidates: own.map((g) => g.groupId) },
  );
}
