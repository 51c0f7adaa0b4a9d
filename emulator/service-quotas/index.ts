import { OWNER_ID } from '../ec2/state';
import { startLoopbackServer, type LoopbackServer, type WireAnswer } from '../loopback-server';

/*
 * Service Quotas in its real wire protocol (AWS JSON 1.1): POST / with
 * `X-Amz-Target: ServiceQuotasV20190624.<Operation>` and a JSON body. GetServiceQuota returns the
 * account's applied value; GetAWSDefaultServiceQuota AWS's default. The two security-group quotas
 * are Amazon VPC's (service code vpc); codes and names as the Service Quotas console shows them.
 */

interface KnownQuota {
  readonly serviceName: string;
  readonly quotaName: string;
  readonly defaultValue: number;
}

export const KNOWN_QUOTAS: Readonly<Record<string, KnownQuota>> = {
  'vpc/L-0EA8095F': { serviceName: 'Amazon Virtual Private Cloud (Amazon VPC)', quotaName: 'Inbound or outbound rules per security group', defaultValue: 60 },
  'vpc/L-2AFB9258': { serviceName: 'Amazon Virtual Private Cloud (Amazon VPC)', quotaName: 'Security groups per network interface', defaultValue: 5 },
  'lambda/L-B99A9384': { serviceName: 'AWS Lambda', quotaName: 'Concurrent executions', defaultValue: 1000 },
  'ec2/L-0263D0A3': { serviceName: 'Amazon Elastic Compute Cloud (Amazon EC2)', quotaName: 'EC2-VPC Elastic IPs', defaultValue: 5 },
};

export interface ServiceQuotasEmulatorOptions {
  /** `<service>/<code>` -> the account's applied value. @default - AWS's defaults */
  readonly applied?: Readonly<Record<string, number>>;
  /** The caller may not read quotas: every call is AccessDeniedException. @default false */
  readonly accessDenied?: boolean;
  readonly accountId?: string;
}

const TARGET_PREFIX = 'ServiceQuotasV20190624.';

function failure(code: string, message: string, action: string, params: Record<string, string>, status = 400): WireAnswer {
  return { status, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: code, Message: message }), action, params, errorCode: code };
}

export function startServiceQuotasEmulator(opts: ServiceQuotasEmulatorOptions = {}): Promise<LoopbackServer> {
  const account = opts.accountId ?? OWNER_ID;
  return startLoopbackServer('servicequotas', (req) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    let input: Record<string, unknown> = {};
    try {
      input = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    } catch {
      return failure('SerializationException', 'Start of structure or map found where not expected.', action, {});
    }
    const params = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, String(v)]));
    if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
      return failure('UnknownOperationException', 'Expected POST with application/x-amz-json-1.1', action, params);
    }
    if (action !== 'GetServiceQuota' && action !== 'GetAWSDefaultServiceQuota') return failure('UnknownOperationException', `Unknown operation ${target}`, action, params);
    if (opts.accessDenied) return failure('AccessDeniedException', `User is not authorized to perform: servicequotas:${action}`, action, params);
    const key = `${params.ServiceCode}/${params.QuotaCode}`;
    const known = KNOWN_QUOTAS[key];
    if (!known) return failure('NoSuchResourceException', `The request failed because the specified quota ${params.QuotaCode} for service ${params.ServiceCode} does not exist.`, action, params);
    const region = /\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? 'us-east-1';
    const value = action === 'GetServiceQuota' ? (opts.applied?.[key] ?? known.defaultValue) : known.defaultValue;
    const quota = {
      ServiceCode: params.ServiceCode,
      ServiceName: known.serviceName,
      QuotaArn: `arn:aws:servicequotas:${region}:${account}:${key}`,
      QuotaCode: params.QuotaCode,
      QuotaName: known.quotaName,
      Value: value,
      Unit: 'None',
      Adjustable: true,
      GlobalQuota: false,
    };
    return { status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ Quota: quota }), action, params };
  });
}
