/*
 * The rules for the guard's alerting settings, shared by the config file (CONFIG_INVALID naming
 * `guard.alerting.<key>`) and the construct (naming `alerting.<key>`), so the two cannot disagree.
 * No cdktf import: config.ts, which the CLI loads, uses it.
 */
import type { RuleProblem } from './config-errors';

/** Period x evaluation periods may not exceed this for periods under an hour (one day). */
export const SHORT_PERIOD_WINDOW_LIMIT_SECONDS = 86_400;
/** Period x evaluation periods may not exceed this for periods of an hour or more (seven days). */
export const WINDOW_LIMIT_SECONDS = 604_800;
/** Periods below this count as "under an hour" for the window limit. */
export const ONE_HOUR_SECONDS = 3_600;

/**
 * The scheduled run is daily, so a day without a success means something is wrong. The window is a
 * day plus an hour, in hourly periods: CloudWatch slides the window with the clock, and a window of
 * exactly the run's interval would breach for a moment every day, between the old run leaving it and
 * the new run's metric arriving.
 */
export const DEFAULT_NO_SUCCESS_PERIOD_SECONDS = 3_600;
export const DEFAULT_NO_SUCCESS_EVALUATION_PERIODS = 25;

/** CloudWatch alarms cannot use the AWS managed SNS key: its key policy does not admit them. */
export const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';
export const SNS_TOPIC_ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
export const SNS_TOPIC_ARN_RULE = "an SNS topic ARN like 'arn:aws:sns:eu-north-1:123456789012:ops-alarms'";
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const EMAIL_RULE = "an e-mail address like 'ops@example.com'";
/**
 * Domains reserved for documentation (RFC 2606 section 3, RFC 6761 section 6.5): no mailbox there
 * can confirm a subscription, so a copied example would leave an alarm topic nobody hears.
 */
export const DOCUMENTATION_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

/** The guard's alerting props (OriginIpRangeGuard's `alerting`; the config's `guard.alerting` has the same keys). Here, not beside the construct, so the config can read them without cdktf. */
export interface GuardAlertingProps {
  /** Alarm when the function fails: Lambda's `Errors` above 0. @default true */
  readonly errorsAlarm?: boolean;
  /** Alarm when a guard or a quota refuses a run: `ReconcileRefused` above 0. @default true */
  readonly refusedAlarm?: boolean;
  /** Alarm while the exposure audit finds non-CloudFront sources on an origin port: `OriginExposedRules` above 0 (stays on until a run finds none). @default true */
  readonly exposureAlarm?: boolean;
  /** Alarm when a run revoked rules no document granted from a managed group (someone edited it): `ForeignRulesRevoked` above 0. @default true */
  readonly foreignRulesAlarm?: boolean;
  /**
   * Alarm when no run succeeded for `noSuccessPeriodSeconds` x `noSuccessEvaluationPeriods` (missing data breaches).
   * Without the daily schedule a quiet day has no run at all, hence the default.
   * @default - true when the daily schedule is on
   */
  readonly noSuccessAlarm?: boolean;
  /** Period of the no-success alarm: a multiple of 60. @default 3600 */
  readonly noSuccessPeriodSeconds?: number;
  /**
   * Periods in a row without a success before it alarms; period x periods <= 86,400 s under an hour, else <= 604,800 s.
   * @default 25 (with the default period: a day, the schedule's interval, plus an hour of slack)
   */
  readonly noSuccessEvaluationPeriods?: number;
  /** An existing topic, in the alarms' region, to notify instead of creating one. @default - a topic is created */
  readonly topicArn?: string;
  /**
   * Customer managed KMS key (ARN, id or alias) for the created topic; its key policy must let
   * `cloudwatch.amazonaws.com` use kms:Decrypt and kms:GenerateDataKey*. `alias/aws/sns` cannot: CloudWatch may not use it.
   * @default - the topic is not encrypted (alarm notifications carry names and states, no secrets)
   */
  readonly topicKmsKeyId?: string;
  /** E-mail addresses subscribed to the topic; each must confirm the subscription. @default - none */
  readonly emails?: readonly string[];
}

const thousands = (n: number) => n.toLocaleString('en-US');

/** The window limit that applies to a period. */
export function windowLimitSeconds(periodSeconds: number): number {
  return periodSeconds < ONE_HOUR_SECONDS ? SHORT_PERIOD_WINDOW_LIMIT_SECONDS : WINDOW_LIMIT_SECONDS;
}

