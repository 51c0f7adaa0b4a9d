import fc from 'fast-check';
import { buildSnsEvent, parseGuardEvent, type GuardEvent } from '../../lambda-src/function/events';
import { AMAZON_IP_SPACE_CHANGED_TOPIC, OFFICIAL_IP_RANGES_URL } from '../../lambda-src/config/settings';
import { caught } from '../support/caught';

const TOPIC = AMAZON_IP_SPACE_CHANGED_TOPIC;
const MD5 = '63431d35877fa5386ded1a7df9cfa971';
const REAL_MESSAGE = `{"create-time":"2026-08-22-15-17-05","synctoken":"1787411825","md5":"${MD5}","url":"${OFFICIAL_IP_RANGES_URL}"}`;

/** Builder: the SNS record AWS delivers, with any part replaced. */
function snsEvent(overrides: { record?: Record<string, unknown>; sns?: Record<string, unknown>; message?: unknown } = {}): Record<string, unknown> {
  const sns = {
    Type: 'Notification',
    MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
    TopicArn: TOPIC,
    Subject: null,
    Message: 'message' in overrides ? overrides.message : REAL_MESSAGE,
    Timestamp: '2026-08-22T15:17:05.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertUrl: 'EXAMPLE',
    UnsubscribeUrl: 'EXAMPLE',
    MessageAttributes: {},
    ...overrides.sns,
  };
  return { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: `${TOPIC}:sub`, Sns: sns, ...overrides.record }] };
}
const message = (fields: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(REAL_MESSAGE), ...fields });
const scheduled = {
  version: '0',
  id: '53dc4d37',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-08-22T00:00:00Z',
  region: 'eu-north-1',
  resources: ['arn:aws:events:eu-north-1:123456789012:rule/daily'],
  detail: {},
};
const direct = { source: 'cfguard', action: 'reconcile' };

describe('parseGuardEvent accepts', () => {
  const notification = { url: OFFICIAL_IP_RANGES_URL, md5: MD5, syncToken: '1787411825', createTime: '2026-08-22-15-17-05' };
  test.each<[string, unknown, GuardEvent]>([
    ['the real AmazonIpSpaceChanged record', snsEvent(), { kind: 'sns', topicArn: TOPIC, notification }],
    ['a record without EventSource but with Sns', snsEvent({ record: { EventSource: undefined } }), { kind: 'sns', topicArn: TOPIC, notification }],
    ['an upper-case md5 (lower-cased)', snsEvent({ message: message({ md5: MD5.toUpperCase() }) }), { kind: 'sns', topicArn: TOPIC, notification }],
    ['a message without create-time', snsEvent({ message: message({ 'create-time': undefined }) }), { kind: 'sns', topicArn: TOPIC, notification: { ...notification, createTime: undefined } }],
    ['a minimal direct run', direct, { kind: 'direct', force: false }],
    [
      'a forced direct run with url and md5',
      { ...direct, force: true, url: 'http://127.0.0.1:1/x.json', md5: MD5.toUpperCase() },
      { kind: 'direct', force: true, url: 'http://127.0.0.1:1/x.json', md5: MD5 },
    ],
    ['an EventBridge schedule', scheduled, { kind: 'scheduled' }],
    ['aws_lambda_invocation create', { ...direct, tf: { action: 'create', prev_input: null } }, { kind: 'lifecycle', action: 'create', inner: { kind: 'direct', force: false } }],
    ['aws_lambda_invocation update', { ...direct, force: true, tf: { action: 'update', prev_input: direct } }, { kind: 'lifecycle', action: 'update', inner: { kind: 'direct', force: true } }],
    ['aws_lambda_invocation delete', { ...direct, tf: { action: 'delete', prev_input: direct } }, { kind: 'lifecycle', action: 'delete', inner: { kind: 'direct', force: false } }],
  ])('%s', (_name, event, expected) => {
    // toEqual treats an absent key and an undefined one alike; the JSON form must not carry either.
    const parsed = parseGuardEvent(JSON.parse(JSON.stringify(event)), TOPIC);
    expect(parsed).toEqual(expected);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
  });
});

