import type { Ec2Shell } from '../../lambda-src/aws/security-group-manager';
import { guardError, isGuardError, respelled } from '../../lambda-src/core/errors';
import { cliSpelling } from '../spelling';
import type { DesiredState, Rule } from '../../lambda-src/core/model';
import type { GuardSettings } from '../../lambda-src/config/settings';
import { targetInterfaces } from '../../lambda-src/core/plan';
import { compareDrift, type DriftFindings } from './compare';
import { readGuardedState } from '../status/read';
import { ingestFields } from '../ingest/check';
import { guardedInstanceList, ownGroupIdsOf, type GuardedInstanceSettings } from '../../lambda-src/core/ownership';

/** One target of a drift run: its settings, and how to reach its account. */
export interface DriftTarget {
  readonly name: string;
  readonly settings: GuardSettings & GuardedInstanceSettings;
  readonly client: () => Promise<Ec2Shell>;
}

type TargetBase = { readonly name: string; readonly region: string; readonly instanceId?: string; readonly instanceIds?: readonly string[] };
export type TargetReport = TargetBase & (DriftFindings | { readonly status: 'error'; readonly error: Record<string, unknown> });

/** How many targets are in each state: the JSON summary, and the text's last line. */
export function countTargets(reports: readonly TargetReport[]) {
  const count = (status: TargetReport['status']) => reports.filter((r) => r.status === status).length;
  return { targets: reports.length, inSync: count('in-sync'), drift: count('drift'), stale: count('stale'), error: count('error') };
}

/**
 * Checks one target; a failure becomes that target's error entry, never the whole run's.
 * `published`: every service of the document per canonical CIDR (publishedServices), for the reasons of extra rules.
 */
export async function checkTarget(target: DriftTarget, desired: DesiredState, ingestExpected: readonly Rule[] | undefined, published?: ReadonlyMap<string, readonly string[]>): Promise<TargetReport> {
  const { settings } = target;
  const guarded = guardedInstanceList(settings);
  const base = { name: target.name, region: settings.region, ...(settings.instanceId ? { instanceId: settings.instanceId } : {}), ...(guarded.length > 1 ? { instanceIds: guarded } : {}) };
  try {
    // status's read (cli/status/read): the lock proven, not assumed, as every group on the instance is judged with the managed ones (core/assessment).
    const { instanceIds, actual, instance, ingest: ingests } = await readGuardedState(await target.client(), settings, ingestExpected);
    if (!settings.instanceId && actual.groups.length > 0 && targetInterfaces(actual, []).length === 0) {
      // Otherwise detached groups would read as "in sync": nothing says which interface should carry them.
      throw guardError(
        'INSTANCE_REQUIRED',
        `no network interface carries the ${actual.groups.length} managed group(s) in ${actual.vpcId} and no instance is set, so drift cannot check the attachment; pass --instance-id i-… (or set instanceId in cfguard.config.json, CFGUARD_INSTANCE_ID, or the target's instanceId)`,
        'usage',
        { vpcId: actual.vpcId },
      );
    }
    const findings = compareDrift({
      actual,
      desired,
      ports: settings.ports,
      prefixName: settings.prefixName,
      instanceId: settings.instanceId,
      guardedInstanceIds: instanceIds,
      ...ingestFields(ingests),
      // The ingestRules setting, as this target's Lambda reads it (drift's --ingest-ports override it: runDrift).
      expectedIngest: settings.ingestRules,
      protectedGroupIds: ownGroupIdsOf(settings),
      now: Date.now(),
      ...(instance ? { instance } : {}),
      ...(published ? { published: { services: published, selected: settings.services } } : {}),
    });
    return { ...base, ...findings };
  } catch (e) {
    // Spelled as this run's user gives the settings (the error outlives the call as data).
    const spelled = respelled(e, cliSpelling());
    const error = isGuardError(spelled) ? spelled.toJSON() : { code: 'INTERNAL', kind: 'internal', message: e instanceof Error ? e.message : String(e) };
    return { ...base, status: 'error', error };
  }
}
