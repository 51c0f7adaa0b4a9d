/**
 * GIVEN a real ip-ranges version served on loopback
 * WHEN `cfguard test-event` builds the SNS event for it
 * THEN the event carries the document's true MD5, and the shipped Lambda bundle accepts and applies it.
 */
import { runCli } from '../support/cli-harness';
import { invoke, loadBundledHandler } from '../support/lambda-harness';
import { managedRuleKeys, startOrigin, TOPIC, type Origin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const handler = loadBundledHandler();
const VERSION = MANIFEST[2];

describe('cfguard test-event', () => {
  let origin: Origin;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterAll(() => origin.close());

  test('prints an event (text mode: the event alone) that the bundled handler accepts and applies', async () => {
    const url = origin.server.url(VERSION.file);
    const run = await runCli(['test-event', '--ip-ranges', rangesPath(VERSION.file), '--url', url, '--ip-ranges-allowed-urls', url]);
    expect(run.code).toBe(0);
    const event = run.json();
    const message = JSON.parse(event.Records[0].Sns.Message);
    expect(message).toEqual({ 'create-time': VERSION.createDate, synctoken: VERSION.syncToken, md5: VERSION.md5, url });
    expect(event.Records[0].Sns.TopicArn).toBe(TOPIC);
    expect(run.stderr).not.toMatch(/warning/);

    const result = await invoke(handler, event, origin.env());
    expect(result.error).toBeUndefined();
    expect(result.result).toMatchObject({ outcome: 'applied', trigger: 'sns', syncToken: VERSION.syncToken });
    expect(managedRuleKeys(origin.emu)).toHaveLength(VERSION.CLOUDFRONT_ORIGIN_FACING.v4);
  });

  test('--json wraps the event with the facts it was built from; a URL given as --ip-ranges is fetched and named in the event', async () => {
    const url = origin.server.url(VERSION.file);
    const run = await runCli(['test-event', '--json', '--ip-ranges', url, '--sns-topic-arn', 'arn:aws:sns:eu-north-1:123456789012:my-topic']);
    expect(run.code).toBe(0);
    const doc = run.json();
    expect(Object.keys(doc)).toEqual(['command', 'status', 'exitCode', 'document', 'url', 'topicArn', 'event']);
    expect(doc).toMatchObject({ command: 'test-event', status: 'ok', exitCode: 0, url, topicArn: 'arn:aws:sns:eu-north-1:123456789012:my-topic' });
    expect(doc.document).toEqual({ source: url, syncToken: VERSION.syncToken, createDate: VERSION.createDate, md5: VERSION.md5, bytes: VERSION.bytes });
    expect(JSON.parse(doc.event.Records[0].Sns.Message).md5).toBe(VERSION.md5);
    expect(run.stderr).toMatch(new RegExp(`^cfguard: fetching ${url.replace(/[.?*+]/g, '\\$&')}$`, 'm'));
    // The Lambda would refuse the URL unless allow-listed: the CLI says so, on stderr.
    expect(run.stderr).toMatch(/warning: the Lambda will refuse this event: 'url' must be/);
  });
});
