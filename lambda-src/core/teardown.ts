/**
 * The teardown planner: detach every group the guard owns from the guarded interfaces (keeping all
 * other groups), then delete those groups. Pure, ordered and idempotent, like the reconcile planner.
 * It asks the one ownership question (core/ownership): a tagged group the guard cannot prove its
 * own, or one another instance's interface carries, is reported and left exactly where it is.
 */
import { guardError } from './errors';
import type { ActualState, Plan, Step } from './model';
import { refusalFinding, type Finding } from './findings';
import { partitionGroups, type OwnershipPolicy } from './ownership';
import { orderGroups } from './placement';

export function planTeardown(actual: ActualState, policy: OwnershipPolicy): Plan {
  const partition = partitionGroups(actual.groups, actual.enis, policy);
  const { owned, writableEnis } = partition;
  const refused = [...partition.refused, ...partition.refusedInterfaces];
  // A group other groups' rules name cannot be deleted (DependencyViolation): it is neither detached nor deleted, and said so.
  const referenced = owned.filter((g) => (actual.referencedBy?.[g.groupId]?.length ?? 0) > 0);
  // A group on an interface the guard may not rewrite (FOREIGN_GROUP_ON_INTERFACE) cannot be detached, so it is not deleted either.
  const writable = new Set(writableEnis.map((e) => e.eniId));
  const pinned = new Set(partition.guardedEnis.filter((e) => !writable.has(e.eniId)).flatMap((e) => e.groupIds));
  const groups = orderGroups(
    owned.filter((g) => !referenced.includes(g) && !pinned.has(g.groupId)),
    policy.prefixName,
  );
  const managed = new Set(groups.map((g) => g.groupId));
  const enis = writableEnis.filter((e) => e.groupIds.some((id) => managed.has(id)));

  // Every refusal happens before the first write: EC2 will not leave an ENI with no group at all.
  const lone = enis.filter((e) => e.groupIds.every((id) => managed.has(id)));
  if (lone.length > 0) {
    throw guardError(
      'LONE_MANAGED_GROUP',
      `${lone.map((e) => e.eniId).join(', ')} carries only managed groups (PREFIX_NAME=${policy.prefixName}); detaching them would leave it with no security group, which EC2 refuses. Attach the instance's own group to it first, then run the teardown again. Nothing was changed.`,
      'usage',
      { eniIds: lone.map((e) => e.eniId) },
    );
  }

  const steps: Step[] = [];
  for (const eni of enis) {
    const removed = eni.groupIds.filter((id) => managed.has(id));
    steps.push({ kind: 'detach', eniId: eni.eniId, groupIds: eni.groupIds.filter((id) => !managed.has(id)), removed });
  }
  for (const g of groups) steps.push({ kind: 'deleteGroup', group: g.groupId, groupName: g.groupName });

  const rules = groups.reduce((n, g) => n + g.ingress.length, 0);
  return {
    syncToken: '',
    status: steps.length > 0 ? 'changes' : 'in-sync',
    steps,
    held: [],
    summary: { rulesKept: 0, rulesAdded: 0, rulesRevoked: rules, rulesHeld: 0, groupsCreated: 0, enisChanged: enis.length },
    warnings: [
      ...refused.map((g) => refusalFinding(g, policy.prefixName)),
      ...referenced.map((g): Finding => ({ code: 'GROUP_REFERENCED', subject: g.groupId, details: { groupName: g.groupName, referencedBy: actual.referencedBy![g.groupId], during: 'teardown' } })),
    ],
    ...(refused.length > 0 ? { refusedGroups: refused } : {}),
  };
}
