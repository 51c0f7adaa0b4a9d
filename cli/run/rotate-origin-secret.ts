import * as path from 'path';
import { guardError } from '../../lambda-src/core/errors';
import type { RotateOriginSecretArgs } from '../commands/rotate-origin-secret';
import { prepare } from '../context';
import { usageError } from '../errors';
import type { CliIo } from '../output';
import { checkThroughDistribution, newSecret, planRotation, runDeployCommand, waitUntilOriginAccepts, writeSecretVersion } from '../origin/rotate';
import { openSecretStore } from '../origin/ssm';
import { resolveOriginSecretTarget } from '../origin/target';

/**
 * Plan: exit 2 (a rotation is always possible). --apply: 0 when CloudFront was switched (a
 * --deploy-command ran and the distribution answers) or the previous value retired, 2 when the
 * origin accepts the staged value and only the deploy remains, 1 on error.
 */
export async function runRotateOriginSecret(argv: RotateOriginSecretArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io);
  const { out } = ctx;
  const target = resolveOriginSecretTarget(argv, ctx);
  if (!(argv.waitSeconds >= 0 && argv.waitSeconds <= 86400)) throw usageError(`--wait-seconds must be from 0 to 86400, got ${argv.waitSeconds}`);
  if (!(argv.pollSeconds > 0 && argv.pollSeconds <= 3600)) throw usageError(`--poll-seconds must be more than 0 and at most 3600, got ${argv.pollSeconds}`);
  const configFile = ctx.loaded?.path;
  const shownConfig = configFile ? path.relative(io.cwd, configFile) || configFile : undefined;
  const store = await openSecretStore({ region: ctx.settings.region, profile: argv.profile, endpointUrl: argv.ssmEndpointUrl }, target.parameterName, io);
  const report = (doc: Record<string, unknown>, exitCode: number, lines: readonly string[]) => {
    if (out.json) out.document({ command: 'rotate-origin-secret', parameter: target.parameterName, ...doc, exitCode });
    else for (const l of lines) out.line(l);
    return exitCode;
  };
  try {
    const sent = await store.read(target.secretVersion);
    const latest = await store.read();
    const plan = planRotation(target, sent, latest, argv.retirePrevious, shownConfig);
    if (!argv.apply) {
      const exitCode = plan.steps.length > 0 ? 2 : 0;
      return report({ status: 'planned', ...plan }, exitCode, plan.steps.length > 0 ? plan.steps.map((s, i) => `${i + 1}. ${s}`) : ['nothing to retire: the parameter holds one value']);
    }

    if (argv.retirePrevious) {
      if (plan.steps.length === 0) return report({ status: 'retired', ...plan }, 0, ['nothing to retire: the parameter holds one value']);
      const retired = await store.write({ current: latest.value.current, previous: latest.value.current });
      out.progress(`wrote version ${retired}: the previous value is no longer accepted after the origin's next refresh`);
      return report({ status: 'retired', ...plan, writtenVersion: retired }, 0, [`retired the previous value (version ${retired})`]);
    }

    let staged = latest;
    if (plan.state !== 'staged') {
      const version = await store.write({ current: newSecret(), previous: sent.value.current });
      out.progress(`phase 1: wrote version ${version} of ${target.parameterName} (new current, old kept as previous)`);
      staged = await store.read(version);
    } else {
      out.progress(`phase 1 already done: version ${staged.version} is staged`);
    }
    await waitUntilOriginAccepts(
      target,
      { newVersion: staged.version, next: staged.value.current, old: sent.value.current },
      { waitSeconds: argv.waitSeconds, pollSeconds: argv.pollSeconds, progress: (m) => out.progress(m) },
    );
    out.progress(`the origin accepts version ${staged.version} and the old value`);

    if (configFile) {
      writeSecretVersion(configFile, staged.version);
      out.progress(`phase 2: set originSecret.secretVersion to ${staged.version} in ${shownConfig}`);
    }
    const base = { ...plan, stagedVersion: staged.version, configUpdated: configFile !== undefined };
    if (!argv.deployCommand) {
      const todo = configFile
        ? `deploy now (npm run deploy), then run 'cfguard verify-origin'`
        : `set originSecret.secretVersion to ${staged.version} in the config, deploy, then run 'cfguard verify-origin'`;
      return report({ status: 'awaiting-deploy', ...base, next: todo }, 2, [`the origin accepts version ${staged.version}; ${todo}`]);
    }
    out.progress(`phase 2: running '${argv.deployCommand}'`);
    await runDeployCommand(argv.deployCommand, configFile ? path.dirname(configFile) : io.cwd, process.env, io.stderr);
    const through = await checkThroughDistribution(target);
    if (through !== undefined && through !== 'accepted') {
      throw guardError(
        'DISTRIBUTION_CHECK_FAILED',
        `${target.distributionUrl} answered '${through}' after the deploy; the origin still accepts the old value too, so check the deploy and run 'cfguard verify-origin'`,
        'external',
        { stagedVersion: staged.version },
      );
    }
    return report({ status: 'switched', ...base, throughDistribution: through ?? 'not checked' }, 0, [
      `rotated: CloudFront sends version ${staged.version}${through ? ' and the distribution answers' : ''}; run 'cfguard rotate-origin-secret --retire-previous --apply' to stop accepting the old value`,
    ]);
  } finally {
    store.close();
  }
}