/** The no-success alarm's window against CloudWatch's limits; undefined when CloudWatch accepts it. */
export function alarmWindowProblem(periodSeconds: number, evaluationPeriods: number): RuleProblem | undefined {
  if (!Number.isInteger(periodSeconds) || periodSeconds < 60 || periodSeconds % 60 !== 0) {
    return { key: 'noSuccessPeriodSeconds', rule: 'a whole number of minutes in seconds (a multiple of 60, at least 60)', value: periodSeconds };
  }
  const limit = windowLimitSeconds(periodSeconds);
  if (periodSeconds > limit) {
    return { key: 'noSuccessPeriodSeconds', rule: `at most ${thousands(limit)} (CloudWatch's limit on period x evaluation periods is ${thousands(WINDOW_LIMIT_SECONDS)} s)`, value: periodSeconds };
  }
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    return { key: 'noSuccessEvaluationPeriods', rule: 'an integer of at least 1', value: evaluationPeriods };
  }
  if (periodSeconds * evaluationPeriods > limit) {
    const band = limit === SHORT_PERIOD_WINDOW_LIMIT_SECONDS ? 'for periods under an hour' : 'for periods of an hour or more';
    return {
      key: 'noSuccessEvaluationPeriods',
      rule:
        `at most ${Math.floor(limit / periodSeconds)} with a period of ${thousands(periodSeconds)} s ` +
        `(CloudWatch's limit: period x evaluation periods <= ${thousands(limit)} s ${band}; ${thousands(periodSeconds)} x ${evaluationPeriods} = ${thousands(periodSeconds * evaluationPeriods)} s)`,
      value: evaluationPeriods,
    };
  }
  return undefined;
}

/** Which alarms are on: each defaults to on, except no-success, which follows the daily schedule (a quiet day has no run otherwise). */
export function alarmsOn(a: GuardAlertingProps, schedule: boolean): { errors: boolean; refused: boolean; noSuccess: boolean; exposure: boolean; foreignRules: boolean } {
  return { errors: a.errorsAlarm ?? true, refused: a.refusedAlarm ?? true, noSuccess: a.noSuccessAlarm ?? schedule, exposure: a.exposureAlarm ?? true, foreignRules: a.foreignRulesAlarm ?? true };
}

/** Whether any alarm is on (else no topic is made and e-mail addresses are refused). */
export function anyAlarmOn(a: GuardAlertingProps, schedule: boolean): boolean {
  return Object.values(alarmsOn(a, schedule)).some(Boolean);
}

/**
 * The first broken rule, or undefined. `schedule` is whether the daily run is on; `isUnresolved`
 * tells values only known at apply time (tokens), which are skipped.
 */
export function alertingProblem(a: GuardAlertingProps, schedule: boolean, isUnresolved: (value: unknown) => boolean = () => false): RuleProblem | undefined {
  const period = a.noSuccessPeriodSeconds ?? DEFAULT_NO_SUCCESS_PERIOD_SECONDS;
  const periods = a.noSuccessEvaluationPeriods ?? DEFAULT_NO_SUCCESS_EVALUATION_PERIODS;
  if (!isUnresolved(period) && !isUnresolved(periods)) {
    const window = alarmWindowProblem(period, periods);
    if (window) return window;
  }
  if (a.topicArn !== undefined && !isUnresolved(a.topicArn) && !SNS_TOPIC_ARN_PATTERN.test(a.topicArn)) {
    return { key: 'topicArn', rule: SNS_TOPIC_ARN_RULE, value: a.topicArn };
  }
  if (a.topicKmsKeyId !== undefined && a.topicArn !== undefined) {
    return { key: 'topicKmsKeyId', rule: "absent when 'topicArn' names an existing topic (that topic's encryption is its own)", value: a.topicKmsKeyId };
  }
  if (a.topicKmsKeyId === AWS_MANAGED_SNS_KEY) {
    return {
      key: 'topicKmsKeyId',
      rule: `a customer managed key whose policy admits cloudwatch.amazonaws.com ('${AWS_MANAGED_SNS_KEY}' cannot be used by CloudWatch alarms, so no alarm would be delivered)`,
      value: a.topicKmsKeyId,
    };
  }
  const emails = a.emails ?? [];
  if (emails.length > 0 && !anyAlarmOn(a, schedule)) {
    return { key: 'emails', rule: 'empty when every alarm is off (nothing would ever be sent to them)', value: emails };
  }
  for (const [i, email] of emails.entries()) {
    if (isUnresolved(email)) continue;
    if (!EMAIL_PATTERN.test(email)) return { key: `emails[${i}]`, rule: EMAIL_RULE, value: email };
    if (emails.indexOf(email) !== i) return { key: `emails[${i}]`, rule: 'listed once', value: email };
  }
  return undefined;
}

/** The e-mail domain, when it is a documentation domain or under one (`ops@mail.example.com`). */
function documentationDomain(email: string): string | undefined {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return DOCUMENTATION_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`));
}

/**
 * The config file's own rule: an address copied from an example (`ops@example.com`) is refused with
 * the fix, before any deploy creates a subscription nobody can confirm. The constructs accept what
 * their caller passes (their tests subscribe example addresses to nothing real).
 */
export function placeholderEmailProblem(emails: readonly string[]): RuleProblem | undefined {
  for (const [i, email] of emails.entries()) {
    const domain = documentationDomain(email);
    if (domain !== undefined) {
      return {
        key: `emails[${i}]`,
        rule: `an address that can receive mail ('${domain}' is reserved for documentation, so nobody could confirm the subscription; put your team's address, or remove 'emails' to subscribe none)`,
        value: email,
      };
    }
  }
  return undefined;
}
