import { apiError } from '../errors';
import type { QueryParams } from '../query';
import type { Ec2State, GroupRecord } from '../state';

export interface Limits {
  rulesPerGroup: number;
  groupsPerInterface: number;
  pageSize: number;
}

export interface ActionContext {
  /** For writes, a clone that is committed only if the handler returns. */
  state: Ec2State;
  params: QueryParams;
  limits: Limits;
  region: string;
  /** The region the request was signed for (SigV4 scope): AWS-managed prefix lists have per-region ids. @default - `region` */
  signedRegion?: string;
  /** Opt-in regions the account has enabled (DescribeRegions). */
  enabledOptInRegions: ReadonlySet<string>;
}

/** Returns the inside of the `<XxxResponse>` document. */
export type ActionHandler = (ctx: ActionContext) => string;

/** EC2 checks an id's shape before looking it up. */
export function requireWellFormed(id: string, prefix: string, code: string): void {
  if (!new RegExp(`^${prefix}-[0-9a-f]+$`).test(id)) throw apiError(code, `Invalid id: "${id}" (expecting "${prefix}-...")`);
}

export function requireGroup(state: Ec2State, groupId: string | undefined): GroupRecord {
  if (groupId === undefined || groupId === '') throw apiError('MissingParameter', 'The request must contain the parameter groupId');
  requireWellFormed(groupId, 'sg', 'InvalidGroupId.Malformed');
  const group = state.groups.get(groupId);
  if (!group) throw apiError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
  return group;
}
