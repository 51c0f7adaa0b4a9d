import * as fs from 'fs';
import * as path from 'path';
import { appConfigSchema, guardSettingsFromConfig, loadAppConfig, parseAppConfig } from '../../lambda-src/config/app-config';
import { AMAZON_IP_SPACE_CHANGED_TOPIC } from '../../lambda-src/config/settings';
import { ALL_OPTIONS, EXAMPLE_CONFIG, MINIMAL, REPO_ROOT, SINGLE_ACCOUNT_CONFIG, configErrorOf, configWith, expectConfigInvalid, tempDir } from '../support/app-fixtures';

const errorOf = configErrorOf;

const withKey = (key: string, value: unknown) => ({ ...MINIMAL, [key]: value });

describe('the committed configs', () => {
  test.each([
    EXAMPLE_CONFIG,
    SINGLE_ACCOUNT_CONFIG,
    path.join(REPO_ROOT, 'examples', 'multi-account', 'eu.cfguard.config.json'),
    path.join(REPO_ROOT, 'examples', 'multi-account', 'us.cfguard.config.json'),
  ])('%s is valid', (file) => {
    expect(() => loadAppConfig(file)).not.toThrow();
  });

  test('the every-option config is valid', () => {
    expect(parseAppConfig(ALL_OPTIONS).guard.mode).toBe('lambda');
  });
});

describe('defaults', () => {
  test('GIVEN only name, region and instance THEN every default is applied', () => {
    expect(parseAppConfig(MINIMAL)).toEqual({
      ...MINIMAL,
      backend: { type: 'local' },
      // Resolved by the construct (resolveEdgeMonitoring): the 5xx alarm on, nothing else.
      edgeMonitoring: {},
      distribution: {
        originProtocolPolicy: 'http-only',
        originHttpPort: 80,
        originHttpsPort: 443,
        originIpAddressType: 'ipv4',
        originShield: true,
        priceClass: 'PriceClass_All',
        livePlaylistBehavior: true,
        liveSegmentSeconds: 4,
        llHls: false,
        errorCachingMinTtlSeconds: 1,
        cors: 'simple',
        originReadTimeoutSeconds: 30,
        originKeepaliveTimeoutSeconds: 5,
        originReadTimeoutQuotaSeconds: 60,
        originKeepaliveTimeoutQuotaSeconds: 60,
      },
      guard: { mode: 'lambda', runtime: 'nodejs24.x', schedule: true, timeoutSeconds: 120, memorySizeMb: 256, logRetentionDays: 30, originProbe: true },
      ingest: { enabled: true },
      originSecret: { mode: 'on', headerShape: 'plain', secretVersion: 1, verifyPath: '/' },
      tags: {},
    });
  });

  test('GIVEN a cloud backend THEN the hostname defaults to app.terraform.io', () => {
    expect(configWith({ backend: { type: 'cloud', organization: 'acme' } }).backend).toEqual({ type: 'cloud', organization: 'acme', hostname: 'app.terraform.io' });
  });

  test('the schema is the exported zod schema', () => {
    expect(appConfigSchema.safeParse(MINIMAL).success).toBe(true);
  });
});

