import type { Ec2Shell, InstanceRecord, SecurityGroupRecord } from '../../lambda-src/aws/security-group-manager';
import { resolveDefaultVpc } from '../../lambda-src/aws/ec2-state';
import { isGuardError } from '../../lambda-src/core/errors';
import type { GuardSettings } from '../../lambda-src/config/settings';
import { MANAGED_TAG_KEY } from '../../lambda-src/core/sync-token';
import { describeInstance } from '../../lambda-src/aws/ec2-reads';
import { resolveOwnGroup } from '../../lambda-src/aws/own-group';

/**
 * What the tutorial left behind, read-only: the groups its Lambda made (tagged, and the overflow
 * groups it created without the tag), the instance's Elastic IP, and its own group with the
 * hand-made ingest rules and their `sgr-…` ids.
 */
export interface Discovery {
  readonly vpcId: string;
  readonly managedGroups: readonly SecurityGroupRecord[];
  /** `<prefix>-*` / `AUTOUPDATE*` groups without any PREFIX_NAME tag: the tutorial's overflow bug. */
  readonly orphanedGroups: readonly SecurityGroupRecord[];
  /** `AUTOUPDATE*` groups tagged for another prefix: another deployment's, left alone. */
  readonly otherPrefixGroups: readonly SecurityGroupRecord[];
  readonly instance?: InstanceRecord;
  readonly ownGroup?: SecurityGroupRecord;
  /** Why the own group is unknown, when it is. */
  readonly ownGroupProblem?: string;
  readonly elasticIp?: { readonly allocationId: string; readonly publicIp: string };
  /** The own group's ingress rule key -> `sgr-…`. */
  readonly ownRuleIds: ReadonlyMap<string, string>;
}

export async function discover(ec2: Ec2Shell, settings: GuardSettings, instanceSecurityGroup: { id?: string; from: string }): Promise<Discovery> {
  const instance = settings.instanceId ? await describeInstance(ec2, settings.instanceId) : undefined;
  const vpcId = settings.vpcId ?? instance?.vpcId ?? (await resolveDefaultVpc(ec2));
  const prefix = settings.prefixName;
  const named = await ec2.readGroups({ vpcId, groupNames: [`${prefix}-*`, 'AUTOUPDATE*'] });
  const tagged = await ec2.readGroups({ vpcId, tag: { key: MANAGED_TAG_KEY, values: [prefix] } });
  const orphanedGroups = named.filter((g) => !(MANAGED_TAG_KEY in g.tags));
  const otherPrefixGroups = named.filter((g) => MANAGED_TAG_KEY in g.tags && g.tags[MANAGED_TAG_KEY] !== prefix);

  let ownGroup: SecurityGroupRecord | undefined;
  let ownGroupProblem: string | undefined;
  try {
    if (instanceSecurityGroup.id || instance) ownGroup = await resolveOwnGroup(ec2, { groupId: instanceSecurityGroup.id, groupIdFrom: instanceSecurityGroup.from, instance, prefixName: prefix });
    else ownGroupProblem = 'no instance id (--instance-id or instanceId in the config) and no --group-id';
  } catch (e) {
    if (!isGuardError(e) || e.code !== 'OWN_GROUP_NOT_FOUND') throw e;
    ownGroupProblem = e.message;
  }
  return {
    vpcId,
    managedGroups: tagged,
    orphanedGroups,
    otherPrefixGroups,
    ...(instance ? { instance } : {}),
    ...(ownGroup ? { ownGroup } : { ownGroupProblem }),
    ...(instance ? { elasticIp: await ec2.readInstanceAddress(instance.instanceId) } : {}),
    ownRuleIds: ownGroup ? await ec2.readIngressRuleIds(ownGroup.groupId) : new Map(),
  };
}
