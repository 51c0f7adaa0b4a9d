import path from 'path';
import { GuardError, type ErrorKind } from '../../lambda-src/core/errors';
import { publishedServices } from '../../lambda-src/core/ip-ranges';
import type { Ec2Shell } from '../../lambda-src/aws/security-group-manager';
import { ec2ClientFor, type AwsTarget } from '../aws';
import type { DriftArgs } from '../commands/drift';
import { prepare, type RunContext } from '../context';
import { checkTarget, countTargets, type DriftTarget, type TargetReport } from '../drift/check';
import { mapLimit, readTargetsFile } from '../drift/targets';
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../exit-codes';
import { ingestFromFlags } from '../ingest/expected';
import { ingestRulesToCheck } from '../ingest/check';
import type { CliIo } from '../output';
import { documentFacts, loadDesired } from '../ranges-source';
import { renderDrift } from '../render/drift';
import { renderError } from '../errors';
import { resolveCliSettings } from '../settings';

function targetsOf(ctx: RunContext, argv: DriftArgs): DriftTarget[] {
  if (argv.targets === undefined) {
    const aws = { region: ctx.settings.region, profile: argv.profile, endpointUrl: argv.endpointUrl };
    return [{ name: ctx.loaded?.config.name ?? 'default', settings: ctx.settings, client: () => ec2ClientFor(aws, ctx.io) }];
  }
  const file = path.resolve(ctx.io.cwd, argv.targets);
  const shown = path.relative(ctx.io.cwd, file) || file;
  // Targets that reach AWS the same way (region, profile, role, endpoint) share one client: its credentials resolve once.
  const clients = new Map<string, Promise<Ec2Shell>>();
  const clientFor = (aws: AwsTarget) => () => {
    const key = JSON.stringify([aws.region, aws.profile, aws.roleArn, aws.endpointUrl]);
    if (!clients.has(key)) clients.set(key, ec2ClientFor(aws, ctx.io));
    return clients.get(key) as Promise<Ec2Shell>;
  };
  return readTargetsFile(file).map((t, i) => {
    const at = (key: string) => ({ source: `${shown}: [${i}].${key}` });
    // A target names its own VPC and instance: the config's belong to another account, so an omitted one means none.
    const settings = resolveCliSettings(argv, ctx.loaded, ctx.io, {
      region: { value: t.region, ...at('region') },
      vpcId: { value: t.vpcId ?? '', ...at('vpcId') },
      instanceId: { value: t.instanceId ?? '', ...at('instanceId') },
      prefixName: { value: t.prefixName, ...at('prefixName') },
      instanceSecurityGroupId: { value: '', ...at('instanceSecurityGroupId') },
    });
    const aws = {
      region: settings.region,
      profile: t.profile ?? argv.profile,
      ...(t.profile ? { profileFrom: `the '${t.name}' entry of --targets` } : {}),
      roleArn: t.roleArn,
      endpointUrl: t.endpointUrl ?? argv.endpointUrl,
    };
    return { name: t.name, settings, client: clientFor(aws) };
  });
}

/** Stale (the document is older than the one applied) is exit 0, as `reconcile` skips it; see core/compare. */
export function driftStatus(reports: readonly TargetReport[]): { status: 'in-sync' | 'drift' | 'stale' | 'error'; exitCode: number } {
  if (reports.some((r) => r.status === 'error')) return { status: 'error', exitCode: EXIT_ERROR };
  if (reports.some((r) => r.status === 'drift')) return { status: 'drift', exitCode: EXIT_CHANGES };
  if (reports.some((r) => r.status === 'stale')) return { status: 'stale', exitCode: EXIT_OK };
  return { status: 'in-sync', exitCode: EXIT_OK };
}

function errorOf(report: Extract<TargetReport, { status: 'error' }>): GuardError {
  const { code, message, kind, details } = report.error as { code: string; message: string; kind?: ErrorKind; details?: Record<string, unknown> };
  return new GuardError(code, message, kind ?? 'internal', details ?? {});
}

/** With --targets, failed targets are named in the report and summed up in one error line (the first failure's code). */
export function targetsFailure(reports: readonly TargetReport[]): GuardError | undefined {
  const failed = reports.flatMap((r) => (r.status === 'error' ? [r] : []));
  if (failed.length === 0) return undefined;
  const first = errorOf(failed[0]);
  const more =
    failed.length > 1
      ? ` (and ${failed.length - 1} more: ${failed
          .slice(1, 4)
          .map((r) => r.name)
          .join(', ')}${failed.length > 4 ? ', …' : ''}; --json lists each)`
      : '';
  return new GuardError(first.code, `${failed.length} of ${reports.length} targets failed; ${failed[0].name}: ${first.message}${more}`, first.kind, { failedTargets: failed.map((r) => r.name) });
}

export async function runDrift(argv: DriftArgs, io: CliIo): Promise<number> {
  // With --targets, each target names its region; the base settings need none.
  const ctx = prepare(argv, io, { regionRequired: argv.targets === undefined });
  const { out } = ctx;
  // --ingest-ports/--ingest-cidrs name the expected ingest rules for every target, as --ingest-rules would.
  const allowed = ingestFromFlags(argv, ctx.loaded?.config);
  const targets = targetsOf(ctx, argv).map((t) => (allowed ? { ...t, settings: { ...t.settings, ingestRules: allowed } } : t));
  const { loaded, desired } = await loadDesired(argv.ipRanges, ctx.settings, out, io);
  const published = publishedServices(loaded.document);
  let done = 0;
  const reports = await mapLimit(targets, argv.concurrency, async (target) => {
    if (targets.length > 1) out.progress(`checking ${target.name} (${target.settings.region})`);
    const report = await checkTarget(target, desired, ingestRulesToCheck(argv, ctx.loaded?.config, target.settings), published);
    done++;
    if (targets.length > 1) out.progress(`[${done}/${targets.length}] ${target.name}: ${report.status}`);
    return report;
  });
  // One target (no --targets): its failure is the command's, reported like any other command's.
  if (argv.targets === undefined && reports[0].status === 'error') throw errorOf(reports[0]);
  const { status, exitCode } = driftStatus(reports);
  const failed = targetsFailure(reports);
  if (out.json) {
    out.document({ command: 'drift', status, exitCode, ...(failed ? { error: failed.toJSON() } : {}), document: documentFacts(loaded), summary: countTargets(reports), targets: reports });
  } else {
    renderDrift(out, reports);
  }
  if (failed) io.stderr.write(renderError(failed, out.debugging));
  return exitCode;
}
