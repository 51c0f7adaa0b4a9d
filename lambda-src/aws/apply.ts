/**
 * Every EC2 write the product makes: the reconciler's plan, executed in order, one call per step,
 * and the CLI's two writes of its own (open-ingest's rules, import's tags).
 */
import type { SecurityGroupManager } from './security-group-manager';
import type { GroupRef, Plan, Rule, Step } from '../core/model';
import { MANAGED_TAG_KEY, SYNC_TOKEN_TAG_KEY } from '../core/sync-token';
import { guardRuleDescription } from '../core/ownership';

export interface ApplyOptions {
  readonly vpcId: string;
  /** Called after each step succeeds (progress output, tests that crash between steps), with the ids of the groups created so far by `new:<name>`. */
  readonly onStep?: (step: Step, index: number, createdGroups: Readonly<Record<string, string>>) => void;
  /** Awaited before each step's call (the overlap checkpoints); a throw stops the run before that write. */
  readonly beforeStep?: (step: Step) => Promise<void>;
}

/** One step's call; createGroup is applyPlan's own, since its answer (the new id) resolves later steps' refs. */
async function send(ec2: SecurityGroupManager, step: Exclude<Step, { kind: 'createGroup' }>, resolve: (ref: GroupRef) => string, syncToken: string): Promise<void> {
  switch (step.kind) {
    case 'revokeEgress':
      return ec2.revokeEgress(resolve(step.group), step.rules);
    case 'authorize':
      // The rule carries the document's token: the mark a concurrent older run reads (core/sync-token newestMark).
      return ec2.authorizeIngress(resolve(step.group), step.rules, guardRuleDescription(syncToken));
    case 'attach':
    case 'detach': {
      // EC2 has no compare-and-set on an ENI's group list: re-read it right before the modify, so a
      // group attached since the run's read is kept, and the window where it could be lost is one call wide.
      const now = (await ec2.readInterfaces({ eniIds: [step.eniId] }))[0]?.groupIds ?? [];
      const added = step.kind === 'attach' ? step.added.map(resolve) : [];
      const removed = new Set(step.kind === 'detach' ? step.removed.map(resolve) : []);
      const fresh = [...now.filter((id) => !removed.has(id)), ...added.filter((id) => !now.includes(id))];
      return ec2.setInterfaceGroups(step.eniId, fresh.length > 0 ? fresh : step.groupIds.map(resolve));
    }
    case 'revoke':
      return ec2.revokeIngress(resolve(step.group), step.rules);
    case 'tagSyncToken':
      return ec2.tag(step.groups.map(resolve), SYNC_TOKEN_TAG_KEY, step.syncToken);
    case 'deleteGroup':
      return ec2.deleteGroup(resolve(step.group));
  }
}

function hasWork(step: Step): boolean {
  switch (step.kind) {
    case 'attach':
      return step.added.length > 0;
    case 'detach':
      return step.removed.length > 0 && step.groupIds.length > 0;
    case 'tagSyncToken':
      return step.groups.length > 0;
    case 'createGroup':
    case 'deleteGroup':
      return true;
    default:
      return step.rules.length > 0;
  }
}

/**
 * Applies the steps in order. A failure stops the run where it is; because the order is create,
 * authorize, attach, revoke, a stopped run never blocks a published range, and the next run
 * converges from whatever was done.
 */
export async function applyPlan(ec2: SecurityGroupManager, plan: Plan, options: ApplyOptions): Promise<void> {
  /** `new:<name>` -> the id EC2 gave the group. */
  const created: Record<string, string> = {};
  const resolve = (ref: GroupRef) => created[ref] ?? ref;
  let index = 0;
  for (const step of plan.steps) {
    if (!hasWork(step)) continue; // the planner never emits these; the executor refuses to make an empty call regardless
    await options.beforeStep?.(step);
    if (step.kind === 'createGroup') created[step.ref] = await ec2.createGroup({ groupName: step.groupName, description: step.description, vpcId: options.vpcId, tags: step.tags });
    else await send(ec2, step, resolve, plan.syncToken);
    options.onStep?.(step, index, created);
    index++;
  }
}

/**
 * open-ingest: authorizes `authorize` on the instance's own group with `description`, then revokes
 * `revoke`: opening before closing, so a failure between the two calls never leaves less open than asked.
 */
export async function writeIngestRules(ec2: SecurityGroupManager, groupId: string, change: { authorize: readonly Rule[]; revoke: readonly Rule[]; description: string }): Promise<void> {
  if (change.authorize.length > 0) await ec2.authorizeIngress(groupId, change.authorize, change.description);
  if (change.revoke.length > 0) await ec2.revokeIngress(groupId, change.revoke);
}

/** import: tags groups `PREFIX_NAME=<prefixName>` so the guard manages them. */
export async function tagManagedGroups(ec2: SecurityGroupManager, groupIds: readonly string[], prefixName: string): Promise<void> {
  if (groupIds.length > 0) await ec2.tag(groupIds, MANAGED_TAG_KEY, prefixName);
}
