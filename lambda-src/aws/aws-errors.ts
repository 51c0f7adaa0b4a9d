import { guardError, GuardError, isGuardError } from '../core/errors';

/** EC2 error codes that mean another writer (or our own retried call) got there first: re-read and re-plan. */
export const RACE_CODES: ReadonlySet<string> = new Set(['InvalidPermission.Duplicate', 'InvalidPermission.NotFound', 'InvalidGroup.NotFound', 'InvalidGroup.Duplicate']);

export class RaceError extends Error {
  constructor(
    public readonly awsCode: string,
    public readonly action: string,
    public readonly detail: string,
  ) {
    super(`${action}: ${awsCode} (${detail})`);
    this.name = 'RaceError';
  }
}

function awsCode(e: unknown): string {
  const err = e as { name?: string; Code?: string };
  return err.Code ?? err.name ?? 'Unknown';
}

/** How the user named the two quota settings (flag, variable, config path); absent ones are the Lambda's variables. */
export interface QuotaSettingNames {
  readonly rulesPerGroup?: string;
  readonly groupsPerInterface?: string;
}

/**
 * Turns an SDK error into the product's error vocabulary; quota refusals name the setting to change.
 * A quota refusal is a `usage` error, as the planner's own quota check is: the settings ask for more
 * than the account allows, and retrying cannot help until a setting or the quota changes.
 */
export function describeAwsError(e: unknown, action: string, detail = '', names: QuotaSettingNames = {}): GuardError | RaceError {
  const rulesPerGroup = names.rulesPerGroup ?? 'RULES_PER_GROUP';
  const groupsPerInterface = names.groupsPerInterface ?? 'GROUPS_PER_INTERFACE';
  if (isGuardError(e) || e instanceof RaceError) return e as GuardError | RaceError;
  const code = awsCode(e);
  const message = (e as Error)?.message ?? String(e);
  if (RACE_CODES.has(code)) return new RaceError(code, action, detail || message);
  if (code === 'RulesPerSecurityGroupLimitExceeded') {
    return guardError(
      'QUOTA_RULES_PER_GROUP',
      `EC2 refused ${action}${detail ? ` on ${detail}` : ''} with RulesPerSecurityGroupLimitExceeded: the account's 'Inbound or outbound rules per security group' quota is below ${rulesPerGroup}; lower ${rulesPerGroup} to the account's quota or raise the quota`,
      'usage',
      { awsCode: code, action },
    );
  }
  if (code === 'SecurityGroupsPerInterfaceLimitExceeded') {
    return guardError(
      'QUOTA_GROUPS_PER_INTERFACE',
      `EC2 refused ${action}${detail ? ` on ${detail}` : ''} with SecurityGroupsPerInterfaceLimitExceeded: the account's 'Security groups per network interface' quota is below ${groupsPerInterface}; lower ${groupsPerInterface} to the account's quota or raise the quota`,
      'usage',
      { awsCode: code, action },
    );
  }
  if (code === 'InvalidVpcID.NotFound') return guardError('VPC_NOT_FOUND', `${action}: ${message}; set VPC_ID to the VPC of the origin instance`, 'usage', { awsCode: code });
  return guardError('AWS_ERROR', `${action}${detail ? ` on ${detail}` : ''} failed: ${code}: ${message}`, 'external', { awsCode: code, action });
}
