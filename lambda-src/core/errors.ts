/**
 * Errors with a stable `code` and a `kind`. Only the CLI and the handler turn them into exit codes
 * and log lines; everything below them throws these and nothing else on purpose.
 *
 * - `usage`: the input or configuration is wrong; the message says how to fix it.
 * - `external`: AWS or the network refused or failed; retrying may help.
 * - `internal`: a bug in this product.
 */
export type ErrorKind = 'usage' | 'external' | 'internal';

/**
 * The brand every GuardError carries. `Symbol.for` is shared by every copy of this package loaded in
 * one process (an app and a library each depending on their own copy), where `instanceof` is not.
 */
export const GUARD_ERROR_BRAND: unique symbol = Symbol.for('cloudfront-origin-guard.GuardError') as never;

export class GuardError extends Error {
  public readonly [GUARD_ERROR_BRAND] = true;

  constructor(
    /** Stable, documented code, e.g. `QUOTA_GROUPS_PER_INTERFACE`. */
    public readonly code: string,
    message: string,
    public readonly kind: ErrorKind = 'usage',
    /** Machine-readable facts behind the message (the quota's name, the value to raise it to, ...). */
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'GuardError';
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, kind: this.kind, message: this.message, ...(Object.keys(this.details).length ? { details: this.details } : {}) };
  }
}

/**
 * Every code the product can emit. The README's Troubleshooting section lists exactly these
 * (a test keeps the two in step).
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 'a setting has an invalid value, whichever front end gave it (config key, Lambda variable, construct prop, CLI setting flag or CFGUARD_* variable)',
  EVENT_INVALID: 'the Lambda event is neither a valid SNS notification nor a direct/scheduled run',
  TOPIC_MISMATCH: 'the SNS notification came from a topic other than SNS_TOPIC_ARN',
  URL_NOT_ALLOWED: 'the ip-ranges URL is not on the allow-list',
  FETCH_FAILED: 'the ip-ranges document could not be fetched in time',
  MD5_MISMATCH: "the document's MD5 differs from the notification's",
  DOCUMENT_INVALID: 'the ip-ranges document is not valid JSON of the expected shape',
  CIDR_INVALID: 'a published range is not a valid CIDR',
  CIDR_TOO_BROAD: 'a published range is broader than the guard accepts',
  EMPTY_RANGES: 'the selected services yield zero ranges, so the document is refused whole',
  STALE_DOCUMENT: 'the document is older than the one last applied; the run is refused (a forced run applies it)',
  SYNC_TOKEN_IN_FUTURE: "the document's syncToken is more than a day ahead of the clock",
  DOCUMENT_TOO_LARGE: 'the ip-ranges document is larger than MAX_DOCUMENT_BYTES (16 MiB)',
  FOREIGN_GROUP_TAGGED:
    "a group carrying the managed tag is not the guard's (the guard did not create it and cfguard import did not adopt it, it is the instance's own group, or an adopted group holds rules no document grants): left untouched",
  MANAGED_GROUP_ON_OTHER_INTERFACE:
    "one of the guard's groups is attached to an interface of an instance the guard does not guard: that group and that interface are left untouched, the run carries on",
  FOREIGN_GROUP_ON_INTERFACE:
    "a guarded instance's interface holds a group the guard may not name in its group list (neither its own, created or adopted, nor the instance's own group): that interface is not rewritten, the run carries on with the others and counts as refused",
  GROUP_REFERENCED: "a group of the guard's that a compaction or teardown would delete is named by another group's rule (EC2 refuses the delete: DependencyViolation): it stays attached",
  SUPERSEDED: 'a newer document was applied while this run was writing; this run stopped before its next write',
  FORCED_OLDER_DOCUMENT: 'a forced run applies a document older than the token on the groups and blocks ranges the newer document publishes',
  TOKEN_RECORDED_AFTER_RACE: "a write of this run raced and its re-plan found the rules in place; only the document's token was recorded",
  GUARD_REVOKE_FRACTION: 'the blast-radius guard held back revocations',
  QUOTA_RULES_PER_GROUP: 'the rules do not fit the rules-per-group quota',
  QUOTA_GROUPS_PER_INTERFACE: 'the groups do not fit the groups-per-interface quota',
  QUOTA_PRODUCT_LIMIT: 'RULES_PER_GROUP x GROUPS_PER_INTERFACE exceeds 1,000',
  VPC_NOT_FOUND: 'the VPC does not exist, or there is no default VPC',
  INSTANCE_NOT_FOUND: 'INSTANCE_ID has no network interface in the VPC',
  GROUP_NAME_TAKEN: 'a security group with the planned name exists but is not managed',
  LONE_MANAGED_GROUP: 'an ENI would be left without any security group',
  AWS_ERROR: 'an EC2 call failed',
  CONVERGENCE_FAILED: 'the reconciler kept racing with another writer and gave up',
  USAGE: 'the command line is wrong (an unknown command or flag, a missing argument, or a bad value for a flag that is no setting); the message suggests the fix',
  OWN_GROUP_NOT_FOUND: "the instance's own security group cannot be told apart (it has none besides the managed ones, or several): name it with --group-id or instanceSecurityGroupId",
  CLOSE_WOULD_CUT_CLOUDFRONT:
    "closing a world-open port would cut CloudFront off the origin: some range the current document publishes on that port reaches some interface of the instance through none of the guard's attached groups",
  CLEANUP_WOULD_CUT_CLOUDFRONT: "a cleanup would leave an interface with no path from CloudFront to a port the managed groups open (the instance's own groups do not open it)",
  INSTANCE_REQUIRED: 'drift cannot check where the managed groups are attached: no instance is set and no interface carries them',
  CREDENTIALS_MISSING: 'the CLI found no AWS credentials (profile, environment, SSO or instance role)',
  ENDPOINT_UNREACHABLE: 'nothing answered at the AWS endpoint (EC2, SSM, CloudFront): connection refused, unknown host, timeout',
  ASSUME_ROLE_FAILED: "a target's roleArn could not be assumed",
  ORIGIN_SECRET_INVALID: 'the origin secret\'s SSM parameter (or the version CloudFront sends) is missing or not {"current","previous"}',
  SSM_ERROR: 'an SSM call on the origin secret parameter failed',
  ORIGIN_UNREACHABLE: 'verify-origin could not reach the origin URL to test the header (expected from a host the security groups keep out)',
  ORIGIN_REJECTS_SECRET: 'the origin refuses the header value CloudFront sends, so viewers get errors',
  DISTRIBUTION_CHECK_FAILED: 'the path does not answer through the distribution',
  ROTATION_WAIT_TIMEOUT: 'the origin did not accept the new secret (and the old one) within --wait-seconds; CloudFront still sends the old value',
  ROTATION_NOT_SWITCHED: 'retiring the previous secret before CloudFront sends the new one would cut CloudFront off',
  DEPLOY_COMMAND_FAILED: "rotate-origin-secret's --deploy-command failed",
  DEPLOY_DID_NOT_SWITCH: "rotate-origin-secret's --deploy-command succeeded but the distribution still sends the old header value",
  DISTRIBUTION_DEPLOYING: 'the distribution is InProgress (or changed while read): some edges may still send the previous header value, so the rotation writes nothing',
  DISTRIBUTION_NOT_FOUND: 'CloudFront has no distribution with the --distribution-id given',
  ORIGIN_HEADER_NOT_SENT: 'the distribution sends no origin-secret header to any origin, so there is nothing to rotate',
  ORIGIN_HEADERS_DIFFER: 'the distribution sends different origin-secret values to its origins, and one rotation can keep only one accepted',
  CLOUDFRONT_ERROR: 'a CloudFront call (GetDistributionConfig, GetDistribution) failed',
  ORIGIN_BYPASS_OPEN: "originSecret.mode is 'required' but the origin serves requests without the secret header (the deploy's run fails)",
  INTERNAL: 'an unexpected error, a bug: the message (and the stack with --debug) says where',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function guardError(code: ErrorCode, message: string, kind: ErrorKind = 'usage', details: Record<string, unknown> = {}): GuardError {
  return new GuardError(code, message, kind, details);
}

/**
 * How an edge spells a setting id (`rulesPerGroup`) for its user: `--rules-per-group`,
 * `RULES_PER_GROUP`, `guard.rulesPerGroup`. The core names settings by id and never picks a spelling.
 */
