import { guardError } from '../lambda-src/core/errors';
import { EC2_MAX_GROUPS_PER_INTERFACE, EC2_RULES_TIMES_GROUPS_LIMIT } from '../lambda-src/core/quota';

/**
 * Rules one reference to a CloudFront managed prefix list counts as, against EC2's rules-per-group
 * quota: the list's max entries, which AWS publishes as its "weight" (55 for the IPv4 and the IPv6
 * list alike). IPv4 and IPv6 rules have separate quotas, so each list counts only in its family.
 */
export const CLOUDFRONT_PREFIX_LIST_WEIGHT = 55;

export interface PrefixListQuotaInput {
  /** Groups the mode creates: one per port. */
  readonly portCount: number;
  readonly rulesPerGroup: number;
  readonly groupsPerInterface: number;
  /** Groups already on the interface that stay there. */
  readonly existingGroupsOnInterface: number;
}

/** Fails at synth when the prefix-list groups cannot fit EC2's quotas; the error says what to raise. */
export function assertPrefixListQuotas(q: PrefixListQuotaInput): void {
  // One group per port holds exactly one reference per family, so each family needs the list's weight.
  if (q.rulesPerGroup < CLOUDFRONT_PREFIX_LIST_WEIGHT) {
    throw guardError(
      'QUOTA_RULES_PER_GROUP',
      `a reference to CloudFront's managed prefix list counts as ${CLOUDFRONT_PREFIX_LIST_WEIGHT} rules, above 'rulesPerGroup' (${q.rulesPerGroup}); raise EC2's 'Inbound or outbound rules per security group' quota and 'rulesPerGroup' to ${CLOUDFRONT_PREFIX_LIST_WEIGHT}, or use guard mode 'lambda'`,
      'usage',
      { quota: 'rulesPerGroup', rulesPerGroup: q.rulesPerGroup, weight: CLOUDFRONT_PREFIX_LIST_WEIGHT, raiseTo: CLOUDFRONT_PREFIX_LIST_WEIGHT },
    );
  }
  const needed = q.portCount + q.existingGroupsOnInterface;
  if (needed <= q.groupsPerInterface) return;
  const where = `${q.portCount} prefix-list group(s), one per port, + ${q.existingGroupsOnInterface} existing = ${needed} groups on the interface, above 'groupsPerInterface' (${q.groupsPerInterface})`;
  const productOk = needed * q.rulesPerGroup <= EC2_RULES_TIMES_GROUPS_LIMIT;
  const fix =
    needed > EC2_MAX_GROUPS_PER_INTERFACE
      ? `EC2 allows at most ${EC2_MAX_GROUPS_PER_INTERFACE} groups per interface, so open fewer ports (a range like '8000-8010/tcp' is one group)`
      : `raise EC2's 'Security groups per network interface' quota and 'groupsPerInterface' to ${needed}` +
        (productOk ? '' : ` and lower 'rulesPerGroup' to ${Math.floor(EC2_RULES_TIMES_GROUPS_LIMIT / needed)} (EC2 caps rules x groups at ${EC2_RULES_TIMES_GROUPS_LIMIT})`) +
        `, or open fewer ports`;
  throw guardError('QUOTA_GROUPS_PER_INTERFACE', `${where}; ${fix}`, 'usage', {
    quota: 'groupsPerInterface',
    groupsPerInterface: q.groupsPerInterface,
    groupsNeeded: needed,
    ...(needed <= EC2_MAX_GROUPS_PER_INTERFACE ? { raiseTo: needed } : {}),
  });
}
