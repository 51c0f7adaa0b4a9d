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
  const bad = ids.find((id) => !INSTANCE_ID.test(id));
  if (bad !== undefined) throw invalid(name, "must list instance ids like 'i-0123abcd,i-4567cdef', comma-separated", text);
  if (new Set(ids).size !== ids.length) throw invalid(name, 'must name each instance once', text);
  if (instanceId !== undefined && ids[0] !== instanceId) throw invalid(name, `must start with ${envPrefix}INSTANCE_ID (${instanceId}), the primary origin`, text);
  return { guardedInstanceIds: ids };
}

function invalid(name: string, rule: string, value: string) {
  return guardError('CONFIG_INVALID', `${badValueMessage(name, rule, value, 'text')}; fix the variable and run again. Nothing was changed.`, 'usage', { setting: name });
}
