/**
 * The planner: desired + actual -> Plan. Pure and deterministic; it never imports @aws-sdk, so the
 * Lambda, the CLI and the property tests all run exactly this code.
 */
import { guardError } from './errors';
import type { ActualState, DesiredState, GroupRef, HeldRevocation, ManagedGroup, NetworkInterface, Plan, Rule, Step } from './model';
import { newGroupRef, orderGroups, placeRules } from './placement';
import { assertInterfaceQuota, squeezedPlacement, type InterfaceQuotaInput } from './quota';
import type { GuardSettings } from '../config/settings';
import { MANAGED_TAG_KEY, SYNC_TOKEN_TAG_KEY, compareSyncTokens, newestSyncToken } from './sync-token';

export type PlannerSettings = Pick<GuardSettings, 'prefixName' | 'rulesPerGroup' | 'groupsPerInterface' | 'maxRevokeFraction' | 'instanceId' | 'names'>;

export interface PlanInput {
  readonly desired: DesiredState;
  readonly actual: ActualState;
  readonly settings: PlannerSettings;
  /** Apply revocations even beyond the blast-radius guard's fraction. @default false */
  readonly force?: boolean;
}

/** The default egress rule EC2 gives every new group; managed groups only ever grant ingress. */
export const DEFAULT_EGRESS_RULE: Rule = { protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' };

export const MANAGED_GROUP_DESCRIPTION = 'Managed by cloudfront-origin-guard: CloudFront ranges only. Do not edit; changes are reverted.';

/** ENIs that must carry every managed group: the instance's, and any already carrying one. */
export function targetInterfaces(actual: ActualState, instanceId: string | undefined): NetworkInterface[] {
  const managed = new Set(actual.groups.map((g) => g.groupId));
  return actual.enis
    .filter((eni) => (instanceId !== undefined && eni.instanceId === instanceId) || eni.groupIds.some((id) => managed.has(id)))
    .sort((a, b) => (a.eniId < b.eniId ? -1 : a.eniId > b.eniId ? 1 : 0));
}

function emptyPlan(syncToken: string, status: Plan['status'], warnings: string[]): Plan {
  return { syncToken, status, steps: [], held: [], summary: { rulesKept: 0, rulesAdded: 0, rulesRevoked: 0, rulesHeld: 0, groupsCreated: 0, enisChanged: 0 }, warnings };
}

function attachSteps(groups: readonly ManagedGroup[], newRefs: readonly GroupRef[], enis: readonly NetworkInterface[]): Step[] {
  const all = [...groups.map((g) => g.groupId), ...newRefs];
  const steps: Step[] = [];
  for (const eni of enis) {
    const added = all.filter((id) => !eni.groupIds.includes(id));
    if (added.length > 0) steps.push({ kind: 'attach', eniId: eni.eniId, groupIds: [...eni.groupIds, ...added], added });
  }
  return steps;
}

/** Placement that fits the interface quota: at once, or in two passes (see squeezedPlacement); else the quota error. */
function placeWithinQuota(quota: InterfaceQuotaInput) {
  const placement = placeRules(quota.groups, quota.desired, quota.prefixName, quota.rulesPerGroup);
  try {
    assertInterfaceQuota({ ...quota, newGroupCount: placement.newGroupNames.length });
    return placement;
  } catch (e) {
    const squeezed = squeezedPlacement(quota);
    if (!squeezed) throw e;
    return squeezed;
  }
}

export function planReconcile(input: PlanInput): Plan {
  const { desired, actual, settings } = input;
  if (desired.rules.length === 0) {
    throw guardError('EMPTY_RANGES', `document ${desired.syncToken} yields zero rules; it is refused whole and nothing was changed`, 'external');
  }
  const lastApplied = newestSyncToken(actual.groups.map((g) => g.syncToken));
  if (lastApplied !== undefined && compareSyncTokens(desired.syncToken, lastApplied) < 0) {
    return emptyPlan(desired.syncToken, 'stale', [`document ${desired.syncToken} is older than ${lastApplied}, the one last applied (STALE_DOCUMENT); nothing to do`]);
  }

  const groups = orderGroups(actual.groups, settings.prefixName);
  const enis = targetInterfaces(actual, settings.instanceId);
  const placement = placeWithinQuota({
    groups,
    desired: desired.rules,
    targetEnis: enis,
    prefixName: settings.prefixName,
    rulesPerGroup: settings.rulesPerGroup,
    groupsPerInterface: settings.groupsPerInterface,
    newGroupCount: 0,
    names: settings.names,
  });

  const warnings: string[] = [];
  const steps: Step[] = [];
  const newRefs = placement.newGroupNames.map(newGroupRef);
  placement.newGroupNames.forEach((name, i) => {
    steps.push({
      kind: 'createGroup',
      ref: newRefs[i],
      groupName: name,
      description: MANAGED_GROUP_DESCRIPTION,
      tags: { [MANAGED_TAG_KEY]: settings.prefixName, Name: name, [SYNC_TOKEN_TAG_KEY]: desired.syncToken },
    });
  });
  for (const ref of newRefs) steps.push({ kind: 'revokeEgress', group: ref, rules: [DEFAULT_EGRESS_RULE] });
  for (const group of groups) if (group.egress.length > 0) steps.push({ kind: 'revokeEgress', group: group.groupId, rules: group.egress });

  let rulesAdded = 0;
  for (const [group, rules] of placement.additions) {
    steps.push({ kind: 'authorize', group, rules });
    rulesAdded += rules.length;
  }

  const attach = attachSteps(groups, newRefs, enis);
  steps.push(...attach);
  if (enis.length === 0 && (groups.length > 0 || newRefs.length > 0)) {
    warnings.push('no network interface carries the managed groups and no INSTANCE_ID is set: the groups are kept up to date but protect nothing until attached');
  }

  const revocations: HeldRevocation[] = [...placement.revocations].map(([group, rules]) => ({ group, rules }));
  const revokeCount = revocations.reduce((n, r) => n + r.rules.length, 0);
  const managedRuleCount = groups.reduce((n, g) => n + g.ingress.length, 0);
  const guardTrips = !input.force && revokeCount > 0 && revokeCount > settings.maxRevokeFraction * managedRuleCount;
  if (guardTrips) {
    warnings.push(
      `GUARD_REVOKE_FRACTION: ${revokeCount} of ${managedRuleCount} managed rules would be revoked, more than ${settings.names?.maxRevokeFraction ?? 'MAX_REVOKE_FRACTION'}=${settings.maxRevokeFraction}; additions go ahead, revocations are held until a forced run (cfguard reconcile --apply --force)`,
    );
  } else {
    for (const r of revocations) steps.push({ kind: 'revoke', group: r.group, rules: r.rules });
  }

  const staleTags = groups.filter((g) => g.syncToken !== desired.syncToken).map((g) => g.groupId);
  if (staleTags.length > 0) steps.push({ kind: 'tagSyncToken', groups: staleTags, syncToken: desired.syncToken });

  const held = guardTrips ? revocations : [];
  const deferred = placement.deferred;
  if (deferred.length > 0) {
    warnings.push(
      `${deferred.length} additions wait for this plan's revocations to free slots (${settings.names?.groupsPerInterface ?? 'GROUPS_PER_INTERFACE'}=${settings.groupsPerInterface} allows no more groups)${guardTrips ? '; they follow the forced run that applies the held revocations' : '; a second pass adds them'}`,
    );
  }
  return {
    syncToken: desired.syncToken,
    status: steps.length > 0 || held.length > 0 || deferred.length > 0 ? 'changes' : 'in-sync',
    steps,
    held,
    ...(guardTrips ? { heldBy: 'GUARD_REVOKE_FRACTION' as const } : {}),
    ...(deferred.length > 0 ? { deferred } : {}),
    summary: {
      rulesKept: placement.rulesKept,
      rulesAdded,
      rulesRevoked: guardTrips ? 0 : revokeCount,
      rulesHeld: guardTrips ? revokeCount : 0,
      groupsCreated: newRefs.length,
      enisChanged: attach.length,
      ...(deferred.length > 0 ? { rulesDeferred: deferred.length } : {}),
    },
    warnings,
  };
}
