import type { Ec2Shell } from '../../lambda-src/aws/security-group-manager';
import { readActualState } from '../../lambda-src/aws/ec2-state';
import { guardError, isGuardError } from '../../lambda-src/core/errors';
import type { DesiredState, Rule } from '../../lambda-src/core/model';
import type { GuardSettings } from '../../lambda-src/config/settings';
import { targetInterfaces } from '../../lambda-src/core/plan';
import { compareDrift, type DriftFindings } from './compare';
import { ingestInputs } from '../ingest/check';
import { readInstanceView } from '../../lambda-src/aws/exposure-audit';
import { guardedInstanceList, ownGroupIdsOf, type GuardedInstanceSettings } from '../../lambda-src/core/ownership';

/** One target of a drift run: its settings, and how to reach its account. */
export interface DriftTarget {
  readonly name: string;
  readonly settings: GuardSettings & GuardedInstanceSettings;
  readonly client: () => Promise<Ec2Shell>;
}

export type TargetReport =
  | ({ readonly name: string; readonly region: string; readonly instanceId?: string; readonly instanceIds?: readonly string[] } & DriftFindings)
  | { readonly name: string; readonly region: string; readonly instanceId?: string; readonly instanceIds?: readonly string[]; readonly status: 'error'; readonly error: Record<string, unknown> };

/** Checks one target; a failure becomes that target's error entry, never the whole run's. */
/** `published`: every service of the document per canonical CIDR (publishedServices), for the reasons of extra rules. */
export async function checkTarget(target: DriftTarget, desired: DesiredState, ingestExpected: readonly Rule[] | undefined, published?: ReadonlyMap<string, readonly string[]>): Promise<TargetReport> {
  const { settings } = target;
  const several = guardedInstanceList(settings);
  const base = { name: target.name, region: settings.region, ...(settings.instanceId ? { instanceId: settings.instanceId } : {}), ...(several.length > 1 ? { instanceIds: several } : {}) };
  try {
    const ec2 = await target.client();
    const instanceIds = guardedInstanceList(settings);
    const actual = await readActualState(ec2, { prefixName: settings.prefixName, vpcId: settings.vpcId, instanceIds });
    const lost = instanceIds.find((id) => !actual.enis.some((e) => e.instanceId === id));
    if (lost) {
      throw guardError('INSTANCE_NOT_FOUND', `instance '${lost}' has no network interface in ${actual.vpcId}; check the instance id and the VPC`, 'usage', {
        instanceId: lost,
        vpcId: actual.vpcId,
      });
    }
    if (!settings.instanceId && actual.groups.length > 0 && targetInterfaces(actual, []).length === 0) {
      // Otherwise detached groups would read as "in sync": nothing says which interface should carry them.
      throw guardError(
        'INSTANCE_REQUIRED',
        `no network interface carries the ${actual.groups.length} managed group(s) in ${actual.vpcId} and no instance is set, so drift cannot check the attachment; pass --instance-id i-… (or set instanceId in cfguard.config.json, CFGUARD_INSTANCE_ID, or the target's instanceId)`,
        'usage',
        { vpcId: actual.vpcId },
      );
    }
    // The lock proven, not assumed: every group on the instance is judged with the managed ones (core/assessment).
    const instance = instanceIds.length > 0 ? await readInstanceView(ec2, { vpcId: actual.vpcId, instanceIds }, actual.enis) : undefined;
    // Every guarded instance's own group carries the ingest rules (open-ingest opens them on each), so each is checked, from the view just read.
    const ingests = ingestExpected && settings.instanceId && instance ? await ingestInputs(ec2, instance, settings, instanceIds, ingestExpected) : undefined;
    const findings = compareDrift({
      actual,
      desired,
      ports: settings.ports,
      prefixName: settings.prefixName,
      instanceId: settings.instanceId,
      guardedInstanceIds: instanceIds,
      ...(ingests ? { ingest: ingests[0], ...(ingests.length > 1 ? { ingestByOrigin: ingests } : {}) } : {}),
      // The ingestRules setting, as this target's Lambda reads it (drift's --ingest-ports override it: runDrift).
      expectedIngest: settings.ingestRules,
      protectedGroupIds: ownGroupIdsOf(settings),
      now: Date.now(),
      ...(instance ? { instance } : {}),
      ...(published ? { published: { services: published, selected: settings.services } } : {}),
    });
    return { ...base, ...findings };
  } catch (e) {
    const error = isGuardError(e) ? e.toJSON() : { code: 'INTERNAL', kind: 'internal', message: e instanceof Error ? e.message : String(e) };
    return { ...base, status: 'error', error };
  }
}
