import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { TerraformOutput } from 'cdktf';
import { EdgeDistribution, type EdgeDistributionProps } from '../../constructs/edge-distribution';
import { ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID, CACHING_OPTIMIZED_POLICY_ID, SEGMENT_PATH_PATTERNS } from '../../constructs/edge-cache-behaviors';
import { SIMPLE_CORS_POLICY_ID } from '../../constructs/edge-cors';
import { synth, synthError } from '../support/construct-synth';

const EC2_DNS = 'ec2-203-0-113-10.eu-north-1.compute.amazonaws.com';
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const BASE: EdgeDistributionProps = { originDomainName: EC2_DNS, originRegion: 'eu-north-1' };

function build(props: Partial<EdgeDistributionProps> = {}) {
  let edge: EdgeDistribution | undefined;
  const s = synth((scope) => {
    edge = new EdgeDistribution(scope, 'edge', { ...BASE, ...props });
  });
  return { s, edge: edge!, distribution: s.only('aws_cloudfront_distribution') };
}

describe('EdgeDistribution defaults', () => {
  const { s, edge, distribution } = build();

  test('GIVEN only an origin and its region THEN the custom origin is http-only on port 80 over IPv4 with Origin Shield from the table', () => {
    expect(distribution.origin).toEqual([
      {
        origin_id: 'media-origin',
        domain_name: EC2_DNS,
        custom_origin_config: {
          origin_protocol_policy: 'http-only',
          http_port: 80,
          https_port: 443,
          ip_address_type: 'ipv4',
          origin_ssl_protocols: ['TLSv1.2'],
          origin_read_timeout: 30,
          origin_keepalive_timeout: 5,
        },
        origin_shield: { enabled: true, origin_shield_region: 'eu-west-2' },
      },
    ]);
    expect(edge.originShieldRegion).toBe('eu-west-2');
    expect(edge.opensIpv6).toBe(false);
  });

  test('THEN the default behaviour redirects to HTTPS with CachingOptimized, AllViewer, SimpleCORS and compression, for GET and HEAD', () => {
    expect(distribution.default_cache_behavior).toEqual({
      target_origin_id: 'media-origin',
      viewer_protocol_policy: 'redirect-to-https',
      allowed_methods: ['GET', 'HEAD'],
      cached_methods: ['GET', 'HEAD'],
      cache_policy_id: CACHING_OPTIMIZED_POLICY_ID,
      origin_request_policy_id: ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID,
      response_headers_policy_id: SIMPLE_CORS_POLICY_ID,
      compress: true,
    });
    expect(CACHING_OPTIMIZED_POLICY_ID).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6');
    expect(ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID).toBe('216adef6-5c7f-47e4-b989-5492eafa07d3');
  });

  test('THEN live playlists get a *.m3u8 behaviour first, then one per segment type, all on the same origin', () => {
    const policies = s.resources('aws_cloudfront_cache_policy');
    const [policyName] = Object.keys(policies);
    expect(distribution.ordered_cache_behavior).toEqual([
      { ...distribution.default_cache_behavior, path_pattern: '*.m3u8', cache_policy_id: `\${aws_cloudfront_cache_policy.${policyName}.id}` },
      ...SEGMENT_PATH_PATTERNS.map((pattern) => ({ ...distribution.default_cache_behavior, path_pattern: pattern })),
    ]);
    expect(SEGMENT_PATH_PATTERNS).toEqual(['*.ts', '*.m4s', '*.aac', '*.mp4']);
  });

  test('THEN the playlist policy lives half a 4 s segment (2 s), keys on the LL-HLS parameters and compresses', () => {
    const policies = s.resources('aws_cloudfront_cache_policy');
    expect(Object.values(policies)).toEqual([
      {
        name: 'stack-edge-live-playlist',
        comment: 'Live HLS playlists (*.m3u8): 2 s TTL, keyed on _HLS_msn, _HLS_part, _HLS_skip',
        min_ttl: 0,
        default_ttl: 2,
        max_ttl: 2,
        parameters_in_cache_key_and_forwarded_to_origin: {
          cookies_config: { cookie_behavior: 'none' },
          headers_config: { header_behavior: 'none' },
          query_strings_config: { query_string_behavior: 'whitelist', query_strings: { items: ['_HLS_msn', '_HLS_part', '_HLS_skip'] } },
          enable_accept_encoding_gzip: true,
          enable_accept_encoding_brotli: true,
        },
      },
    ]);
  });

  test("THEN 404 and 5xx answers are cached for 1 s instead of CloudFront's 10 s", () => {
    expect(distribution.custom_error_response).toEqual([404, 500, 502, 503, 504].map((code) => ({ error_code: code, error_caching_min_ttl: 1 })));
  });

  test('THEN viewers get HTTP/2 and 3, IPv6, every edge, no geo restriction and the default certificate', () => {
    expect(s.json).toHaveResourceWithProperties(CloudfrontDistribution, {
      enabled: true,
      http_version: 'http2and3',
      is_ipv6_enabled: true,
      price_class: 'PriceClass_All',
      comment: 'cloudfront-origin-guard edge',
      restrictions: { geo_restriction: { restriction_type: 'none' } },
      viewer_certificate: { cloudfront_default_certificate: true },
    });
    expect(distribution).not.toHaveProperty('aliases');
    expect(distribution).not.toHaveProperty('logging_config');
    expect(distribution).not.toHaveProperty('tags');
  });

  test("THEN the distribution's construct id is `distribution`, the import path the CLI writes", () => {
    expect(edge.distribution.node.path).toBe('stack/edge/distribution');
  });

  test('THEN the synthesized JSON matches the provider schema', () => {
    expect(s.schemaProblems()).toEqual([]);
  });
});

