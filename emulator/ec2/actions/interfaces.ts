import { apiError, missingParameter } from '../errors';
import { el } from '../xml';
import { requireWellFormed, type ActionContext } from './context';

/**
 * ModifyNetworkInterfaceAttribute with SecurityGroupId.N: replaces the ENI's whole group list.
 * Other attributes (description, source/dest check, attachment) are accepted and not modelled.
 */
export function modifyNetworkInterfaceAttribute(ctx: ActionContext): string {
  const { state, params, limits } = ctx;
  const eniId = params.get('NetworkInterfaceId');
  if (eniId === undefined) throw missingParameter('networkInterfaceId');
  requireWellFormed(eniId, 'eni', 'InvalidNetworkInterfaceId.Malformed');
  const eni = state.enis.get(eniId);
  if (!eni) throw apiError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${eniId}' does not exist`);
  const requested = params.list('SecurityGroupId');
  if (requested.length === 0) {
    const otherAttribute = ['Description.Value', 'SourceDestCheck.Value', 'Attachment.AttachmentId'].some((k) => params.get(k) !== undefined);
    if (otherAttribute) return el('return', true);
    throw missingParameter('an attribute (SecurityGroupId.N needs at least one group; an interface cannot have none)');
  }
  const groupIds = [...new Set(requested)];
  for (const id of groupIds) {
    requireWellFormed(id, 'sg', 'InvalidGroupId.Malformed');
    const group = state.groups.get(id);
    if (!group || group.vpcId !== eni.vpcId) throw apiError('InvalidGroup.NotFound', `The security group '${id}' does not exist in VPC '${eni.vpcId}'`);
  }
  if (groupIds.length > limits.groupsPerInterface) {
    throw apiError('SecurityGroupsPerInterfaceLimitExceeded', 'The maximum number of security groups per interface has been reached.');
  }
  eni.groupIds = groupIds;
  return el('return', true);
}
