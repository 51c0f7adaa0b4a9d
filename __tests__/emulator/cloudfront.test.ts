import { GetDistributionCommand, GetDistributionConfigCommand, UpdateDistributionCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { startCloudFrontEmulator, type CloudFrontEmulator } from '../../emulator/cloudfront';

/** The CloudFront emulator through the real SDK client: REST-XML 2020-05-31, ETags and If-Match, Status, CloudFront's error codes. */

const ID = 'EDFDVBD6EXAMPLE';
const HEADER = 'X-Origin-Verify';
let emu: CloudFrontEmulator;
let cf: CloudFrontClient;
beforeEach(async () => {
  emu = await startCloudFrontEmulator();
  emu.seed(ID, [{ id: 'media-origin', domainName: 'ec2-203-0-113-10.eu-north-1.compute.amazonaws.com', customHeaders: { [HEADER]: 'old-value' } }]);
  cf = emu.client();
});
afterEach(() => emu.close());

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, status: (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

test("GetDistributionConfig returns each origin's CustomHeaders and the ETag; GetDistribution the same config, Status and ETag", async () => {
  const got = await cf.send(new GetDistributionConfigCommand({ Id: ID }));
  expect(got.ETag).toMatch(/^E[0-9A-F]{13}$/);
  expect(got.DistributionConfig?.Origins?.Items?.map((o) => [o.Id, o.CustomHeaders?.Quantity, o.CustomHeaders?.Items])).toEqual([
    ['media-origin', 1, [{ HeaderName: HEADER, HeaderValue: 'old-value' }]],
  ]);
  expect(got.DistributionConfig).toMatchObject({ CallerReference: `cfguard-${ID}`, Enabled: true, DefaultCacheBehavior: { TargetOriginId: 'media-origin' } });
  const d = await cf.send(new GetDistributionCommand({ Id: ID }));
  expect(d.ETag).toBe(got.ETag);
  expect(d.Distribution).toMatchObject({ Id: ID, ARN: `arn:aws:cloudfront::123456789012:distribution/${ID}`, Status: 'Deployed', DomainName: 'edfdvbd6example.cloudfront.net' });
  expect(d.Distribution?.DistributionConfig?.Origins?.Items?.[0].CustomHeaders?.Items).toEqual([{ HeaderName: HEADER, HeaderValue: 'old-value' }]);
  expect(emu.calls).toEqual([
    { action: 'GetDistributionConfig', id: ID },
    { action: 'GetDistribution', id: ID },
  ]);
});

test('UpdateDistribution with the ETag switches the header: a new ETag, InProgress (both values may be sent) until deployed', async () => {
  const got = await cf.send(new GetDistributionConfigCommand({ Id: ID }));
  const config = got.DistributionConfig!;
  config.Origins!.Items![0].CustomHeaders = { Quantity: 1, Items: [{ HeaderName: HEADER, HeaderValue: 'new-value' }] };
  const updated = await cf.send(new UpdateDistributionCommand({ Id: ID, IfMatch: got.ETag, DistributionConfig: config }));
  expect(updated.ETag).not.toBe(got.ETag);
  expect(updated.Distribution?.Status).toBe('InProgress');
  expect(emu.originHeaders(ID)).toEqual([{ originId: 'media-origin', headers: [{ name: HEADER, value: 'new-value' }] }]);
  expect(emu.mayBeSent(ID, HEADER).sort()).toEqual(['new-value', 'old-value']);
  // The first read still says InProgress (deploymentReads = 1); then the deployment has reached every edge.
  expect((await cf.send(new GetDistributionCommand({ Id: ID }))).Distribution?.Status).toBe('InProgress');
  expect((await cf.send(new GetDistributionCommand({ Id: ID }))).Distribution?.Status).toBe('Deployed');
  expect(emu.mayBeSent(ID, HEADER)).toEqual(['new-value']);
  // Other members survive the round trip through the SDK.
  expect((await cf.send(new GetDistributionConfigCommand({ Id: ID }))).DistributionConfig).toMatchObject({
    CallerReference: config.CallerReference,
    Comment: config.Comment,
    HttpVersion: 'http2and3',
  });
});

test('a deployment held InProgress stays so until the test finishes it', async () => {
  emu.deploymentReads = Infinity;
  emu.setOriginHeader(ID, 'media-origin', HEADER, 'by-hand');
  for (let i = 0; i < 3; i++) expect((await cf.send(new GetDistributionCommand({ Id: ID }))).Distribution?.Status).toBe('InProgress');
  emu.finishDeployment(ID);
  expect(emu.status(ID)).toBe('Deployed');
  expect(emu.mayBeSent(ID, HEADER)).toEqual(['by-hand']);
});

test.each([
  ['a missing distribution (GetDistributionConfig)', (c: CloudFrontClient) => c.send(new GetDistributionConfigCommand({ Id: 'E000000000NONE' })), 'NoSuchDistribution', 404],
  ['a missing distribution (GetDistribution)', (c: CloudFrontClient) => c.send(new GetDistributionCommand({ Id: 'E000000000NONE' })), 'NoSuchDistribution', 404],
  [
    'an update with a stale ETag',
    async (c: CloudFrontClient) => {
      const got = await c.send(new GetDistributionConfigCommand({ Id: ID }));
      return c.send(new UpdateDistributionCommand({ Id: ID, IfMatch: 'E0STALE0000000', DistributionConfig: got.DistributionConfig }));
    },
    'PreconditionFailed',
    412,
  ],
  [
    'an update without If-Match',
    async (c: CloudFrontClient) => {
      const got = await c.send(new GetDistributionConfigCommand({ Id: ID }));
      return c.send(new UpdateDistributionCommand({ Id: ID, DistributionConfig: got.DistributionConfig }));
    },
    'InvalidIfMatchVersion',
    400,
  ],
  [
    'an update that changes the CallerReference',
    async (c: CloudFrontClient) => {
      const got = await c.send(new GetDistributionConfigCommand({ Id: ID }));
      return c.send(new UpdateDistributionCommand({ Id: ID, IfMatch: got.ETag, DistributionConfig: { ...got.DistributionConfig!, CallerReference: 'another' } }));
    },
    'IllegalUpdate',
    400,
  ],
  [
    'an update whose Quantity disagrees with its Items',
    async (c: CloudFrontClient) => {
      const got = await c.send(new GetDistributionConfigCommand({ Id: ID }));
      const config = got.DistributionConfig!;
      config.Origins!.Items![0].CustomHeaders = { Quantity: 2, Items: [{ HeaderName: HEADER, HeaderValue: 'x' }] };
      return c.send(new UpdateDistributionCommand({ Id: ID, IfMatch: got.ETag, DistributionConfig: config }));
    },
    'InconsistentQuantities',
    400,
  ],
])("%s fails with CloudFront's code and status and changes nothing", async (_what, call, code, status) => {
  expect(await errorOf(call(cf))).toEqual({ name: code, status });
  expect(emu.originHeaders(ID)).toEqual([{ originId: 'media-origin', headers: [{ name: HEADER, value: 'old-value' }] }]);
  expect(emu.status(ID)).toBe('Deployed');
});

test("errors are CloudFront's ErrorResponse XML", async () => {
  const res = await fetch(`${emu.endpoint}/2020-05-31/distribution/E000000000NONE/config`);
  expect(res.status).toBe(404);
  expect(await res.text()).toMatch(
    /<ErrorResponse xmlns="http:\/\/cloudfront\.amazonaws\.com\/doc\/2020-05-31\/"><Error><Type>Sender<\/Type><Code>NoSuchDistribution<\/Code><Message>The specified distribution does not exist\.<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
  );
});
