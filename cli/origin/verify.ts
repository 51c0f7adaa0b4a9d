import { guardError } from '../../lambda-src/core/errors';
import { originSecretHeader } from '../../lambda-src/config/origin-secret';
import { answered, checkHttp, type HttpCheckResult } from '../../lambda-src/aws/origin-http-check';
import { probeTcpPorts, type TcpProbeResult } from '../../lambda-src/aws/origin-probe';
import type { SecretStore, StoredSecret } from '../../lambda-src/aws/ssm-secret-store';
import type { OriginSecretTarget } from './target';

/*
 * The proof: the origin refuses a request without the header, accepts CloudFront's value, the
 * distribution serves the path, and nothing answers a TCP connection from here. Results name
 * versions and outcomes, never values.
 */

export type VerifyStatus = 'enforced' | 'not-enforced' | 'directly-reachable';

export interface VerifyReport {
  readonly status: VerifyStatus;
  readonly exitCode: 0 | 2;
  readonly parameter: string;
  readonly header: string;
  readonly sentVersion: number;
  readonly latestVersion: number;
  readonly checks: {
    readonly withoutHeader: HttpCheckResult;
    readonly withSentValue: HttpCheckResult;
    /** Mid-rotation only: the staged value CloudFront does not send yet. */
    readonly withStagedValue?: HttpCheckResult;
    readonly throughDistribution?: HttpCheckResult;
    readonly tcp: readonly TcpProbeResult[];
  };
  readonly notes: readonly string[];
}

export function headerFor(target: OriginSecretTarget, secret: string): { name: string; value: string } {
  return originSecretHeader(target.headerShape, target.headerName, secret);
}

export async function verifyOrigin(target: OriginSecretTarget, store: SecretStore): Promise<VerifyReport> {
  const sent = await store.read(target.secretVersion);
  const latest = await store.read();
  const staged = latest.value.current !== sent.value.current ? latest : undefined;
  const [withoutHeader, withSentValue, withStagedValue, throughDistribution, tcp] = await Promise.all([
    checkHttp(target.originUrl, undefined, target.timeoutMs),
    checkHttp(target.originUrl, headerFor(target, sent.value.current), target.timeoutMs),
    staged ? checkHttp(target.originUrl, headerFor(target, staged.value.current), target.timeoutMs) : undefined,
    target.distributionUrl ? checkHttp(target.distributionUrl, undefined, target.timeoutMs) : undefined,
    target.probeHost ? probeTcpPorts(target.probeHost, target.probePorts, target.timeoutMs) : Promise.resolve([] as TcpProbeResult[]),
  ]);
  const checks = { withoutHeader, withSentValue, withStagedValue, throughDistribution, tcp };
  if (!answered(withoutHeader) || !answered(withSentValue)) {
    throw guardError(
      'ORIGIN_UNREACHABLE',
      `the origin at ${target.originUrl} did not answer (${withoutHeader.outcome}${withoutHeader.errorCode ? ` ${withoutHeader.errorCode}` : ''}): from a host the security groups keep out this is expected; run verify-origin on the instance with --origin-url http://127.0.0.1:<port>/<path>, or from a host the origin admits`,
      'external',
      { checks },
    );
  }
  if (withoutHeader.outcome !== 'accepted' && withSentValue.outcome !== 'accepted') {
    throw guardError(
      'ORIGIN_REJECTS_SECRET',
      `the origin refuses the value CloudFront sends (version ${sent.version} of '${target.parameterName}': HTTP ${withSentValue.status}), so viewers get errors too; refresh the origin's accepted values from the parameter (README, "The origin's side") or check --secret-version`,
      'external',
      { checks, sentVersion: sent.version },
    );
  }
  if (throughDistribution && throughDistribution.outcome !== 'accepted') {
    throw guardError(
      'DISTRIBUTION_CHECK_FAILED',
      `${target.distributionUrl} answered ${throughDistribution.status ?? throughDistribution.outcome} through CloudFront; the origin accepts the header directly, so check that the distribution was deployed with secretVersion ${sent.version} and serves this path`,
      'external',
      { checks },
    );
  }
  return buildReport(target, sent, latest, checks);
}

function buildReport(target: OriginSecretTarget, sent: StoredSecret, latest: StoredSecret, checks: VerifyReport['checks']): VerifyReport {
  const notes: string[] = [];
  const open = checks.tcp.filter((t) => t.outcome === 'open');
  let status: VerifyStatus = 'enforced';
  if (checks.withoutHeader.outcome === 'accepted') {
    status = 'not-enforced';
    notes.push(
      target.mode === 'required'
        ? `originSecret.mode is 'required' but the origin serves ${target.originUrl} without the header: the bypass is open`
        : `origin does not check the header yet: it served ${target.originUrl} without ${target.headerName}; install a recipe from the README ("The origin's side"), then set originSecret.mode to 'required'`,
    );
  } else if (open.length > 0) {
    status = 'directly-reachable';
  }
  if (open.length > 0)
    notes.push(
      `TCP ${open.map((t) => `${t.host}:${t.port}`).join(', ')} accepted a connection from this host, which is not a CloudFront range: something (a group, a NACL, a load balancer) lets traffic around CloudFront`,
    );
  if (checks.withStagedValue && checks.withStagedValue.outcome !== 'accepted')
    notes.push(`mid-rotation: the origin does not accept the staged value (version ${latest.version}) yet; do not deploy secretVersion ${latest.version} before it does`);
  if (!checks.throughDistribution) notes.push('the distribution was not checked: pass --distribution-url https://<distribution_domain_name>/<path>');
  if (target.probeSkippedBecause) notes.push(`no TCP probe: ${target.probeSkippedBecause}`);
  return {
    status,
    exitCode: status === 'enforced' ? 0 : 2,
    parameter: target.parameterName,
    header: target.headerName,
    sentVersion: sent.version,
    latestVersion: latest.version,
    checks,
    notes,
  };
}