describe('guardSettingsFromConfig', () => {
  test('region, instance and VPC come from the top level; IPv6 from the origin address type', () => {
    const s = guardSettingsFromConfig(
      configWith({
        vpcId: 'vpc-0123456789abcdef0',
        distribution: { originIpAddressType: 'dualstack', originDomainName: 'media.example.com', originProtocolPolicy: 'https-only' },
        guard: { ports: '443/tcp' },
      }),
    );
    expect(s).toMatchObject({ region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', vpcId: 'vpc-0123456789abcdef0', ipv6: true, prefixName: 'AUTOUPDATE_CF' });
    expect(s.ports).toEqual([{ protocol: 'tcp', fromPort: 443, toPort: 443 }]);
    expect(s.snsTopicArn).toBe(AMAZON_IP_SPACE_CHANGED_TOPIC);
  });

  test('an IPv4 origin keeps IPv6 closed', () => {
    expect(guardSettingsFromConfig(configWith()).ipv6).toBe(false);
  });
});

describe('each bad value is one CONFIG_INVALID naming its JSON path, the rule and the value', () => {
  test.each<[string, unknown, string]>([
    ['a missing name', { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0' }, "'name' must be set to a string, got nothing"],
    ['an upper-case name', withKey('name', 'Streaming'), '\'name\' must be 1-40 lowercase letters, digits or -, starting with a letter or digit, got "Streaming"'],
    ['a bad region', withKey('region', 'europe'), "'region' must be an AWS region like 'eu-north-1', got \"europe\""],
    ['a bad instance id', withKey('instanceId', 'i-zz'), "'instanceId' must look like 'i-0123456789abcdef0', got \"i-zz\""],
    ['a bad VPC id', withKey('vpcId', 'vpc1'), "'vpcId' must look like 'vpc-0123456789abcdef0', got \"vpc1\""],
    ['a bad group id', withKey('instanceSecurityGroupId', 'sg-1'), "'instanceSecurityGroupId' must look like 'sg-0123456789abcdef0'"],
    ['an unknown top-level key', withKey('regoin', 'x'), "'(root)' has unknown key(s) 'regoin' (did you mean 'region'?); remove them or fix their spelling (known keys: name, region"],
    ['an unknown backend', withKey('backend', { type: 'gcs' }), '\'backend.type\' must be one of "local", "cloud", "s3", got "gcs"'],
    ['an s3 backend without key', withKey('backend', { type: 's3', bucket: 'state-bucket', region: 'eu-north-1' }), "'backend.key' must be set to a string, got nothing"],
    ['a bad cloud workspace', withKey('backend', { type: 'cloud', workspace: 'has space' }), "'backend.workspace' must be 1-90 letters, digits, _ or -"],
    ['a bad allocation', withKey('elasticIp', { allocationId: 'eip-1' }), "'elasticIp.allocationId' must look like 'eipalloc-0123456789abcdef0'"],
    ['a bad protocol policy', withKey('distribution', { originProtocolPolicy: 'match-viewer' }), '\'distribution.originProtocolPolicy\' must be one of "http-only", "https-only", got "match-viewer"'],
    ['an origin port CloudFront refuses', withKey('distribution', { originHttpPort: 81 }), "'distribution.originHttpPort' must be 80, 443 or 1024-65535"],
    ['a bad address type', withKey('distribution', { originIpAddressType: 'ipv5' }), '\'distribution.originIpAddressType\' must be one of "ipv4", "dualstack", "ipv6"'],
    ['a bad price class', withKey('distribution', { priceClass: 'PriceClass_50' }), "'distribution.priceClass' must be one of"],
    ['a playlist TTL above 60', withKey('distribution', { playlistTtlSeconds: 61 }), "'distribution.playlistTtlSeconds' must be at most 60, got 61"],
    [
      'a playlist TTL longer than a segment',
      withKey('distribution', { liveSegmentSeconds: 6, playlistTtlSeconds: 8 }),
      "'distribution.playlistTtlSeconds' must be an integer from 1 to 6 seconds (at most 'liveSegmentSeconds'",
    ],
    ['a segment duration of 0', withKey('distribution', { liveSegmentSeconds: 0 }), "'distribution.liveSegmentSeconds' must be at least 1, got 0"],
    ['llHls as a string', withKey('distribution', { llHls: 'yes' }), '\'distribution.llHls\' must be true or false, got "yes"'],
    ['an error TTL above 300', withKey('distribution', { errorCachingMinTtlSeconds: 600 }), "'distribution.errorCachingMinTtlSeconds' must be at most 300, got 600"],
    ['an unknown CORS choice', withKey('distribution', { cors: 'all' }), "'distribution.cors' must be"],
    [
      'a CORS origin with a path',
      withKey('distribution', { cors: { allowedOrigins: ['https://player.example.com/x'] } }),
      "'distribution.cors.allowedOrigins[0]' must be a web origin like 'https://player.example.com'",
    ],
    ['CORS origins as a string', withKey('distribution', { cors: { allowedOrigins: 'https://a.example.com' } }), '\'distribution.cors.allowedOrigins\' must be an array, got "https://a.example.com"'],
    ['an empty CORS origin list', withKey('distribution', { cors: { allowedOrigins: [] } }), "'distribution.cors.allowedOrigins' must be a list of at least 1 item(s)"],
    ['an unknown CORS key', withKey('distribution', { cors: { allowedOrigins: ['https://a.example.com'], credentials: true } }), "'distribution.cors' has unknown key(s) 'credentials'"],
    [
      'GET_HEAD with preflight CORS',
      withKey('distribution', { cors: 'preflight', allowedMethods: 'GET_HEAD' }),
      "'distribution.allowedMethods' must be 'GET_HEAD_OPTIONS' or 'ALL' (or unset) when 'cors' answers preflight requests",
    ],
    [
      'a read timeout above the default quota',
      withKey('distribution', { originReadTimeoutSeconds: 90 }),
      "'distribution.originReadTimeoutSeconds' must be an integer from 1 to 60 seconds (CloudFront quota 'Response timeout per origin'; raise it in Service Quotas (up to 180 s), then set 'originReadTimeoutQuotaSeconds'), got 90",
    ],
    ['a keep-alive above 180', withKey('distribution', { originKeepaliveTimeoutSeconds: 200 }), "'distribution.originKeepaliveTimeoutSeconds' must be at most 180, got 200"],
    ['a timeout quota below 60', withKey('distribution', { originKeepaliveTimeoutQuotaSeconds: 30 }), "'distribution.originKeepaliveTimeoutQuotaSeconds' must be at least 60, got 30"],
    [
      'LL-HLS outwaited by CloudFront',
      withKey('distribution', { llHls: true, liveSegmentSeconds: 12 }),
      "'distribution.originReadTimeoutSeconds' must be more than 3 x 'liveSegmentSeconds' (36 s) with 'llHls'",
    ],
    ['aliases without a certificate', withKey('distribution', { aliases: ['live.example.com'] }), "'distribution.certificateArn' must be set together with the other"],
    [
      'a certificate outside us-east-1',
      withKey('distribution', { aliases: ['a.example.com'], certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }),
      "'distribution.certificateArn' must be an ACM certificate ARN in us-east-1",
    ],
    [
      'https-only without a domain',
      withKey('distribution', { originProtocolPolicy: 'https-only' }),
      "'distribution.originDomainName' must be set when 'distribution.originProtocolPolicy' is 'https-only'",
    ],
    ['a logging bucket that is not a domain', withKey('distribution', { logging: { bucket: 'logs' } }), "'distribution.logging.bucket' must be the log bucket's domain name"],
    ['a guard setting at the top of guard', withKey('guard', { region: 'eu-west-1' }), "'guard' has unknown key(s) 'region'"],
    ['an unknown mode', withKey('guard', { mode: 'cron' }), '\'guard.mode\' must be one of "lambda", "prefix-list", got "cron"'],
    ['a bad port', withKey('guard', { ports: ['80/icmp'] }), "'guard.ports[0]' must be a port like '80/tcp', '1935/udp', '8000-8010/tcp' or 80 (ports 1-65535, protocol tcp or udp), got \"80/icmp\""],
    ['ports as a number', withKey('guard', { ports: 80 }), "'guard.ports' must be a list like ['80/tcp', '443/tcp'] or a comma-separated string, got 80"],
    ['an unknown service', withKey('guard', { services: ['EC2'] }), '\'guard.services[0]\' must be one of "CLOUDFRONT_ORIGIN_FACING", "CLOUDFRONT", got "EC2"'],
    ['a bad prefix', withKey('guard', { prefixName: 'has space' }), "'guard.prefixName' must be 1-200 letters, digits, _ . or -"],
    ['rules per group above 1000', withKey('guard', { rulesPerGroup: 1001 }), "'guard.rulesPerGroup' must be a whole number from 1 to 1000, got 1001"],
    ['groups per interface of 0', withKey('guard', { groupsPerInterface: 0 }), "'guard.groupsPerInterface' must be a whole number from 1 to 16, got 0"],
    ['rules x groups above 1000', withKey('guard', { rulesPerGroup: 300, groupsPerInterface: 4 }), "'guard.rulesPerGroup' (300) x 'guard.groupsPerInterface' (4) = 1200, above EC2's limit of 1000"],
    ['a revoke fraction of 0', withKey('guard', { maxRevokeFraction: 0 }), "'guard.maxRevokeFraction' must be a fraction above 0 and at most 1, got 0"],
    ['a non-http allowed URL', withKey('guard', { ipRangesAllowedUrls: ['ftp://x.example.com/r.json'] }), "'guard.ipRangesAllowedUrls[0]' must be an http(s) URL"],
    ['a timeout above 900', withKey('guard', { timeoutSeconds: 1000 }), "'guard.timeoutSeconds' must be at most 900, got 1000"],
    ['memory below 128', withKey('guard', { memorySizeMb: 100 }), "'guard.memorySizeMb' must be at least 128, got 100"],
    ['a retention CloudWatch lacks', withKey('guard', { logRetentionDays: 10 }), "'guard.logRetentionDays' must be one of CloudWatch's retentions"],
    ['schedule as a string', withKey('guard', { schedule: 'yes' }), '\'guard.schedule\' must be true or false, got "yes"'],
    ['an ingest port above 65535', withKey('ingest', { rules: [{ port: 70000, protocol: 'udp' }] }), "'ingest.rules[0].port' must be at most 65535, got 70000"],
    ['an ingest protocol', withKey('ingest', { rules: [{ port: 1935, protocol: 'icmp' }] }), '\'ingest.rules[0].protocol\' must be one of "tcp", "udp"'],
    [
      'a non-canonical ingest CIDR',
      withKey('ingest', { rules: [{ port: 1935, protocol: 'udp', cidrs: ['10.0.0.1/8'] }] }),
      "'ingest.rules[0].cidrs[0]' must be a canonical CIDR with the host bits clear ('10.0.0.0/8')",
    ],
    [
      'a duplicate ingest CIDR',
      withKey('ingest', { rules: [{ port: 1935, protocol: 'udp', cidrs: ['0.0.0.0/0', '0.0.0.0/0'] }] }),
      "'ingest.rules[0].cidrs[1]' must be listed once per protocol and port range",
    ],
    ['a tag value that is not a string', withKey('tags', { owner: 7 }), "'tags.owner' must be a string, got 7"],
    ['a config that is not an object', 'streaming', '\'(root)\' must be an object, got "streaming"'],
  ])('%s', (_name, raw, message) => expectConfigInvalid(raw, message));

  test('the error names the path in its details for tools', () => {
    expect(errorOf(withKey('guard', { rulesPerGroup: 1001 })).details.path).toBe('guard.rulesPerGroup');
  });
});

describe('loadAppConfig', () => {
  test('GIVEN a missing file THEN the error names the path and how to create it', () => {
    const file = path.join(tempDir(), 'nope.json');
    expect(() => loadAppConfig(file)).toThrow(`config file '${file}' does not exist; create it from the example cfguard.config.json`);
  });

  test('GIVEN malformed JSON THEN the error names the path', () => {
    const file = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(file, '{ "name": ');
    expect(() => loadAppConfig(file)).toThrow(`config file '${file}' must be valid JSON, got a syntax error`);
  });

  test('GIVEN an invalid value THEN the error starts with the file path', () => {
    const file = path.join(tempDir(), 'cfg.json');
    fs.writeFileSync(file, JSON.stringify(withKey('region', 'x')));
    expect(() => loadAppConfig(file)).toThrow(`${file}: 'region' must be an AWS region`);
  });
});
