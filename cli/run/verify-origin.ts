import type { VerifyOriginArgs } from '../commands/verify-origin';
import { prepare } from '../context';
import type { CliIo } from '../output';
import { openSecretStore } from '../origin/ssm';
import { resolveOriginSecretTarget, resolveSecondaryOriginCheck } from '../origin/target';
import { verifyOrigin, type VerifyReport } from '../origin/verify';
import type { HttpCheckResult } from '../../lambda-src/aws/origin-http-check';

/**
 * Exit 0 the origin enforces the header (and no port answers from here), 2 the bypass is open, 1 error.
 * With secondaryOrigin in the config both origins are checked (the secondary directly: CloudFront's
 * URL reaches whichever origin the group picks), each reported; exit 2 if either is open.
 */
export async function runVerifyOrigin(argv: VerifyOriginArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io, { probeOnly: true });
  const target = resolveOriginSecretTarget(argv, ctx);
  const secondary = resolveSecondaryOriginCheck(argv, ctx);
  const store = await openSecretStore({ region: ctx.settings.region, profile: argv.profile, endpointUrl: argv.ssmEndpointUrl }, target.parameterName, io);
  try {
    ctx.out.progress(`reading ${target.parameterName} (version ${target.secretVersion} and the newest) and checking ${target.originUrl}${secondary ? ` and ${secondary.originUrl}` : ''}`);
    const report = await verifyOrigin(target, store);
    const origins = secondary && [
      { role: 'primary' as const, originUrl: target.originUrl, ...report },
      { role: 'secondary' as const, originUrl: secondary.originUrl, ...(await verifyOrigin({ ...target, ...secondary, distributionUrl: undefined }, store)) },
    ];
    // The top level is the worse of the two, so a script reading `status`/`exitCode` alone sees an open secondary.
    const worst = origins?.find((o) => o.exitCode !== 0) ?? report;
    if (ctx.out.json) ctx.out.document({ command: 'verify-origin', ...report, ...(origins ? { status: worst.status, exitCode: worst.exitCode, origins } : {}) });
    else if (!origins) renderVerify(ctx.out, report);
    else
      for (const o of origins) {
        ctx.out.line(`${o.role} origin ${o.originUrl}:`);
        renderVerify(ctx.out, o);
      }
    return worst.exitCode;
  } finally {
    store.close();
  }
}

function outcome(r: HttpCheckResult): string {
  return r.status !== undefined ? `${r.outcome} (HTTP ${r.status})` : r.outcome;
}

function renderVerify(out: ReturnType<typeof prepare>['out'], r: VerifyReport & { readonly role?: string }): void {
  // Each row: what was tried, where, what came back, and whether that is what an enforcing origin does.
  const http = (check: string, c: HttpCheckResult, want: HttpCheckResult['outcome']) => [check, c.url, outcome(c), want, c.outcome === want ? 'ok' : 'NO'];
  const rows: string[][] = [http('origin, no header', r.checks.withoutHeader, 'denied'), http(`origin, ${r.header} v${r.sentVersion}`, r.checks.withSentValue, 'accepted')];
  if (r.checks.withStagedValue) rows.push(http(`origin, ${r.header} v${r.latestVersion} (staged)`, r.checks.withStagedValue, 'accepted'));
  if (r.checks.throughDistribution) rows.push(http('through CloudFront', r.checks.throughDistribution, 'accepted'));
  for (const t of r.checks.tcp) rows.push([`tcp ${t.port}`, t.host, t.outcome, 'refused or timeout', t.outcome === 'open' ? 'NO' : 'ok']);
  out.table(['CHECK', 'TARGET', 'RESULT', 'EXPECTED', 'OK'], rows, (row, column) => (column === 4 ? (row[4] === 'ok' ? 'green' : 'red') : undefined));
  for (const note of r.notes) out.warn(note);
  out.line(
    (r.role ? `${r.role}: ` : '') +
      (r.status === 'enforced'
        ? 'origin enforces the header: only our distribution reaches it'
        : r.status === 'not-enforced'
          ? 'BYPASS OPEN: the origin does not check the header'
          : 'BYPASS OPEN: the origin accepts TCP connections from outside CloudFront'),
  );
}
