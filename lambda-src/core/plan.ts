/**
 * The planner: desired + actual -> Plan. Pure and deterministic; it never imports @aws-sdk, so the
 * Lambda, the CLI and the property tests all run exactly this code.
 */
import { canCompact, planCompaction } from './compaction';
import { targetInterfaces, type Comparison } from './compare';
import { guardError } from './errors';
import type { Finding } from './findings';
import type { DesiredState, GroupRef, ManagedGroup, NetworkInterface, Plan, PortSpec, Rule, Step, ActualState } from './model';
import { newGroupRef, placeRules } from './placement';
import { mergeRevocations, splitRevocations } from './revocations';
import { assess, mayHold, type Assessment, type AssessmentInput, type AssessmentPolicy } from './assessment';
import { guardedInstanceList, type OwnershipPolicy } from './ownership';
import { assertInterfaceQuota, squeezedPlacement, type InterfaceQuotaInput } from './quota';
import { CREATED_TAG_KEY, MANAGED_TAG_KEY, SYNC_TOKEN_TAG_KEY } from './sync-token';

/** The settings the planner reads: the core's own view of GuardSettings (lambda-src/config/settings.ts), which satisfies it. */
export interface PlannerSettings {
  /** Value of the managed tag, and the groups' name prefix. */
  readonly prefixName: string;
  /** EC2 quota: inbound rules per group, per address family. */
  readonly rulesPerGroup: number;
  /** EC2 quota: security groups per network interface. */
  readonly groupsPerInterface: number;
  /** Blast-radius guard: revocations above this fraction of managed rules are held. */
  readonly maxRevokeFraction: number;
  /** Instance whose ENIs receive the managed groups. @default - only ENIs already carrying a managed group */
  readonly instanceId?: string;
  /** Every guarded instance, primary first (GUARDED_INSTANCE_IDS): each one's ENIs receive the managed groups. @default - `instanceId` alone */
  readonly guardedInstanceIds?: readonly string[];
  /** The configured origin ports: a rule on another port is foreign. @default - the ports of the desired rules */
  readonly ports?: readonly PortSpec[];
}

export interface PlanInput {
  readonly desired: DesiredState;
  readonly actual: ActualState;
  readonly settings: PlannerSettings;
  /** Apply revocations even beyond the blast-radius guard's fraction, and an older document. @default false */
  readonly force?: boolean;
  /** Groups never to write whatever their tags (config `instanceSecurityGroupId`). @default - none */
  readonly protectedGroupIds?: readonly string[];
  /** The clock, epoch ms: group tokens more than a day ahead of it are ignored. @default - tokens are trusted */
  readonly now?: number;
}

