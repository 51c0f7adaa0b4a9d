import * as path from 'path';
import { guardError } from '../../lambda-src/core/errors';
import { checkHttp } from '../../lambda-src/aws/origin-http-check';
import type { SecretStore } from '../../lambda-src/aws/ssm-secret-store';
import type { RotateOriginSecretArgs } from '../commands/rotate-origin-secret';
import { prepare } from '../context';
import { usageError } from '../errors';
import type { CliIo } from '../output';
import { shownPath } from '../settings';
import { openDistributionReader } from '../origin/cloudfront';
import { deploying, isSettled, newSecret, planRotation, sentSecret, waitUntilOriginAccepts, writeSecretVersion } from '../origin/rotate';
import { openSecretStore } from '../origin/ssm';
import { deployAndObserve } from '../origin/switch';
import { resolveOriginSecretTarget, type OriginSecretTarget } from '../origin/target';
import { DISTRIBUTION_ID } from './import';

/**
 * Plan: exit 2 (a rotation is always possible). --apply: 0 when CloudFront was seen to switch (a
 * --deploy-command ran and the distribution sends the new value) or the previous value retired, 2
 * when the origin accepts the staged value and only the deploy remains, 1 on error.
 */
export async function runRotateOriginSecret(argv: RotateOriginSecretArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io);
  const { out } = ctx;
  const target = resolveOriginSecretTarget(argv, ctx);
  if (!(argv.waitSeconds >= 0 && argv.waitSeconds <= 86400)) throw usageError(`--wait-seconds must be from 0 to 86400, got ${argv.waitSeconds}`);
  if (!(argv.pollSeconds > 0 && argv.pollSeconds <= 3600)) throw usageError(`--poll-seconds must be more than 0 and at most 3600, got ${argv.pollSeconds}`);
  const distributionId = argv.distributionId;
  if (distributionId === undefined)
    throw usageError("--distribution-id is required: the rotation reads the header CloudFront sends from the distribution itself (terraform output distribution_id, e.g. 'EDFDVBD6EXAMPLE')");
  if (!DISTRIBUTION_ID.test(distributionId))
    throw usageError(`--distribution-id must be a CloudFront distribution id like 'EDFDVBD6EXAMPLE' (terraform output distribution_id), got '${distributionId}'`);
  const configFile = ctx.loaded?.path;
  const shownConfig = ctx.loaded && shownPath(ctx.loaded, io);
  const store = await openSecretStore({ region: ctx.settings.region, profile: argv.profile, endpointUrl: argv.ssmEndpointUrl }, target.parameterName, io);
  const reader = await openDistributionReader({ profile: argv.profile, endpointUrl: argv.cloudfrontEndpointUrl }, io);
  const report = (doc: Record<string, unknown>, exitCode: number, lines: readonly string[]) => {
    if (out.json) out.document({ command: 'rotate-origin-secret', parameter: target.parameterName, ...doc, exitCode });
    else for (const l of lines) out.line(l);
    return exitCode;
  };
  try {
    const sent = await reader.read(distributionId, target.headerName);
    const latest = await store.read();
    const plan = planRotation(target, sent, latest, argv.retirePrevious);
    if (!argv.apply) {
      const exitCode = plan.steps.length > 0 ? 2 : 0;
      return report({ status: 'planned', ...plan }, exitCode, plan.steps.length > 0 ? plan.steps.map((s, i) => `${i + 1}. ${s}`) : ['nothing to retire: the parameter holds one value']);
    }
    if (!isSettled(sent)) throw deploying(target, sent);
    const sentValue = sentSecret(target, sent);
    if (argv.retirePrevious) {
      // Retire drops the previous value. The config is first pointed at what CloudFront is seen to send, so no later deploy brings the retired value back.
      const configSynced = configFile ? await syncConfigVersion(configFile, target, store, plan.latestVersion, sentValue) : false;
      if (configSynced) out.progress(`set originSecret.secretVersion to ${plan.latestVersion} in ${shownConfig}: distribution ${plan.distributionId} sends that version's value`);
      if (plan.steps.length === 0) return report({ status: 'retired', ...plan, configUpdated: configSynced }, 0, ['nothing to retire: the parameter holds one value']);
      // What CloudFront sends, Deployed, is the newest version's current value here (planRotation refused otherwise).
      const retired = await store.write({ current: sentValue, previous: sentValue });
      out.progress(`wrote version ${retired}: the previous value is no longer accepted after the origin's next refresh`);
      return report({ status: 'retired', ...plan, writtenVersion: retired, configUpdated: configSynced }, 0, [`retired the previous value (version ${retired})`]);
    }

    let staged = latest;
    if (plan.state !== 'staged') {
      const version = await store.write({ current: newSecret(), previous: sentValue });
      out.progress(`phase 1: wrote version ${version} of ${target.parameterName} (new current, the value CloudFront sends kept as previous)`);
      staged = await store.read(version);
    } else {
      out.progress(`phase 1 already done: version ${staged.version} is staged`);
    }
    await waitUntilOriginAccepts(
      target,
      { newVersion: staged.version, next: staged.value.current, old: sentValue },
      { waitSeconds: argv.waitSeconds, pollSeconds: argv.pollSeconds, progress: (m) => out.progress(m) },
    );
    out.progress(`the origin accepts version ${staged.version} and the old value`);

    const base = { ...plan, stagedVersion: staged.version };
    if (!argv.deployCommand) {
      const where = shownConfig ?? 'the config';
      const todo = `set originSecret.secretVersion to ${staged.version} in ${where} and deploy, or run 'cfguard rotate-origin-secret --apply --deploy-command <your deploy>' (it sets the version for the deploy and keeps it once CloudFront sends the new value); then 'cfguard verify-origin'`;
      return report({ status: 'awaiting-deploy', ...base, configUpdated: false, next: todo }, 2, [`the origin accepts version ${staged.version}; ${todo}`]);
    }
    const after = await deployAndObserve({
      target,
      distributionId,
      reader,
      staged,
      deployCommand: argv.deployCommand,
      configFile,
      cwd: configFile ? path.dirname(configFile) : io.cwd,
      stderr: io.stderr,
      progress: (m) => out.progress(m),
    });
    const through = target.distributionUrl ? (await checkHttp(target.distributionUrl, undefined, target.timeoutMs)).outcome : undefined;
    if (through !== undefined && through !== 'accepted') {
      throw guardError(
        'DISTRIBUTION_CHECK_FAILED',
        `${target.distributionUrl} answered '${through}' after the deploy; the origin still accepts the old value too, so check the deploy and run 'cfguard verify-origin'`,
        'external',
        { stagedVersion: staged.version },
      );
    }
    return report({ status: 'switched', ...base, configUpdated: configFile !== undefined, distributionStatus: after.status, throughDistribution: through ?? 'not checked' }, 0, [
      `rotated: distribution ${distributionId} sends version ${staged.version}${through ? ' and answers' : ''}; run 'cfguard rotate-origin-secret --retire-previous --apply' to stop accepting the old value`,
    ]);
  } finally {
    store.close();
    reader.close();
  }
}

/** True when the config named a version whose value CloudFront does not send and now names `version`. */
async function syncConfigVersion(configFile: string, target: OriginSecretTarget, store: SecretStore, version: number, sentValue: string): Promise<boolean> {
  if (target.secretVersion === version) return false;
  const named = await store.read(target.secretVersion).catch(() => undefined);
  if (named?.value.current === sentValue) return false;
  writeSecretVersion(configFile, version);
  return true;
}
