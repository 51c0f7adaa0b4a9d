/** Bad input of every kind: one clear error with a stable code, and zero writes. */
import { loadBundledHandler, invoke } from '../support/lambda-harness';
import { type Origin, TOPIC, customDocument, md5, realEvent, snsEvent, startOrigin } from '../support/origin-fixture';
import { MANIFEST } from '../../emulator/shared-data';

const handler = loadBundledHandler();
const BASE = MANIFEST[0].file;

interface Case {
  readonly name: string;
  readonly code: string;
  readonly message: RegExp;
  readonly event: (o: Origin) => object;
  readonly env?: Record<string, string>;
}

function served(o: Origin, name: string, body: string, token = '1783714999') {
  o.server.serve(name, body);
  return snsEvent(o.server.url(name), body, token);
}

const CASES: Case[] = [
  { name: 'a malformed event', code: 'EVENT_INVALID', message: /Records|event/i, event: () => ({ hello: 'world' }) },
  { name: 'an SNS record without a Message', code: 'EVENT_INVALID', message: /Message/, event: () => ({ Records: [{ EventSource: 'aws:sns', Sns: { TopicArn: TOPIC } }] }) },
  {
    name: 'a notification from the wrong topic',
    code: 'TOPIC_MISMATCH',
    message: /arn:aws:sns:us-east-1:123456789012:Evil/,
    event: (o) => snsEvent(o.server.url(BASE), Buffer.from('x'), '1', 'arn:aws:sns:us-east-1:123456789012:Evil'),
  },
  {
    name: 'an MD5 mismatch',
    code: 'MD5_MISMATCH',
    message: /md5|MD5/,
    event: (o) => {
      const ev = realEvent(o.server, BASE) as { Records: { Sns: { Message: string } }[] };
      const msg = JSON.parse(ev.Records[0].Sns.Message);
      ev.Records[0].Sns.Message = JSON.stringify({ ...msg, md5: '0'.repeat(32) });
      return ev;
    },
  },
  { name: 'a URL not on the allow-list', code: 'URL_NOT_ALLOWED', message: /allow/i, event: (o) => snsEvent(`${o.server.base}/elsewhere.json`, Buffer.from('{}'), '1') },
  { name: 'a document that is not JSON', code: 'DOCUMENT_INVALID', message: /JSON/i, event: (o) => served(o, 'custom-1.json', 'not json at all') },
  { name: 'a document of the wrong shape', code: 'DOCUMENT_INVALID', message: /prefixes|syncToken/, event: (o) => served(o, 'custom-2.json', JSON.stringify({ syncToken: '1', createDate: 'x' })) },
  { name: 'zero ranges', code: 'EMPTY_RANGES', message: /zero/i, event: (o) => served(o, 'custom-3.json', customDocument(BASE, '1783714999', [])) },
  { name: 'an invalid CIDR', code: 'CIDR_INVALID', message: /300\.1\.2\.0\/24/, event: (o) => served(o, 'custom-4.json', customDocument(BASE, '1783714999', ['300.1.2.0/24'])) },
  { name: 'an absurdly broad CIDR', code: 'CIDR_TOO_BROAD', message: /0\.0\.0\.0\/0/, event: (o) => served(o, 'custom-5.json', customDocument(BASE, '1783714999', ['0.0.0.0/0'])) },
  { name: 'bad PORTS', code: 'CONFIG_INVALID', message: /PORTS.*80\/xyz/, event: (o) => realEvent(o.server, BASE), env: { PORTS: '80/xyz' } },
  { name: 'a non-numeric RULES_PER_GROUP', code: 'CONFIG_INVALID', message: /RULES_PER_GROUP/, event: (o) => realEvent(o.server, BASE), env: { RULES_PER_GROUP: 'sixty' } },
  {
    name: 'quotas whose product exceeds 1,000',
    code: 'QUOTA_PRODUCT_LIMIT',
    message: /RULES_PER_GROUP.*GROUPS_PER_INTERFACE.*1000/,
    event: (o) => realEvent(o.server, BASE),
    env: { RULES_PER_GROUP: '300', GROUPS_PER_INTERFACE: '5' },
  },
  { name: 'an unknown VPC', code: 'VPC_NOT_FOUND', message: /vpc-0000000000000dead/, event: (o) => realEvent(o.server, BASE), env: { VPC_ID: 'vpc-0000000000000dead', INSTANCE_ID: '' } },
  { name: 'an instance outside the VPC', code: 'INSTANCE_NOT_FOUND', message: /i-0000000000000dead/, event: (o) => realEvent(o.server, BASE), env: { INSTANCE_ID: 'i-0000000000000dead' } },
  {
    name: 'an exceeded quota',
    code: 'QUOTA_GROUPS_PER_INTERFACE',
    message: /GROUPS_PER_INTERFACE/,
    event: (o) => realEvent(o.server, BASE),
    env: { SERVICE: 'CLOUDFRONT', PORTS: '80/tcp,443/tcp' },
  },
];

describe('bad input gives one clear error and makes zero writes', () => {
  let origin: Origin;
  beforeEach(async () => {
    origin = await startOrigin();
  });
  afterEach(async () => origin.close());

  test.each(CASES)('$name -> $code', async (c) => {
    const before = origin.emu.snapshot();
    const requestsBefore = origin.server.requests.length;
    const run = await invoke(handler, c.event(origin), origin.env(c.env));
    expect(run.error).toMatchObject({ code: c.code });
    expect(run.error!.message).toMatch(c.message);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatchObject({ level: 'error', outcome: 'failed', error: { code: c.code } });
    expect(origin.emu.calls.filter((x) => x.write)).toEqual([]);
    expect(origin.emu.snapshot()).toEqual(before);
    if (c.code === 'URL_NOT_ALLOWED') expect(origin.server.requests.length).toBe(requestsBefore);
  });

  test('a bad setting fails before any AWS call at all', async () => {
    const run = await invoke(handler, realEvent(origin.server, BASE), origin.env({ IPV6: 'maybe' }));
    expect(run.error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(run.error!.message).toMatch(/IPV6/);
    expect(origin.emu.calls).toEqual([]);
  });

  test('the md5 in the event is checked against the exact bytes served', async () => {
    const body = customDocument(BASE, '1783714999', ['198.51.100.0/24']);
    origin.server.serve('custom-1.json', body);
    const run = await invoke(handler, { source: 'cfguard', action: 'reconcile', url: origin.server.url('custom-1.json'), md5: md5(body + ' ') }, origin.env());
    expect(run.error).toMatchObject({ code: 'MD5_MISMATCH' });
  });
});
