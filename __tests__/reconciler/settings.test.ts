import { ENV_NAMES, settingsFromEnv, settingsToEnv } from '../../lambda-src/config/settings';

describe('guard settings from the Lambda environment', () => {
  test('an empty environment gives the documented defaults', () => {
    expect(settingsFromEnv({})).toEqual({
      ports: [{ protocol: 'tcp', fromPort: 80, toPort: 80 }],
      services: ['CLOUDFRONT_ORIGIN_FACING'],
      prefixName: 'AUTOUPDATE_CF',
      vpcId: undefined,
      region: 'us-east-1',
      debug: false,
      instanceId: undefined,
      ipv6: false,
      rulesPerGroup: 60,
      groupsPerInterface: 5,
      maxRevokeFraction: 0.5,
      snsTopicArn: 'arn:aws:sns:us-east-1:806199016981:AmazonIpSpaceChanged',
      ipRangesAllowedUrls: [],
      // the tutorial's ingest (1935/udp for SRT, 1945/tcp), which the exposure audit never counts
      ingestRules: [
        { protocol: 'udp', fromPort: 1935, toPort: 1935, source: '0.0.0.0/0' },
        { protocol: 'tcp', fromPort: 1945, toPort: 1945, source: '0.0.0.0/0' },
      ],
    });
  });

  test("the tutorial's variables keep their meaning: a bare port is tcp, SERVICE and PORTS are comma-separated", () => {
    const s = settingsFromEnv({ PORTS: '80, 443/tcp,1935/udp,80', SERVICE: 'CLOUDFRONT', PREFIX_NAME: 'AUTOUPDATE_CF', VPC_ID: '', REGION: 'eu-north-1', DEBUG: 'true' });
    expect(s.ports).toEqual([
      { protocol: 'tcp', fromPort: 80, toPort: 80 },
      { protocol: 'tcp', fromPort: 443, toPort: 443 },
      { protocol: 'udp', fromPort: 1935, toPort: 1935 },
    ]);
    expect(s).toMatchObject({ services: ['CLOUDFRONT'], vpcId: undefined, region: 'eu-north-1', debug: true });
  });

  test('REGION falls back to AWS_REGION, which Lambda always sets', () => {
    expect(settingsFromEnv({ AWS_REGION: 'ap-south-1' }).region).toBe('ap-south-1');
    expect(settingsFromEnv({ AWS_REGION: 'ap-south-1', REGION: 'eu-west-1' }).region).toBe('eu-west-1');
  });

  test('settingsToEnv reproduces the settings exactly, with only the documented variable names', () => {
    const env = {
      PORTS: '443/tcp,8000-8010/udp',
      SERVICE: 'CLOUDFRONT,CLOUDFRONT_ORIGIN_FACING',
      INSTANCE_ID: 'i-0123456789abcdef0',
      VPC_ID: 'vpc-0123456789abcdef0',
      IPV6: 'true',
      RULES_PER_GROUP: '100',
      GROUPS_PER_INTERFACE: '10',
      MAX_REVOKE_FRACTION: '0.25',
      IP_RANGES_ALLOWED_URLS: 'http://127.0.0.1:1/a.json',
    };
    const once = settingsFromEnv(env);
    const rendered = settingsToEnv(once);
    expect(settingsFromEnv(rendered)).toEqual(once);
    expect(Object.keys(rendered).every((k) => (Object.values(ENV_NAMES) as string[]).includes(k))).toBe(true);
  });

  test.each([
    ['PORTS', '80/icmp', /'PORTS' must be a comma-separated list/],
    ['PORTS', '70000', /'PORTS'/],
    ['PORTS', ' , ', /'PORTS' must name at least one port/],
    ['SERVICE', 'EC2', /'SERVICE' must list only CLOUDFRONT_ORIGIN_FACING/],
    ['IPV6', 'yes', /'IPV6' must be 'true' or 'false', got "yes"/],
    ['RULES_PER_GROUP', '0', /'RULES_PER_GROUP' must be a whole number from 1 to 1000/],
    ['GROUPS_PER_INTERFACE', '17', /'GROUPS_PER_INTERFACE' must be a whole number from 1 to 16/],
    ['MAX_REVOKE_FRACTION', '0', /'MAX_REVOKE_FRACTION' must be a fraction/],
    ['INSTANCE_ID', 'web-1', /'INSTANCE_ID' must look like 'i-/],
    ['SNS_TOPIC_ARN', 'topic', /'SNS_TOPIC_ARN' must be an SNS topic ARN/],
    ['IP_RANGES_ALLOWED_URLS', 'file:///etc/passwd', /'IP_RANGES_ALLOWED_URLS' must be a comma-separated list of http\(s\) URLs/],
  ])('%s=%s is one CONFIG_INVALID naming the variable', (name, value, message) => {
    expect(() => settingsFromEnv({ [name]: value })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) }));
  });

  test("quotas whose product exceeds EC2's 1,000 are refused, naming both settings", () => {
    expect(() => settingsFromEnv({ RULES_PER_GROUP: '200', GROUPS_PER_INTERFACE: '6' })).toThrow(
      expect.objectContaining({ code: 'QUOTA_PRODUCT_LIMIT', message: expect.stringMatching(/'RULES_PER_GROUP' \(200\) x 'GROUPS_PER_INTERFACE' \(6\) = 1200/) }),
    );
  });

  test('the CLI reads the same variables prefixed CFGUARD_ and names them that way in errors', () => {
    expect(settingsFromEnv({ CFGUARD_PORTS: '443' }, 'CFGUARD_').ports).toEqual([{ protocol: 'tcp', fromPort: 443, toPort: 443 }]);
    expect(() => settingsFromEnv({ CFGUARD_IPV6: 'x' }, 'CFGUARD_')).toThrow(/'CFGUARD_IPV6'/);
  });
});
