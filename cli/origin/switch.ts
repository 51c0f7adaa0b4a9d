import { guardError } from '../../lambda-src/core/errors';
import type { DistributionReader, SentHeader } from '../../lambda-src/aws/distribution-header';
import type { StoredSecret } from '../../lambda-src/aws/ssm-secret-store';
import { DeployCommandFailure, runDeployCommand, secretIn, writeSecretVersion } from './rotate';
import type { OriginSecretTarget } from './target';

/*
 * Phase 2: the deploy, and what CloudFront is then seen to send. The config file must name the
 * staged version while the deploy runs (the deploy reads it); it keeps that version only once the
 * distribution is seen sending the staged value, and is put back otherwise, so the file never names
 * a version CloudFront does not send (a later retire or deploy trusting it would cut CloudFront off).
 */

export interface SwitchInput {
  readonly target: OriginSecretTarget;
  readonly distributionId: string;
  readonly reader: DistributionReader;
  readonly staged: StoredSecret;
  readonly deployCommand: string;
  readonly configFile?: string;
  readonly cwd: string;
  readonly stderr: { write(s: string): unknown };
  readonly progress: (message: string) => void;
}

/** Runs the deploy and returns what the distribution sends after it; throws unless it sends the staged value. */
export async function deployAndObserve(o: SwitchInput): Promise<SentHeader> {
  const restore = o.configFile ? writeSecretVersion(o.configFile, o.staged.version) : undefined;
  if (o.configFile) o.progress(`phase 2: originSecret.secretVersion is ${o.staged.version} in ${o.configFile} for the deploy`);
  let failure: DeployCommandFailure | undefined;
  try {
    o.progress(`phase 2: running '${o.deployCommand}'`);
    await runDeployCommand(o.deployCommand, o.cwd, process.env, o.stderr);
  } catch (e) {
    if (!(e instanceof DeployCommandFailure)) {
      restore?.();
      throw e;
    }
    failure = e;
  }
  // A failed read leaves the file naming the staged version: the origin accepts both values, and
  // CloudFront may already send the new one (putting the file back could later deploy the old value).
  const after = await o.reader.read(o.distributionId, o.target.headerName);
  const switched = after.values.length > 0 && after.values.every((v) => secretIn(o.target, v) === o.staged.value.current);
  if (!switched) restore?.();
  const config = o.configFile ? (switched ? `originSecret.secretVersion stays ${o.staged.version}` : 'originSecret.secretVersion is back as it was') : 'no config file was changed';
  const details = { distributionId: o.distributionId, stagedVersion: o.staged.version, switched, configUpdated: switched && o.configFile !== undefined };
  if (failure)
    throw guardError(
      'DEPLOY_COMMAND_FAILED',
      switched
        ? `${failure.message}, but distribution ${o.distributionId} already sends version ${o.staged.version}'s value (${config}); the origin accepts both values: fix the deploy and run it, then 'cfguard verify-origin'`
        : `${failure.message}; distribution ${o.distributionId} still sends the old value, which the origin still accepts, so nothing is broken (${config}): fix the deploy and run 'cfguard rotate-origin-secret --apply --deploy-command …' again, which resumes with version ${o.staged.version}`,
      'external',
      { ...details, command: failure.command },
    );
  if (!switched)
    throw guardError(
      'DEPLOY_DID_NOT_SWITCH',
      `the deploy command '${o.deployCommand}' succeeded but distribution ${o.distributionId} still sends the old ${o.target.headerName} value, which the origin still accepts (${config}): check that the deploy applies this config to this distribution (--distribution-id, the stack's distribution_id output) and run again, which resumes with version ${o.staged.version}`,
      'external',
      details,
    );
  return after;
}
