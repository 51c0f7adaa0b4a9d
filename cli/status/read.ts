import type { GuardSettings } from '../../lambda-src/config/settings';
import { readActualState } from '../../lambda-src/aws/ec2-state';
import { readInstanceView } from '../../lambda-src/aws/exposure-audit';
import { assertInstanceFound } from '../../lambda-src/aws/reconcile';
import type { Ec2Shell } from '../../lambda-src/aws/security-group-manager';
import type { Rule } from '../../lambda-src/core/model';
import { guardedInstanceList, type GuardedInstanceSettings } from '../../lambda-src/core/ownership';
import { ingestInputs } from '../ingest/check';

/**
 * The one read `status` and `drift` judge (issue 21), so both see the same world: the state of the
 * guarded instances' VPC, every group on their interfaces (the exposure audit's instance view), and
 * each instance's ingest input when ingest rules are expected. A guarded instance without an
 * interface there is INSTANCE_NOT_FOUND, as for the reconciler.
 */
export async function readGuardedState(ec2: Ec2Shell, settings: GuardSettings & GuardedInstanceSettings, expectedIngest: readonly Rule[] | undefined) {
  const instanceIds = guardedInstanceList(settings);
  const actual = await readActualState(ec2, { prefixName: settings.prefixName, vpcId: settings.vpcId, instanceIds });
  assertInstanceFound(actual, instanceIds);
  // The instances' interfaces came with the state: only the groups on them not read yet cost a call.
  const instance = instanceIds.length > 0 ? await readInstanceView(ec2, { vpcId: actual.vpcId, instanceIds }, actual.enis) : undefined;
  // Each guarded instance's own group carries the ingest rules (open-ingest opens them on each): checked from the view just read.
  const ingest = expectedIngest && settings.instanceId && instance ? await ingestInputs(ec2, instance, settings, instanceIds, expectedIngest) : undefined;
  return { instanceIds, actual, instance, ingest };
}
