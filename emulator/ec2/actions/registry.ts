import type { ActionHandler } from './context';
import { describeSecurityGroups } from './describe-groups';
import { describeSecurityGroupRules } from './describe-rules';
import { describeAddresses, describeInstances } from './describe-instances';
import { describeNetworkInterfaces, describeVpcs } from './describe-network';
import { describeRegions } from './describe-regions';
import { describeManagedPrefixLists } from './describe-prefix-lists';
import { createSecurityGroup, deleteSecurityGroup } from './groups';
import { modifyNetworkInterfaceAttribute } from './interfaces';
import { authorizeSecurityGroupEgress, authorizeSecurityGroupIngress, revokeSecurityGroupEgress, revokeSecurityGroupIngress } from './rules';
import { createTags, deleteTags } from './tags';

/** Every action the emulator answers; anything else is `InvalidAction`. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  DescribeVpcs: describeVpcs,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeSecurityGroupRules: describeSecurityGroupRules,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  DescribeInstances: describeInstances,
  DescribeAddresses: describeAddresses,
  DescribeRegions: describeRegions,
  DescribeManagedPrefixLists: describeManagedPrefixLists,
  CreateSecurityGroup: createSecurityGroup,
  DeleteSecurityGroup: deleteSecurityGroup,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
  AuthorizeSecurityGroupEgress: authorizeSecurityGroupEgress,
  RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
  RevokeSecurityGroupEgress: revokeSecurityGroupEgress,
  ModifyNetworkInterfaceAttribute: modifyNetworkInterfaceAttribute,
  CreateTags: createTags,
  DeleteTags: deleteTags,
};

/** Writes are every action not starting with `Describe`, known or not. */
export function isWrite(action: string): boolean {
  return !action.startsWith('Describe');
}
