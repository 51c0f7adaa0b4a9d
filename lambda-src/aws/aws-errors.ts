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

/** EC2's two quota refusals: the product's code, the setting that asks too much, and the quota's name in the console. */
const QUOTA_REFUSALS = {
  RulesPerSecurityGroupLimitExceeded: { code: 'QUOTA_RULES_PER_GROUP', setting: 'rulesPerGroup', quota: 'Inbound or outbound rules per security group', variable: 'RULES_PER_GROUP' },
  SecurityGroupsPerInterfaceLimitExceeded: { code: 'QUOTA_GROUPS_PER_INTERFACE', setting: 'groupsPerInterface', quota: 'Security groups per network interface', variable: 'GROUPS_PER_INTERFACE' },
} as const;

type QuotaRefusal = keyof typeof QUOTA_REFUSALS;

function quotaRefusal(awsCode: QuotaRefusal, action: string, detail: string, names: QuotaSettingNames): GuardError {
  const q = QUOTA_REFUSALS[awsCode];
  const name = names[q.setting] ?? q.variable;
  return guardError(
    q.code,
    `EC2 refused ${action}${detail ? ` on ${detail}` : ''} with ${awsCode}: the account's '${q.quota}' quota is below ${name}; lower ${name} to the account's quota or raise the quota`,
    'usage',
    { awsCode, action, ...(detail ? { detail } : {}), setting: q.setting },
  );
}

/**
 * Turns an SDK error into the product's error vocabulary; quota refusals name the setting to change.
 * A quota refusal is a `usage` error, as the planner's own quota check is: the settings ask for more
 * than the account allows, and retrying cannot help until a setting or the quota changes.
 */
export function describeAwsError(e: unknown, action: string, detail = '', names: QuotaSettingNames = {}): GuardError | RaceError {
  if (isGuardError(e) || e instanceof RaceError) return e as GuardError | RaceError;
  const code = awsCode(e);
  const message = (e as Error)?.message ?? String(e);
  if (RACE_CODES.has(code)) return new RaceError(code, action, detail || message);
  if (code in QUOTA_REFUSALS) return quotaRefusal(code as QuotaRefusal, action, detail, names);
  if (code === 'InvalidVpcID.NotFound') return guardError('VPC_NOT_FOUND', `${action}: ${message}; set VPC_ID to the VPC of the origin instance`, 'usage', { awsCode: code });
  return guardError('AWS_ERROR', `${action}${detail ? ` on ${detail}` : ''} failed: ${code}: ${message}`, 'external', { awsCode: code, action });
}

/** An EC2 quota refusal described at the boundary, named again the way the user spelled the setting. */
export function respellQuotaError(e: unknown, names: QuotaSettingNames | undefined): unknown {
  if (!names || !isGuardError(e)) return e;
  const { awsCode: code, action, detail } = e.details as { awsCode?: string; action?: string; detail?: string };
  return code && code in QUOTA_REFUSALS ? quotaRefusal(code as QuotaRefusal, action ?? '', detail ?? '', names) : e;
}