describe('parseGuardEvent refuses', () => {
  const invalidEvents: Array<[string, unknown, string]> = [
    ['null', null, '(event)'],
    ['a string', 'reconcile', '(event)'],
    ['an array', [], '(event)'],
    ['an empty object', {}, 'source'],
    ['another AWS source', { source: 'aws.s3' }, 'source'],
    ['an EventBridge event that is not a schedule', { ...scheduled, 'detail-type': 'EC2 Instance State-change Notification' }, 'detail-type'],
    ['empty Records', { Records: [] }, 'Records'],
    ['Records not an array', { Records: 'x' }, 'Records'],
    ['a null record', { Records: [null] }, 'Records[0]'],
    ['an S3 record', snsEvent({ record: { EventSource: 'aws:s3' } }), 'Records[0].EventSource'],
    ['a record without Sns', snsEvent({ record: { Sns: undefined } }), 'Records[0].Sns'],
    ['a missing TopicArn', snsEvent({ sns: { TopicArn: undefined } }), 'Records[0].Sns.TopicArn'],
    ['a Message that is an object', snsEvent({ message: JSON.parse(REAL_MESSAGE) }), 'Records[0].Sns.Message'],
    ['a Message that is not JSON', snsEvent({ message: 'ip ranges changed' }), 'Records[0].Sns.Message'],
    ['a Message that is a JSON array', snsEvent({ message: '[]' }), 'Records[0].Sns.Message'],
    ['a message without url', snsEvent({ message: message({ url: undefined }) }), 'Records[0].Sns.Message.url'],
    ['an empty url', snsEvent({ message: message({ url: '' }) }), 'Records[0].Sns.Message.url'],
    ['a short md5', snsEvent({ message: message({ md5: 'abc123' }) }), 'Records[0].Sns.Message.md5'],
    ['a non-hex md5', snsEvent({ message: message({ md5: 'z'.repeat(32) }) }), 'Records[0].Sns.Message.md5'],
    ['a numeric synctoken', snsEvent({ message: message({ synctoken: 1787411825 }) }), 'Records[0].Sns.Message.synctoken'],
    ['a synctoken that is not digits', snsEvent({ message: message({ synctoken: '0x6a8b' }) }), 'Records[0].Sns.Message.synctoken'],
    [
      'the tutorial test message (empty url)',
      snsEvent({ message: '{"create-time": "yyyy-mm-ddThh:mm:ss+00:00", "synctoken": "0123456789", "md5": "7fd59f5c7f5cf643036cbd4443ad3e4b", "url": ""}' }),
      'Records[0].Sns.Message.url',
    ],
    ['a numeric create-time', snsEvent({ message: message({ 'create-time': 20260822 }) }), 'Records[0].Sns.Message.create-time'],
    ['a direct run without action', { source: 'cfguard' }, 'action'],
    ['a direct run with another action', { ...direct, action: 'destroy' }, 'action'],
    ['a string force', { ...direct, force: 'true' }, 'force'],
    ['a misspelt force', { ...direct, forced: true }, 'forced'],
    ['a numeric url', { ...direct, url: 42 }, 'url'],
    ['a bad md5', { ...direct, md5: 'xyz' }, 'md5'],
    ['a tf that is not an object', { ...direct, tf: 'create' }, 'tf'],
    ['an unknown tf action', { ...direct, tf: { action: 'read', prev_input: null } }, 'tf.action'],
    ['a prev_input that is a string', { ...direct, tf: { action: 'update', prev_input: 'x' } }, 'tf.prev_input'],
  ];
  test.each(invalidEvents.map(([name, event, field]) => [name, field, event] as const))('%s with EVENT_INVALID naming %s and the accepted shapes', (_name, field, event) => {
    const e = caught(() => parseGuardEvent(event, TOPIC));
    expect(e.code).toBe('EVENT_INVALID');
    expect(e.message).toContain(`'${field}' must be`);
    expect(e.message).toContain('accepted events:');
    expect(e.details).toEqual({ field });
  });

  test('a notification from another topic, with TOPIC_MISMATCH naming both ARNs', () => {
    const other = 'arn:aws:sns:us-east-1:123456789012:NotAmazon';
    const e = caught(() => parseGuardEvent(snsEvent({ sns: { TopicArn: other } }), TOPIC));
    expect(e.code).toBe('TOPIC_MISMATCH');
    expect(e.message).toContain(other);
    expect(e.message).toContain(TOPIC);
    expect(e.details).toEqual({ topicArn: other, expectedTopicArn: TOPIC });
  });

  test('a topic mismatch before looking at the message, so a foreign topic cannot probe the parser', () => {
    const e = caught(() => parseGuardEvent(snsEvent({ sns: { TopicArn: 'arn:aws:sns:eu-north-1:123456789012:x' }, message: 'garbage' }), TOPIC));
    expect(e.code).toBe('TOPIC_MISMATCH');
  });
});

describe('buildSnsEvent', () => {
  test('GIVEN the latest real document THEN the Message is byte-for-byte what AWS sent', () => {
    const event = buildSnsEvent({ topicArn: TOPIC, url: OFFICIAL_IP_RANGES_URL, md5: MD5, syncToken: '1787411825' }) as { Records: Array<{ Sns: { Message: string; Timestamp: string } }> };
    expect(event.Records[0].Sns.Message).toBe(REAL_MESSAGE);
    expect(event.Records[0].Sns.Timestamp).toBe('2026-08-22T15:17:05.000Z');
  });

  test('GIVEN the same inputs twice THEN the events are identical (deterministic ids)', () => {
    const opts = { topicArn: TOPIC, url: OFFICIAL_IP_RANGES_URL, md5: MD5, syncToken: '1787411825' };
    expect(buildSnsEvent(opts)).toEqual(buildSnsEvent(opts));
  });

  test('round-trips through parseGuardEvent for any notification', () => {
    const topicArn = fc
      .tuple(fc.constantFrom('us-east-1', 'eu-north-1'), fc.stringMatching(/^\d{12}$/), fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/))
      .map(([region, account, name]) => `arn:aws:sns:${region}:${account}:${name}`);
    const inputs = fc.record(
      {
        topicArn,
        url: fc.webUrl(),
        md5: fc.stringMatching(/^[0-9a-f]{32}$/),
        syncToken: fc.bigInt({ min: BigInt(0), max: BigInt('99999999999999999999') }).map(String),
        createTime: fc.string(),
      },
      { requiredKeys: ['topicArn', 'url', 'md5', 'syncToken'] },
    );
    fc.assert(
      fc.property(inputs, (opts) => {
        const parsed = parseGuardEvent(JSON.parse(JSON.stringify(buildSnsEvent(opts))), opts.topicArn);
        if (parsed.kind !== 'sns') throw new Error(`expected an sns event, got ${parsed.kind}`);
        expect(parsed.topicArn).toBe(opts.topicArn);
        expect(parsed.notification).toMatchObject({ url: opts.url, md5: opts.md5, syncToken: opts.syncToken });
        // Without an explicit create-time, AWS's format is derived from the syncToken.
        expect(parsed.notification.createTime).toEqual(opts.createTime ?? expect.stringMatching(/^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$/));
      }),
      { numRuns: 300 },
    );
  });
});