export type SettingSpelling = (setting: string) => string;

/**
 * The Lambda's variables, the spelling a core message has until an edge re-spells it: the id in
 * UPPER_SNAKE (`rulesPerGroup` -> `RULES_PER_GROUP`). A test keeps it equal to the settings table
 * for every id the core names.
 */
export const LAMBDA_SPELLING: SettingSpelling = (setting) => setting.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

const SPELLED: unique symbol = Symbol('spelled message');
type Spelled = GuardError & { [SPELLED]?: (spell: SettingSpelling) => string };

/**
 * An error whose message names settings: `render` spells them; the message is the Lambda's
 * spelling until an edge calls `respelled`. `details.setting` (or `settings`) carries the ids.
 */
export function settingError(code: ErrorCode, render: (spell: SettingSpelling) => string, kind: ErrorKind, details: Record<string, unknown>): GuardError {
  const e: Spelled = new GuardError(code, render(LAMBDA_SPELLING), kind, details);
  Object.defineProperty(e, SPELLED, { value: render, enumerable: false });
  return e;
}

/** The edge's view of an error: the same error with its settings spelled the user's way (others pass through). */
export function respelled<E>(e: E, spell: SettingSpelling): E | GuardError {
  const render = isGuardError(e) ? (e as Spelled)[SPELLED] : undefined;
  if (!render) return e;
  const g = e as unknown as GuardError;
  const again = settingError(g.code as ErrorCode, render, g.kind, g.details);
  again.message = render(spell);
  again.stack = g.stack;
  return again;
}

/** True for a GuardError from this or any other copy of the package (by its `Symbol.for` brand). */
export function isGuardError(e: unknown): e is GuardError {
  return e instanceof GuardError || (typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[GUARD_ERROR_BRAND] === true);
}

/**
 * How an error shows a bad value: `json` for values read from JSON (config files, events, documents),
 * `text` for text the user typed (a flag, a variable, a prop string), quoted as typed. Long values are cut.
 */
export function showValue(value: unknown, style: 'json' | 'text' = 'json', max = 80): string {
  if (value === undefined) return style === 'json' ? 'nothing (the key is missing)' : 'undefined';
  const text = style === 'text' && typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/**
 * The one message shape for a bad value, `'<subject>' must be <rule>, got <value>`: `rule` is the
 * whole "must ..." phrase (`must be 1-16`, `must name at least one port`).
 */
export function badValueMessage(subject: string, rule: string, value: unknown, style: 'json' | 'text' = 'json', max?: number): string {
  return `'${subject}' ${rule}, got ${showValue(value, style, max)}`;
}
