import type { Construct } from 'constructs';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { ORIGIN_METRICS } from '../lambda-src/core/metrics';
import { guardAlarm, guardMetricOf } from './guard-alarms';
import { ORIGIN_ENV, tcpProbePorts } from '../lambda-src/config/origin-probe-env';
import type { OriginSecretMode } from '../lambda-src/config/origin-secret';
import type { PortSpec } from '../lambda-src/core/model';

/*
 * The guard function's origin checks (lambda-src/function/origin-checks.ts): the environment that
 * switches them on and their alarms. The alarm names come from the handler's metric table.
 */

export interface OriginProbeProps {
  /** The origin's public address the function connects to (the Elastic IP). */
  readonly address: string;
  /** The secondary origin's public address (its Elastic IP), tried like the primary's. @default - no secondary origin */
  readonly secondaryAddress?: string;
  /** The secret header's mode: `required` adds the bypass check and its alarm. @default 'on' */
  readonly secretMode?: OriginSecretMode;
  /** The URL requested without the header in `required` mode, e.g. `http://<EIP DNS>:80/`. @default - no bypass check */
  readonly checkUrl?: string;
  /** Alarm when an origin port accepts a TCP connection from the function. @default true */
  readonly directlyReachableAlarm?: boolean;
  /** Each connection's timeout. @default 3000 */
  readonly timeoutMs?: number;
}

export function originProbeEnvironment(p: OriginProbeProps, ports: readonly PortSpec[]): Record<string, string> {
  const mode = p.secretMode ?? 'on';
  return {
    [ORIGIN_ENV.address]: p.address,
    ...(p.secondaryAddress !== undefined ? { [ORIGIN_ENV.secondaryAddress]: p.secondaryAddress } : {}),
    [ORIGIN_ENV.ports]: tcpProbePorts(ports).join(','),
    [ORIGIN_ENV.secretMode]: mode,
    ...(p.timeoutMs !== undefined ? { [ORIGIN_ENV.timeoutMs]: String(p.timeoutMs) } : {}),
    ...(mode === 'required' && p.checkUrl ? { [ORIGIN_ENV.checkUrl]: p.checkUrl } : {}),
  };
}

/** Runs are daily (or on a range change): one breaching data point in a day is enough. */
export const ORIGIN_ALARM_PERIOD_SECONDS = 86400;

export function renderOriginProbeAlarms(
  scope: Construct,
  o: { functionName: string; prefixName: string; probe: OriginProbeProps; topicArn?: string; tags?: Readonly<Record<string, string>> },
): CloudwatchMetricAlarm[] {
  const alarm = (id: string, suffix: string, metricName: string, description: string) =>
    guardAlarm(scope, o, id, suffix, `${description} Logs: /aws/lambda/${o.functionName} (msg origin-checks); prove it with 'cfguard verify-origin'.`, {
      ...guardMetricOf(metricName, o.prefixName),
      statistic: 'Maximum',
      period: ORIGIN_ALARM_PERIOD_SECONDS,
    });
  const alarms: CloudwatchMetricAlarm[] = [];
  if (o.probe.directlyReachableAlarm ?? true) {
    alarms.push(
      alarm(
        'origin-reachable-alarm',
        'origin-directly-reachable',
        ORIGIN_METRICS.directlyReachable,
        'an origin port accepted a TCP connection from the guard function, which is not a CloudFront address: something (a security group, a NACL, a load balancer) lets traffic around CloudFront.',
      ),
    );
  }
  if ((o.probe.secretMode ?? 'on') === 'required' && o.probe.checkUrl) {
    alarms.push(
      alarm(
        'origin-bypass-alarm',
        'origin-bypass-open',
        ORIGIN_METRICS.bypassOpen,
        "the origin served a request without the secret header although originSecret.mode is 'required': any CloudFront distribution can reach it.",
      ),
    );
  }
  return alarms;
}
