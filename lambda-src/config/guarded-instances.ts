/*
 * The origin instances the guard locks, in one place: the Lambda's GUARDED_INSTANCE_IDS (primary
 * first, then the secondary origin's). No cdktf import: the handler and the CLI may read it.
 */
import { badValueMessage, guardError } from '../core/errors';
import type { GuardedInstanceSettings } from '../core/ownership';

/** The function's variable listing every guarded instance, comma-separated, primary first. */
export const GUARDED_INSTANCE_IDS_ENV = 'GUARDED_INSTANCE_IDS';

/** The variable's value for the function: `i-primary,i-secondary`. */
export function guardedInstanceIdsEnvironment(instanceIds: readonly string[]): Record<string, string> {
  return { [GUARDED_INSTANCE_IDS_ENV]: instanceIds.join(',') };
}

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/**
 * The guarded instances from the environment (`envPrefix` is the CLI's `CFGUARD_`): unset or empty,
 * INSTANCE_ID alone (single-origin stacks are unchanged). Set, every entry must be an instance id and
 * the first must be INSTANCE_ID when that is set too (the primary leads: quota errors and the run
 * line name the instances in this order). One CONFIG_INVALID naming the variable otherwise.
 */
export function guardedInstancesFromEnv(env: Readonly<Record<string, string | undefined>>, instanceId: string | undefined, envPrefix = ''): GuardedInstanceSettings {
  const name = envPrefix + GUARDED_INSTANCE_IDS_ENV;
  const text = env[name]?.trim();
  if (!text) return {};
  const ids = text.split(',').map((s) => s.trim());
  const rule = guardedInstanceIdsRule(ids, instanceId, `${envPrefix}INSTANCE_ID`);
  if (rule) throw guardError('CONFIG_INVALID', `${badValueMessage(name, `must ${rule}`, text, 'text')}; fix the variable and run again. Nothing was changed.`, 'usage', { setting: name });
  return { guardedInstanceIds: ids };
}

/** The rule a guarded-instance list breaks, if any (`must <rule>`) (the function's variable and the construct's prop alike); `primary` names INSTANCE_ID as the caller spells it. */
export function guardedInstanceIdsRule(ids: readonly string[], instanceId: string | undefined, primary: string): string | undefined {
  if (ids.some((id) => !INSTANCE_ID.test(id))) return "list instance ids like 'i-0123abcd,i-4567cdef', comma-separated";
  if (new Set(ids).size !== ids.length) return 'name each instance once';
  if (instanceId !== undefined && ids[0] !== instanceId) return `start with ${primary} (${instanceId}), the primary origin`;
  return undefined;
}