describe('EdgeDistribution options', () => {
  test('GIVEN https-only and custom ports THEN the origin uses them', () => {
    const { distribution } = build({ originProtocolPolicy: 'https-only', originHttpPort: 8080, originHttpsPort: 8443 });
    expect(distribution.origin[0].custom_origin_config).toMatchObject({ origin_protocol_policy: 'https-only', http_port: 8080, https_port: 8443 });
  });

  test.each([
    ['dualstack', true],
    ['ipv6', true],
    ['ipv4', false],
  ] as const)('GIVEN originIpAddressType %s THEN the origin uses it and opensIpv6 is %s', (type, opens) => {
    const { edge, distribution } = build({ originDomainName: 'media.example.com', originIpAddressType: type });
    expect(distribution.origin[0].custom_origin_config.ip_address_type).toBe(type);
    expect(edge.opensIpv6).toBe(opens);
  });

  test("GIVEN an Origin Shield override THEN it replaces the table's region", () => {
    const { distribution } = build({ originShieldRegion: 'eu-central-1' });
    expect(distribution.origin[0].origin_shield).toEqual({ enabled: true, origin_shield_region: 'eu-central-1' });
  });

  test('GIVEN only an Origin Shield region and no origin region THEN it is used as is', () => {
    const { edge } = build({ originRegion: undefined, originShieldRegion: 'us-east-1' });
    expect(edge.originShieldRegion).toBe('us-east-1');
  });

  test('GIVEN a price class THEN the distribution uses it', () => {
    expect(build({ priceClass: 'PriceClass_100' }).distribution.price_class).toBe('PriceClass_100');
  });

  test.each([
    ['GET_HEAD', ['GET', 'HEAD']],
    ['GET_HEAD_OPTIONS', ['GET', 'HEAD', 'OPTIONS']],
    ['ALL', ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']],
  ] as const)('GIVEN allowedMethods %s THEN every behaviour allows %j and caches only GET and HEAD', (allowed, methods) => {
    const { distribution } = build({ allowedMethods: allowed });
    expect(distribution.ordered_cache_behavior).toHaveLength(5);
    for (const behaviour of [distribution.default_cache_behavior, ...distribution.ordered_cache_behavior]) {
      expect(behaviour.allowed_methods).toEqual(methods);
      expect(behaviour.cached_methods).toEqual(['GET', 'HEAD']);
    }
  });

  test('GIVEN the live playlist behaviour switched off THEN only the segment behaviours remain and there is no cache policy', () => {
    const { s, edge, distribution } = build({ livePlaylistBehavior: false });
    expect(distribution.ordered_cache_behavior.map((b: { path_pattern: string }) => b.path_pattern)).toEqual([...SEGMENT_PATH_PATTERNS]);
    expect(s.json).not.toHaveResource(CloudfrontCachePolicy);
    expect(edge.livePlaylistCachePolicy).toBeUndefined();
    expect(s.schemaProblems()).toEqual([]);
  });

  test.each([
    [1, 4, 1, 2],
    [4, 4, 4, 4],
    [10, 12, 10, 10],
  ])('GIVEN playlistTtlSeconds %i with %i s segments THEN the policy defaults to it and caps at %i', (ttl, segment, defaultTtl, maxTtl) => {
    const { s } = build({ playlistTtlSeconds: ttl, liveSegmentSeconds: segment });
    expect(s.json).toHaveResourceWithProperties(CloudfrontCachePolicy, { min_ttl: 0, default_ttl: defaultTtl, max_ttl: maxTtl });
  });

  test('GIVEN aliases and a us-east-1 certificate THEN viewers get SNI with TLS 1.2 (2021)', () => {
    const { s, distribution } = build({ aliases: ['live.example.com', '*.cdn.example.com'], certificateArn: CERT });
    expect(distribution.aliases).toEqual(['live.example.com', '*.cdn.example.com']);
    expect(distribution.viewer_certificate).toEqual({ acm_certificate_arn: CERT, ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' });
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN logging THEN standard logs go to the bucket with the prefix and cookie setting', () => {
    const { distribution } = build({ logging: { bucket: 'logs.s3.amazonaws.com', prefix: 'cf/', includeCookies: true } });
    expect(distribution.logging_config).toEqual({ bucket: 'logs.s3.amazonaws.com', prefix: 'cf/', include_cookies: true });
    expect(build({ logging: { bucket: 'logs.s3.eu-north-1.amazonaws.com' } }).distribution.logging_config).toEqual({ bucket: 'logs.s3.eu-north-1.amazonaws.com', include_cookies: false });
  });

  test('GIVEN a comment and tags THEN the distribution carries them', () => {
    const { distribution } = build({ comment: 'live edge', tags: { project: 'streaming' } });
    expect(distribution.comment).toBe('live edge');
    expect(distribution.tags).toEqual({ project: 'streaming' });
  });

  test('GIVEN every option at once THEN the synthesized JSON still matches the provider schema', () => {
    const { s } = build({
      originDomainName: 'media.example.com',
      originShieldRegion: 'eu-central-1',
      originProtocolPolicy: 'https-only',
      originHttpPort: 8080,
      originHttpsPort: 8443,
      originIpAddressType: 'dualstack',
      priceClass: 'PriceClass_200',
      allowedMethods: 'ALL',
      liveSegmentSeconds: 6,
      llHls: true,
      playlistTtlSeconds: 2,
      errorCachingMinTtlSeconds: 0,
      cors: { allowedOrigins: ['https://player.example.com', 'https://*.example.org:8443'], preflight: true },
      originReadTimeoutSeconds: 120,
      originKeepaliveTimeoutSeconds: 90,
      originReadTimeoutQuotaSeconds: 180,
      originKeepaliveTimeoutQuotaSeconds: 120,
      aliases: ['live.example.com'],
      certificateArn: CERT,
      logging: { bucket: 'logs.s3.amazonaws.com', prefix: 'cf/', includeCookies: true },
      comment: 'all options',
      tags: { project: 'streaming' },
    });
    expect(s.resources('aws_cloudfront_response_headers_policy')).not.toEqual({});
    expect(s.schemaProblems()).toEqual([]);
  });

  test("GIVEN the origin is an EIP's DNS only known at apply time THEN it is passed through", () => {
    const s = synth((scope) => {
      const eip = new Eip(scope, 'eip', { domain: 'vpc' });
      new EdgeDistribution(scope, 'edge', { ...BASE, originDomainName: eip.publicDns });
    });
    expect(s.only('aws_cloudfront_distribution').origin[0].domain_name).toMatch(/^\$\{aws_eip\.[^.]+\.public_dns\}$/);
  });

  test("THEN id, domain name, ARN and hosted zone are the distribution's attributes", () => {
    const s = synth((scope) => {
      const edge = new EdgeDistribution(scope, 'edge', BASE);
      new TerraformOutput(scope, 'id', { value: edge.distributionId });
      new TerraformOutput(scope, 'domain', { value: edge.distributionDomainName });
      new TerraformOutput(scope, 'arn', { value: edge.distributionArn });
      new TerraformOutput(scope, 'zone', { value: edge.distributionHostedZoneId });
    });
    const outputs = JSON.parse(s.json).output;
    for (const [name, attr] of [
      ['id', 'id'],
      ['domain', 'domain_name'],
      ['arn', 'arn'],
      ['zone', 'hosted_zone_id'],
    ]) {
      expect(outputs[name].value).toMatch(new RegExp(`^\\$\\{aws_cloudfront_distribution\\.[^.]+\\.${attr}\\}$`));
    }
  });
});

describe('EdgeDistribution validation', () => {
  const tooManyAliases = Array.from({ length: 101 }, (_, i) => `a${i}.example.com`);
  test.each<[string, Partial<EdgeDistributionProps>, string]>([
    ['an IP address as origin', { originDomainName: '203.0.113.10' }, "'originDomainName' must be a DNS name without scheme or path"],
    ['a URL as origin', { originDomainName: 'http://media.example.com/' }, "'originDomainName' must be a DNS name without scheme or path"],
    ['neither origin region nor Origin Shield region', { originRegion: undefined }, "'originRegion' must be set to the instance's region (or set 'originShieldRegion')"],
    ['a malformed origin region', { originRegion: 'Stockholm' }, "'originRegion' must be an AWS region like 'eu-north-1', got 'Stockholm'"],
    ['a region missing from the table', { originRegion: 'ap-southeast-3' }, "region 'ap-southeast-3' is not in the Origin Shield table"],
    ['an override that hosts no Origin Shield', { originShieldRegion: 'eu-north-1' }, "'originShieldRegion' must be a region that hosts Origin Shield"],
    ['an unknown protocol policy', { originProtocolPolicy: 'match-viewer' as 'http-only' }, "'originProtocolPolicy' must be one of 'http-only', 'https-only', got 'match-viewer'"],
    ['HTTP port 81', { originHttpPort: 81 }, "'originHttpPort' must be 80, 443 or 1024-65535 (the ports CloudFront accepts for a custom origin), got 81"],
    ['HTTPS port 70000', { originHttpsPort: 70000 }, "'originHttpsPort' must be 80, 443 or 1024-65535"],
    ['an unknown IP address type', { originIpAddressType: 'ipv5' as 'ipv4' }, "'originIpAddressType' must be one of 'ipv4', 'dualstack', 'ipv6', got 'ipv5'"],
    ['an unknown price class', { priceClass: 'PriceClass_300' as 'PriceClass_All' }, "'priceClass' must be one of"],
    ['unknown allowed methods', { allowedMethods: 'GET' as 'GET_HEAD' }, "'allowedMethods' must be one of 'GET_HEAD', 'GET_HEAD_OPTIONS', 'ALL', got 'GET'"],
    ['a zero playlist TTL', { playlistTtlSeconds: 0 }, "'playlistTtlSeconds' must be an integer from 1 to 60 seconds"],
    ['a fractional playlist TTL', { playlistTtlSeconds: 1.5 }, "'playlistTtlSeconds' must be an integer from 1 to 60 seconds"],
    ['a playlist TTL of 61', { playlistTtlSeconds: 61, liveSegmentSeconds: 60 }, "'playlistTtlSeconds' must be an integer from 1 to 60 seconds"],
    ['aliases without certificate', { aliases: ['live.example.com'] }, "'certificateArn' must be set when 'aliases' is"],
    ['a certificate without aliases', { certificateArn: CERT }, "'aliases' must be at least one domain name the certificate covers"],
    ['a certificate outside us-east-1', { aliases: ['live.example.com'], certificateArn: CERT.replace('us-east-1', 'eu-west-1') }, "'certificateArn' must be an ACM certificate ARN in us-east-1"],
    ['a malformed alias', { aliases: ['live example.com'], certificateArn: CERT }, "'aliases[0]' must be a domain name like 'live.example.com' or '*.example.com', got 'live example.com'"],
    ['a duplicate alias', { aliases: ['live.example.com', 'LIVE.example.com'], certificateArn: CERT }, "'aliases[1]' must be listed once"],
    ['more aliases than the quota', { aliases: tooManyAliases, certificateArn: CERT }, "'aliases' must be at most 100 names (CloudFront quota 'Alternate domain names (CNAMEs) per distribution'"],
    ['a bucket name instead of its domain', { logging: { bucket: 'my-logs' } }, "'logging.bucket' must be the log bucket's domain name, like 'my-logs.s3.amazonaws.com', got 'my-logs'"],
    ['a log prefix with a leading slash', { logging: { bucket: 'logs.s3.amazonaws.com', prefix: '/cf' } }, "'logging.prefix' must be a key prefix not starting with '/'"],
    ['a comment over 128 characters', { comment: 'x'.repeat(129) }, "'comment' must be at most 128 characters (CloudFront's limit)"],
  ])('GIVEN %s THEN it fails with CONFIG_INVALID saying what to fix', (_case, props, message) => {
    const error = synthError((scope) => new EdgeDistribution(scope, 'edge', { ...BASE, ...props }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });
});
