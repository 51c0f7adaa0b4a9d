/**
 * Classifies what invoked the Lambda. Every field the reconciler relies on is checked here, so an
 * event that is not exactly one of the accepted shapes fails before any fetch or AWS call.
 */
import { badValueMessage, guardError } from '../core/errors';
import { isRecord } from '../core/ip-ranges-document';

/** The body of an AmazonIpSpaceChanged notification. */
export interface SnsNotification {
  readonly url: string;
  /** Lower-case hex MD5 of the document's exact bytes. */
  readonly md5: string;
  readonly syncToken: string;
  /** `create-time` as published, e.g. `2026-08-22-15-17-05`. */
  readonly createTime?: string;
}

export type GuardEvent =
  | { readonly kind: 'sns'; readonly topicArn: string; readonly notification: SnsNotification }
  /** `{"source":"cfguard","action":"reconcile","force"?:bool,"url"?:string,"md5"?:string}` */
  | { readonly kind: 'direct'; readonly force: boolean; readonly url?: string; readonly md5?: string }
  /** An EventBridge schedule: `{"source":"aws.events","detail-type":"Scheduled Event",...}` */
  | { readonly kind: 'scheduled' }
  /** A direct payload sent by `aws_lambda_invocation` with `lifecycle_scope = "CRUD"`, which adds `"tf":{"action","prev_input"}`. */
  | { readonly kind: 'lifecycle'; readonly action: 'create' | 'update' | 'delete'; readonly inner: GuardEvent };

const ACCEPTED =
  'accepted events: an SNS AmazonIpSpaceChanged notification ({"Records":[{"EventSource":"aws:sns","Sns":{"TopicArn","Message"}}]}), ' +
  'a direct run ({"source":"cfguard","action":"reconcile","force"?:boolean,"url"?:string,"md5"?:string}, optionally with aws_lambda_invocation\'s "tf" key) ' +
  'or an EventBridge schedule ({"source":"aws.events","detail-type":"Scheduled Event"})';

const DIRECT_KEYS = new Set(['source', 'action', 'force', 'url', 'md5', 'tf']);
const LIFECYCLE_ACTIONS = ['create', 'update', 'delete'] as const;
const MD5 = /^[0-9a-fA-F]{32}$/;
const DIGITS = /^\d{1,20}$/;

function invalid(path: string, rule: string, value: unknown): never {
  throw guardError('EVENT_INVALID', `${badValueMessage(path, `must be ${rule}`, value, 'json', 120)}; ${ACCEPTED}`, 'usage', { field: path });
}

function parseNotification(message: unknown): SnsNotification {
  const path = 'Records[0].Sns.Message';
  if (typeof message !== 'string') invalid(path, 'a JSON string', message);
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    invalid(path, 'JSON like {"create-time","synctoken","md5","url"}', message);
  }
  if (!isRecord(body)) invalid(path, 'a JSON object', body);
  if (typeof body.url !== 'string' || body.url === '') invalid(`${path}.url`, 'a non-empty string', body.url);
  if (typeof body.md5 !== 'string' || !MD5.test(body.md5)) invalid(`${path}.md5`, 'a string of 32 hex digits', body.md5);
  if (typeof body.synctoken !== 'string' || !DIGITS.test(body.synctoken)) invalid(`${path}.synctoken`, 'a string of decimal digits', body.synctoken);
  const createTime = body['create-time'];
  if (createTime !== undefined && typeof createTime !== 'string') invalid(`${path}.create-time`, 'a string when present', createTime);
  return { url: body.url, md5: body.md5.toLowerCase(), syncToken: body.synctoken, ...(createTime !== undefined ? { createTime } : {}) };
}

/** SNS delivers exactly one record per Lambda invocation, so only the first is read. */
function parseSns(event: Record<string, unknown>, expectedTopicArn: string): GuardEvent {
  const records = event.Records;
  if (!Array.isArray(records) || records.length === 0) invalid('Records', 'a non-empty array', records);
  const record: unknown = records[0];
  if (!isRecord(record)) invalid('Records[0]', 'an object', record);
  if (record.EventSource !== undefined && record.EventSource !== 'aws:sns') invalid('Records[0].EventSource', "'aws:sns'", record.EventSource);
  const sns = record.Sns;
  if (!isRecord(sns)) invalid('Records[0].Sns', 'an object', sns);
  if (typeof sns.TopicArn !== 'string' || sns.TopicArn === '') invalid('Records[0].Sns.TopicArn', 'a topic ARN', sns.TopicArn);
  if (sns.TopicArn !== expectedTopicArn) {
    throw guardError(
      'TOPIC_MISMATCH',
      `the SNS notification came from topic '${sns.TopicArn}', but SNS_TOPIC_ARN is '${expectedTopicArn}'; it was ignored. ` +
        'Subscribe the function only to SNS_TOPIC_ARN, or set SNS_TOPIC_ARN to the topic you trust',
      'usage',
      { topicArn: sns.TopicArn, expectedTopicArn },
    );
  }
  return { kind: 'sns', topicArn: sns.TopicArn, notification: parseNotification(sns.Message) };
}