/** The default egress rule EC2 gives every new group; managed groups only ever grant ingress. */
export const DEFAULT_EGRESS_RULE: Rule = { protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' };

export const MANAGED_GROUP_DESCRIPTION = 'Managed by cloudfront-origin-guard: CloudFront ranges only. Do not edit; changes are reverted.';

export { targetInterfaces };

/** The ownership policy of a planner run (and of the teardown, the CLI's cleanup and import): one place builds it. */
export function ownershipPolicy(
  settings: Pick<PlannerSettings, 'prefixName' | 'instanceId' | 'guardedInstanceIds'>,
  ports: readonly PortSpec[],
  protectedGroupIds?: readonly string[],
): OwnershipPolicy {
  return {
    prefixName: settings.prefixName,
    managedDescription: MANAGED_GROUP_DESCRIPTION,
    guardedInstanceIds: guardedInstanceList(settings),
    ...(protectedGroupIds ? { protectedGroupIds } : {}),
    ports,
  };
}

function emptyPlan(syncToken: string, status: Plan['status'], warnings: Finding[]): Plan {
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
function placeWithinQuota(quota: InterfaceQuotaInput, compared: Comparison) {
  const placement = placeRules(quota.groups, quota.desired, quota.prefixName, quota.rulesPerGroup, Infinity, compared, quota.reservedNames);
  try {
    assertInterfaceQuota({ ...quota, newGroupCount: placement.newGroupNames.length });
    return placement;
  } catch (e) {
    const squeezed = squeezedPlacement(quota);
    if (!squeezed) throw e;
    return squeezed;
  }
}

/** The configured ports; planner callers without `ports` get the ports of the desired rules. */
function portsOf(settings: PlannerSettings, desired: DesiredState): PortSpec[] {
  if (settings.ports) return [...settings.ports];
  const seen = new Map<string, PortSpec>();
  for (const r of desired.rules) seen.set(`${r.protocol}|${r.fromPort}|${r.toPort}`, { protocol: r.protocol as PortSpec['protocol'], fromPort: r.fromPort, toPort: r.toPort });
  return [...seen.values()];
}

/** A state already in sync: nothing to do, or a compaction (when `compact`) when the rules fit in fewer groups. */
function inSyncPlan(cmp: Comparison, desired: DesiredState, settings: PlannerSettings, warnings: Finding[], compact: boolean, referencedBy?: ActualState['referencedBy']): Plan {
  const compaction = compact ? planCompaction(cmp, settings.rulesPerGroup, referencedBy) : undefined;
  for (const [id, by] of Object.entries(compaction?.kept ?? {})) {
    warnings.push({ code: 'GROUP_REFERENCED', subject: id, details: { referencedBy: by, during: 'compaction' } });
  }
  const base = emptyPlan(desired.syncToken, 'in-sync', warnings);
  const summary = { ...base.summary, rulesKept: cmp.placed.size };
  if (!compaction || compaction.deleted.length === 0) return { ...base, summary };
  const deleted = compaction.deleted.map((g) => g.groupId);
  return {
    ...base,
    status: 'changes',
    steps: compaction.steps,
    compaction: { groupsDeleted: deleted },
    summary: { ...summary, rulesMoved: compaction.rulesMoved, groupsDeleted: deleted.length, enisChanged: compaction.steps.filter((s) => s.kind === 'detach').length },
    warnings: [
      ...warnings,
      { code: 'COMPACTION', subject: deleted.join(','), details: { rules: cmp.placed.size, groups: cmp.groups.length, groupsKept: cmp.groups.length - deleted.length, deleted } },
    ],
  };
}

/** The assessment the planner builds its steps from, for the same input: drift and status render this very object. */
export function assessForPlan(input: PlanInput, extra: Pick<AssessmentPolicy, 'expectedIngest' | 'published'> & Pick<AssessmentInput, 'instance'> = {}): Assessment {
  const { instance, ...policy } = extra;
  return assess({
    actual: input.actual,
    desired: input.desired,
    policy: {
      ownership: ownershipPolicy(input.settings, portsOf(input.settings, input.desired), input.protectedGroupIds),
      now: input.now,
      ...policy,
    },
    ...(instance ? { instance } : {}),
  });
}

export function planReconcile(input: PlanInput, assessment?: Assessment): Plan {
  const { desired, settings } = input;
  if (desired.rules.length === 0) {
    throw guardError('EMPTY_RANGES', `document ${desired.syncToken} yields zero rules; it is refused whole and nothing was changed`, 'external');
  }
  const a = assessment ?? assessForPlan(input);
  const refused = a.refused;
  // The assessment's findings are the plan's first warnings; a forced run applies a stale document, so it is not refused as one.
  const warnings: Finding[] = a.findings.filter((f) => !(f.code === 'STALE_DOCUMENT' && input.force));
  const refusedPart = refused.length > 0 ? { refusedGroups: refused } : {};
  const groups = a.groups;
  const cmp = a.comparison;
  if (cmp.stale && !input.force) {
    return { ...emptyPlan(desired.syncToken, 'stale', warnings), ...refusedPart };
  }
  const enis = cmp.targetEnis;
  // In sync is decided by the rules, not the tag: a newer document that changes no access writes nothing.
  // A guarded interface the guard may not rewrite keeps its groups, so none of them may be deleted: no compaction then.
  const interfaceBlocked = refused.some((r) => r.code === 'FOREIGN_GROUP_ON_INTERFACE');
  if (cmp.inSync && !(input.force && cmp.stale)) return { ...inSyncPlan(cmp, desired, settings, warnings, !interfaceBlocked, input.actual.referencedBy), ...refusedPart };

  const placement = placeWithinQuota(
    {
      groups,
      desired: desired.rules,
      targetEnis: enis,
      prefixName: settings.prefixName,
      rulesPerGroup: settings.rulesPerGroup,
      groupsPerInterface: settings.groupsPerInterface,
      newGroupCount: 0,
      // a refused group keeps its name: a new group taking it would fail with InvalidGroup.Duplicate
      reservedNames: new Set(a.refused.map((g) => g.groupName)),
    },
    cmp,
  );

  // Foreign rules are never held; only CloudFront ranges leaving attached groups count against the blast-radius guard.
  const rev = splitRevocations(groups, placement.revocations, enis, (groupId, rule) => mayHold(a, groupId, rule));
  const guardedCount = rev.guarded.reduce((n, r) => n + r.rules.length, 0);
  const cloudFrontRuleCount = groups.reduce((n, g) => n + g.ingress.filter((r) => mayHold(a, g.groupId, r)).length, 0);
  const guardTrips = !input.force && guardedCount > 0 && guardedCount > settings.maxRevokeFraction * cloudFrontRuleCount;
  const deferred = placement.deferred;
  // The token marks a document as applied: recorded only when this plan completes its work, never while some is held or deferred.
  const completes = !guardTrips && deferred.length === 0;

  const steps: Step[] = [];
  const newRefs = placement.newGroupNames.map(newGroupRef);
  placement.newGroupNames.forEach((name, i) => {
    steps.push({
      kind: 'createGroup',
      ref: newRefs[i],
      groupName: name,
      description: MANAGED_GROUP_DESCRIPTION,
      tags: { [MANAGED_TAG_KEY]: settings.prefixName, Name: name, [CREATED_TAG_KEY]: settings.prefixName, ...(completes ? { [SYNC_TOKEN_TAG_KEY]: desired.syncToken } : {}) },
    });
  });
  for (const ref of newRefs) steps.push({ kind: 'revokeEgress', group: ref, rules: [DEFAULT_EGRESS_RULE] });
  for (const group of cmp.withEgress) steps.push({ kind: 'revokeEgress', group: group.groupId, rules: group.egress });

  let rulesAdded = 0;
  for (const [group, rules] of placement.additions) {
    steps.push({ kind: 'authorize', group, rules });
    rulesAdded += rules.length;
  }

  // Clean first, then attach: a group joins an interface only once it holds nothing but desired rules.
  for (const r of rev.beforeAttach) steps.push({ kind: 'revoke', group: r.group, rules: r.rules });
  const held = guardTrips ? rev.guarded : [];
  const unclean = new Set(held.map((h) => h.group));
  const attach = attachSteps(
    groups.filter((g) => !unclean.has(g.groupId)),
    newRefs,
    enis,
  );
  steps.push(...attach);
  if (enis.length === 0 && groups.length === 0 && newRefs.length > 0) warnings.push({ code: 'GROUPS_UNATTACHED', subject: input.actual.vpcId, details: { groups: newRefs } });

  if (guardTrips) {
    warnings.push({ code: 'GUARD_REVOKE_FRACTION', subject: desired.syncToken, details: { held: guardedCount, cloudFrontRules: cloudFrontRuleCount, maxRevokeFraction: settings.maxRevokeFraction } });
  }
  const after = mergeRevocations(rev.afterAttach, guardTrips ? [] : rev.guarded);
  for (const r of after) steps.push({ kind: 'revoke', group: r.group, rules: r.rules });
  const revoked = [...rev.beforeAttach, ...after].reduce((n, r) => n + r.rules.length, 0);

  const staleTags = groups.filter((g) => g.syncToken !== desired.syncToken).map((g) => g.groupId);
  // A forced run on an older document rewrites the token even when its rules already match: forcing is how the operator moves it back.
  const forcedBack = input.force === true && cmp.stale;
  const blocksNewer = forcedBack ? forcedOlderBlocks(rev.guarded, cmp.lastApplied!, desired.syncToken) : undefined;
  if (blocksNewer) warnings.push(blocksNewer.warning);
  if (completes && (steps.length > 0 || forcedBack) && staleTags.length > 0) steps.push({ kind: 'tagSyncToken', groups: staleTags, syncToken: desired.syncToken });

  if (deferred.length > 0) {
    warnings.push({ code: 'ADDITIONS_DEFERRED', subject: desired.syncToken, details: { deferred: deferred.length, groupsPerInterface: settings.groupsPerInterface, held: guardTrips } });
  }
  const compactAfter = completes && !interfaceBlocked && canCompact(groups.length + newRefs.length, desired.rules, settings.rulesPerGroup);
  if (compactAfter) warnings.push({ code: 'COMPACTION_FOLLOWS', subject: desired.syncToken, details: { rules: desired.rules.length, groups: groups.length + newRefs.length } });
  return {
    syncToken: desired.syncToken,
    status: 'changes',
    steps,
    held,
    ...(guardTrips ? { heldBy: 'GUARD_REVOKE_FRACTION' as const } : {}),
    ...(deferred.length > 0 ? { deferred } : {}),
    ...(compactAfter ? { compactAfter: true as const } : {}),
    summary: {
      rulesKept: placement.rulesKept,
      rulesAdded,
      rulesRevoked: revoked,
      rulesHeld: guardTrips ? guardedCount : 0,
      groupsCreated: newRefs.length,
      enisChanged: attach.length,
      ...(deferred.length > 0 ? { rulesDeferred: deferred.length } : {}),
      ...(rev.foreignCount > 0 ? { foreignRulesRevoked: rev.foreignCount } : {}),
    },
    warnings,
    ...(blocksNewer ? { blocksNewer: { syncToken: blocksNewer.syncToken, ranges: blocksNewer.ranges } } : {}),
    ...refusedPart,
  };
}

/**
 * A forced older document (issue 20 item 7): the CloudFront ranges it revokes from attached groups
 * are the ones the newer token's document published (the groups hold what that document applied)
 * and this one does not, so they are named, not revoked without a word.
 */
function forcedOlderBlocks(guarded: readonly { rules: readonly Rule[] }[], newerSyncToken: string, syncToken: string) {
  const ranges = [...new Set(guarded.flatMap((g) => g.rules.map((r) => r.source)))].sort();
  if (ranges.length === 0) return undefined;
  const warning: Finding = { code: 'FORCED_OLDER_DOCUMENT', subject: syncToken, details: { newerSyncToken, ranges } };
  return { syncToken: newerSyncToken, ranges, warning };
}
