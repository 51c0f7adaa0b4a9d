import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startEc2Emulator, type Ec2Emulator } from '../../emulator/ec2';

describe('EC2 emulator: the wire (Query protocol over HTTP on loopback)', () => {
  let emu: Ec2Emulator;
  beforeAll(async () => {
    emu = await startEc2Emulator();
    emu.addVpc({ isDefault: true });
  });
  afterAll(() => emu.close());

  const post = (body: string) => fetch(`${emu.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  test('it listens on 127.0.0.1 and reports region eu-north-1', () => {
    expect(emu.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.region).toBe('eu-north-1');
  });

  test('a result is an <ActionResponse> document in the EC2 namespace with a requestId', async () => {
    const res = await post('Action=DescribeVpcs&Version=2016-11-15');
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeVpcsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><vpcSet><item><vpcId>vpc-[0-9a-f]{17}<\/vpcId>/,
    );
  });

  test('an unknown action is HTTP 400 InvalidAction in the EC2 error envelope, and is logged as a write', async () => {
    const res = await post('Action=LaunchRockets&Version=2016-11-15');
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>InvalidAction<\/Code><Message>The action LaunchRockets is not valid for this web service\.<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
    );
    expect(emu.calls.at(-1)).toEqual({ action: 'LaunchRockets', write: true, ok: false, errorCode: 'InvalidAction' });
  });

  test('a request without Action is refused with MissingAction', async () => {
    const res = await post('Version=2016-11-15');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>MissingAction</Code>');
  });

  test('text in responses is XML-escaped and survives the SDK round trip', async () => {
    const vpcId = emu.addVpc();
    emu.addSecurityGroup({ vpcId, name: 'esc', description: 'a<b> & "c"', tags: { note: '<&>"\'' } });
    const res = await post(`Action=DescribeSecurityGroups&Version=2016-11-15&Filter.1.Name=group-name&Filter.1.Value.1=esc`);
    const text = await res.text();
    expect(text).toContain('<groupDescription>a&lt;b&gt; &amp; &quot;c&quot;</groupDescription>');
  });

  test('the SDK reaches it through AWS_ENDPOINT_URL_EC2, as the CLI and the Lambda bundle will', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_EC2;
    process.env.AWS_ENDPOINT_URL_EC2 = emu.endpoint;
    const client = new EC2Client({ region: 'us-east-1', maxAttempts: 1 });
    try {
      const out = await client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }));
      expect(out.Vpcs).toHaveLength(1);
    } finally {
      client.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_EC2;
      else process.env.AWS_ENDPOINT_URL_EC2 = saved;
    }
  });
});
