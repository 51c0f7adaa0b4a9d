import { guardError, GuardError, isGuardError, settingError } from '../core/errors';

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

/** EC2's two quota refusals: the product's code, the setting that asks too much, and the quota's name in the console. */
const QUOTA_REFUSALS = {
  RulesPerSecurityGroupLimitExceeded: { code: 'QUOTA_RULES_PER_GROUP', setting: 'rulesPerGroup', quota: 'Inbound or outbound rules per security group' },
  SecurityGroupsPerInterfaceLimitExceeded: { code: 'QUOTA_GROUPS_PER_INTERFACE', setting: 'groupsPerInterface', quota: 'Security groups per network interface' },
} as const;

type QuotaRefusal = keyof typeof QUOTA_REFUSALS;

/** Names the setting by id; the edge that prints it spells it (core/errors respelled). */
function quotaRefusal(awsCode: QuotaRefusal, action: string, detail: string): GuardError {
  const q = QUOTA_REFUSALS[awsCode];
  const on = detail ? ` on ${detail}` : '';
  return settingError(
    q.code,
    (spell) => `EC2 refused ${action}${on} with ${awsCode}: the account's '${q.quota}' quota is below ${spell(q.setting)}; lower ${spell(q.setting)} to the account's quota or raise the quota`,
    'usage',
    { awsCode, action, setting: q.setting },
  );
}

/**
 * Turns an SDK error into the product's error vocabulary; quota refusals name the setting to change.
 * A quota refusal is a `usage` error, as the planner's own quota check is: the settings ask for more
 * than the account allows, and retrying cannot help until a setting or the quota changes.
 */
export function describeAwsError(e: unknown, action: string, detail = ''): GuardError | RaceError {
  if (isGuardError(e) || e instanceof RaceError) return e as GuardError | RaceError;
  const code = (e as { Code?: string }).Code ?? (e as { name?: string }).name ?? 'Unknown';
  const message = (e as Error)?.message ?? String(e);
  if (RACE_CODES.has(code)) return new RaceError(code, action, detail || message);
  if (code in QUOTA_REFUSALS) return quotaRefusal(code as QuotaRefusal, action, detail);
  if (code === 'InvalidVpcID.NotFound') return guardError('VPC_NOT_FOUND', `${action}: ${message}; set VPC_ID to the VPC of the origin instance`, 'usage', { awsCode: code });
  return guardError('AWS_ERROR', `${action}${detail ? ` on ${detail}` : ''} failed: ${code}: ${message}`, 'external', { awsCode: code, action });
}