function parseLifecycle(tf: unknown): 'create' | 'update' | 'delete' {
  if (!isRecord(tf)) invalid('tf', 'an object like {"action":"create","prev_input":null}', tf);
  const action = tf.action;
  if (typeof action !== 'string' || !(LIFECYCLE_ACTIONS as readonly string[]).includes(action)) invalid('tf.action', `one of ${LIFECYCLE_ACTIONS.join(', ')}`, action);
  if (tf.prev_input !== undefined && tf.prev_input !== null && !isRecord(tf.prev_input)) invalid('tf.prev_input', 'null or an object', tf.prev_input);
  return action as 'create' | 'update' | 'delete';
}

function parseDirect(event: Record<string, unknown>): GuardEvent {
  const unknownKeys = Object.keys(event).filter((k) => !DIRECT_KEYS.has(k));
  // A misspelt "force" must not silently run unforced, so unknown keys are refused.
  if (unknownKeys.length > 0) invalid(unknownKeys[0], `absent (a direct run takes only ${[...DIRECT_KEYS].join(', ')})`, event[unknownKeys[0]]);
  if (event.action !== 'reconcile') invalid('action', "'reconcile'", event.action);
  if (event.force !== undefined && typeof event.force !== 'boolean') invalid('force', 'a boolean when present', event.force);
  if (event.url !== undefined && (typeof event.url !== 'string' || event.url === '')) invalid('url', 'a non-empty string when present', event.url);
  if (event.md5 !== undefined && (typeof event.md5 !== 'string' || !MD5.test(event.md5))) invalid('md5', 'a string of 32 hex digits when present', event.md5);
  const direct: GuardEvent = {
    kind: 'direct',
    force: event.force === true,
    ...(event.url !== undefined ? { url: event.url as string } : {}),
    ...(event.md5 !== undefined ? { md5: (event.md5 as string).toLowerCase() } : {}),
  };
  return event.tf === undefined ? direct : { kind: 'lifecycle', action: parseLifecycle(event.tf), inner: direct };
}

/**
 * Validates and classifies an invocation. SNS notifications must come from `expectedTopicArn`
 * (TOPIC_MISMATCH otherwise); anything else that is not an accepted shape is EVENT_INVALID,
 * naming the wrong field and listing the accepted shapes.
 */
export function parseGuardEvent(event: unknown, expectedTopicArn: string): GuardEvent {
  if (!isRecord(event)) invalid('(event)', 'a JSON object', event);
  if ('Records' in event) return parseSns(event, expectedTopicArn);
  if (event.source === 'cfguard') return parseDirect(event);
  if (event.source === 'aws.events') {
    if (event['detail-type'] !== 'Scheduled Event') invalid('detail-type', "'Scheduled Event' for an aws.events source", event['detail-type']);
    return { kind: 'scheduled' };
  }
  return invalid('source', "'cfguard' or 'aws.events' (or the event must carry SNS 'Records')", event.source);
}

/** The last millisecond of year 9999: beyond it ISO dates gain a sign and six-digit years. */
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/** The syncToken (epoch seconds) as a date; epoch 0 for a token beyond year 9999, so building never throws. */
function dateOf(syncToken: string): Date {
  const ms = Number(syncToken) * 1000;
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_FOUR_DIGIT_YEAR_MS ? new Date(ms) : new Date(0);
}

/** The MD5 shaped as a UUID, so a built event is deterministic yet looks like AWS's. */
function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Builds the SNS event AWS would deliver for a document (for `cfguard test-event` and tests). */
export function buildSnsEvent(opts: { topicArn: string; url: string; md5: string; syncToken: string; createTime?: string }): object {
  const timestamp = dateOf(opts.syncToken).toISOString();
  // AWS's create-time is the same instant as the syncToken, written YYYY-MM-DD-hh-mm-ss.
  const createTime = opts.createTime ?? timestamp.slice(0, 19).replace(/[T:]/g, '-');
  const id = uuidFrom(opts.md5.toLowerCase().padEnd(32, '0'));
  // Key order follows the real message: create-time, synctoken, md5, url.
  const message = JSON.stringify({ 'create-time': createTime, synctoken: opts.syncToken, md5: opts.md5, url: opts.url });
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${opts.topicArn}:${id}`,
        Sns: {
          Type: 'Notification',
          MessageId: id,
          TopicArn: opts.topicArn,
          Subject: null,
          Message: message,
          Timestamp: timestamp,
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'EXAMPLE',
          UnsubscribeUrl: 'EXAMPLE',
          MessageAttributes: {},
        },
      },
    ],
  };
}
