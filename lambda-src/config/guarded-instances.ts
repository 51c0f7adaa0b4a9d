/*
 * The origin instances the guard locks, in one place: the Lambda's GUARDED_INSTANCE_IDS (primary
 * first, then the secondary origin's). No cdktf import: the handler and the CLI may read it.
 */
import { badValueMessage, guardError } from '../core/errors';
import type { GuardedInstanceSettings } from '../core/ownership';
import { isAwsId } from '../core/aws-ids';

/** The function's variable listing every guarded instance, comma-separated, primary first. */
export const GUARDED_INSTANCE_IDS_ENV = 'GUARDED_INSTANCE_IDS';

/** The function's variable listing the other guarded instances' own groups (the secondary origin's), comma-separated. */
export const GUARDED_OWN_GROUP_IDS_ENV = 'GUARDED_OWN_GROUP_IDS';

/** The variables' values for the function: `i-primary,i-secondary`, and the secondary's own group when known. */
export function guardedInstanceIdsEnvironment(instanceIds: readonly string[], ownGroupIds: readonly string[] = []): Record<string, string> {
  return { [GUARDED_INSTANCE_IDS_ENV]: instanceIds.join(','), ...(ownGroupIds.length > 0 ? { [GUARDED_OWN_GROUP_IDS_ENV]: ownGroupIds.join(',') } : {}) };
}

/**
 * The guarded instances from the environment (`envPrefix` is the CLI's `CFGUARD_`): unset or empty,
 * INSTANCE_ID alone (single-origin stacks are unchanged). Set, every entry must be an instance id and
 * the first must be INSTANCE_ID when that is set too (the primary leads: quota errors and the run
 * line name the instances in this order). One CONFIG_INVALID naming the variable otherwise.
 */
export function guardedInstancesFromEnv(env: Readonly<Record<string, string | undefined>>, instanceId: string | undefined, envPrefix = ''): GuardedInstanceSettings {
  const instances = idListFromEnv(env, envPrefix + GUARDED_INSTANCE_IDS_ENV, (ids) => guardedInstanceIdsRule(ids, instanceId, `${envPrefix}INSTANCE_ID`));
  const groups = idListFromEnv(env, envPrefix + GUARDED_OWN_GROUP_IDS_ENV, (ids) =>
    ids.some((id) => !isAwsId('securityGroup', id)) ? "list security group ids like 'sg-0123abcd,sg-4567cdef', comma-separated" : undefined,
  );
  return { ...(instances ? { guardedInstanceIds: instances } : {}), ...(groups ? { guardedOwnGroupIds: groups } : {}) };
}

/** A comma-separated variable's entries (undefined when unset or empty), or one CONFIG_INVALID naming it and the rule it breaks. */
function idListFromEnv(env: Readonly<Record<string, string | undefined>>, name: string, broken: (ids: string[]) => string | undefined): string[] | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const ids = text.split(',').map((s) => s.trim());
  const rule = broken(ids);
  if (rule) throw guardError('CONFIG_INVALID', `${badValueMessage(name, `must ${rule}`, text, 'text')}; fix the variable and run again. Nothing was changed.`, 'usage', { setting: name });
  return ids;
}

/** The rule a guarded-instance list breaks, if any (`must <rule>`) (the function's variable and the construct's prop alike); `primary` names INSTANCE_ID as the caller spells it. */
export function guardedInstanceIdsRule(ids: readonly string[], instanceId: string | undefined, primary: string): string | undefined {
  if (ids.some((id) => !isAwsId('instance', id))) return "list instance ids like 'i-0123abcd,i-4567cdef', comma-separated";
  if (new Set(ids).size !== ids.length) return 'name each instance once';
  if (instanceId !== undefined && ids[0] !== instanceId) return `start with ${primary} (${instanceId}), the primary origin`;
  return undefined;
}
