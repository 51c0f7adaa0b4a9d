/**
 * The teardown planner: detach every managed group from every ENI (keeping all other groups), then
 * delete the managed groups. Pure, ordered and idempotent, like the reconcile planner.
 */
import { guardError } from './errors';
import type { ActualState, Plan, Step } from './model';
import { orderGroups } from './placement';

export function planTeardown(actual: ActualState, prefixName: string): Plan {
  const groups = orderGroups(actual.groups, prefixName);
  const managed = new Set(groups.map((g) => g.groupId));
  const enis = actual.enis.filter((e) => e.groupIds.some((id) => managed.has(id))).sort((a, b) => (a.eniId < b.eniId ? -1 : 1));

  // Every refusal happens before the first write: EC2 will not leave an ENI with no group at all.
  const lone = enis.filter((e) => e.groupIds.every((id) => managed.has(id)));
  if (lone.length > 0) {
    throw guardError(
      'LONE_MANAGED_GROUP',
      `${lone.map((e) => e.eniId).join(', ')} carries only managed groups (PREFIX_NAME=${prefixName}); detaching them would leave it with no security group, which EC2 refuses. Attach the instance's own group to it first, then run the teardown again. Nothing was changed.`,
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
    warnings: [],
  };
}
