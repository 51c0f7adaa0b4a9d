/**
 * Adoption: the only way a group the guard did not create becomes the guard's (core/ownership). The
 * tutorial's groups (tagged or orphaned) are adopted by `cfguard import --apply`, under operator
 * credentials, by tagging them CFGUARD_ADOPTED=<prefix>; the function's IAM policy can never write
 * that tag. A group is adopted only if the one ownership decision would then call it the guard's: it
 * holds nothing but rules a document could grant, no egress but EC2's default, is not the instance's
 * own group, and sits on no interface but the instance's. Anything else is named and left alone.
 */
import { toManagedGroup } from '../../lambda-src/aws/ec2-state';
import type { SecurityGroupRecord } from '../../lambda-src/aws/security-group-manager';
import type { NetworkInterface } from '../../lambda-src/core/model';
import { ADOPTED_TAG_KEY, partitionGroups, type OwnershipPolicy, type RefusedGroup } from '../../lambda-src/core/ownership';
import { CREATED_TAG_KEY } from '../../lambda-src/core/sync-token';

export interface Adoption {
  /** Groups to tag CFGUARD_ADOPTED (and PREFIX_NAME), already adopted ones left out. */
  readonly adopt: readonly SecurityGroupRecord[];
  /** Groups already the guard's (created by it, or adopted before). */
  readonly owned: readonly SecurityGroupRecord[];
  /** Groups import will not adopt, each with the reason and stable code. */
  readonly refused: readonly RefusedGroup[];
}

/** `candidates`: the tutorial-named groups (tagged and orphaned); `interfaces`: every interface in the VPC carrying one. */
export function planAdoption(candidates: readonly SecurityGroupRecord[], interfaces: readonly NetworkInterface[], policy: OwnershipPolicy): Adoption {
  // Ask the ownership decision as if each were adopted: what it would still refuse, import refuses too.
  const asAdopted = candidates.map((g) => ({ ...toManagedGroup(g), adoptedBy: g.tags[ADOPTED_TAG_KEY] ?? policy.prefixName }));
  const { owned, refused } = partitionGroups(asAdopted, interfaces, policy);
  const ownedIds = new Set(owned.map((g) => g.groupId));
  const accepted = candidates.filter((g) => ownedIds.has(g.groupId));
  // a group the guard created before it wrote CFGUARD_CREATED is adopted too, so the function's policy lets it strip and delete it
  const isOwnAlready = (g: SecurityGroupRecord) => g.tags[ADOPTED_TAG_KEY] === policy.prefixName || g.tags[CREATED_TAG_KEY] === policy.prefixName;
  return { adopt: accepted.filter((g) => !isOwnAlready(g)), owned: accepted.filter(isOwnAlready), refused };
}
