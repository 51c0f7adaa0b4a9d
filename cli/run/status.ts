import { readActualState } from '../../lambda-src/aws/ec2-state';
import { reconcile } from '../../lambda-src/aws/reconcile';
import type { StatusArgs } from '../commands/status';
import { ec2For, prepare } from '../context';
import type { CliIo } from '../output';
import { documentFacts, loadDesired } from '../ranges-source';
import { renderExposure, renderStatus } from '../render/status';
import { auditInstanceExposure, auditQueryFor } from '../../lambda-src/aws/exposure-audit';
import { statusReport } from '../status/report';

/** Read-only. Exit codes as `drift`: 0 in sync (or a stale document), 2 a plan is pending, 1 error. */
export async function runStatus(argv: StatusArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io);
  const { out, settings } = ctx;
  const { loaded, desired } = await loadDesired(argv.ipRanges, settings, out, io);
  const ec2 = await ec2For(ctx);
  out.progress(`reading the groups tagged PREFIX_NAME=${settings.prefixName} in ${settings.region}`);
  // The reconciler's own dry run decides "pending", so status can never disagree with `reconcile`.
  const result = await reconcile({ ec2, settings, desired, apply: false });
  const actual = await readActualState(ec2, { prefixName: settings.prefixName, vpcId: result.vpcId, instanceId: settings.instanceId });
  const report = statusReport({ actual, desired, result, ports: settings.ports, prefixName: settings.prefixName, instanceId: settings.instanceId });
  const query = auditQueryFor(settings, result.vpcId, desired);
  const exposure = query ? await auditInstanceExposure(ec2, query) : undefined;
  if (out.json) {
    const { status, exitCode, ...rest } = report;
    out.document({ command: 'status', status, exitCode, document: documentFacts(loaded), ...rest, ...(exposure ? { exposure } : {}) });
  } else {
    renderStatus(out, report);
    renderExposure(out, exposure);
  }
  return report.exitCode;
}
