import fc from 'fast-check';
import { Token } from 'cdktf';
import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { EdgeDistribution, type EdgeDistributionProps } from '../../constructs/edge-distribution';
import { CACHING_OPTIMIZED_POLICY_ID, SEGMENT_PATH_PATTERNS } from '../../constructs/edge-cache-behaviors';
import { CORS_WITH_PREFLIGHT_POLICY_ID, SIMPLE_CORS_POLICY_ID } from '../../constructs/edge-cors';
import { synth, synthError } from '../support/construct-synth';

/** EdgeDistribution's live-streaming settings: LL-HLS cache key, playlist TTLs, error caching, CORS, origin timeouts. */

const BASE: EdgeDistributionProps = { originDomainName: 'media.example.com', originRegion: 'eu-north-1' };
const HLS_KEYS = ['_HLS_msn', '_HLS_part', '_HLS_skip'];

function build(props: Partial<EdgeDistributionProps> = {}) {
  const s = synth((scope) => new EdgeDistribution(scope, 'edge', { ...BASE, ...props }));
  const distribution = s.only('aws_cloudfront_distribution');
  const behaviours: any[] = [distribution.default_cache_behavior, ...(distribution.ordered_cache_behavior ?? [])];
  return { s, distribution, behaviours };
}

const byPattern = (behaviours: any[], pattern: string) => behaviours.find((b) => b.path_pattern === pattern);

describe('the playlist cache key and the segment behaviours', () => {
  const settings = fc.record(
    {
      liveSegmentSeconds: fc.integer({ min: 1, max: 59 }),
      llHls: fc.boolean(),
      allowedMethods: fc.constantFrom('GET_HEAD_OPTIONS' as const, 'ALL' as const),
      cors: fc.constantFrom<EdgeDistributionProps['cors']>('none', 'simple', 'preflight', { allowedOrigins: ['https://player.example.com'] }),
      errorCachingMinTtlSeconds: fc.integer({ min: 0, max: 300 }),
    },
    { requiredKeys: [] },
  );

  test('GIVEN any valid live settings THEN the playlist key is exactly the three _HLS_ parameters and no segment behaviour keys on query strings', () => {
    fc.assert(
      fc.property(settings, (props) => {
        // LL-HLS needs CloudFront to outwait a blocking reload: 3 target durations, past 60 s with a raised quota.
        const readTimeout = props.llHls ? { originReadTimeoutSeconds: 3 * (props.liveSegmentSeconds ?? 4) + 1, originReadTimeoutQuotaSeconds: 180 } : {};
        const { s, behaviours } = build({ ...props, ...readTimeout });
        const [policy] = Object.values(s.resources('aws_cloudfront_cache_policy'));
        const key = policy.parameters_in_cache_key_and_forwarded_to_origin;
        expect(key.query_strings_config).toEqual({ query_string_behavior: 'whitelist', query_strings: { items: HLS_KEYS } });
        expect([key.headers_config, key.cookies_config]).toEqual([{ header_behavior: 'none' }, { cookie_behavior: 'none' }]);
        for (const pattern of SEGMENT_PATH_PATTERNS) {
          const segment = byPattern(behaviours, pattern);
          // CachingOptimized keys on no query string; legacy forwarded_values would bypass the policy.
          expect(segment.cache_policy_id).toBe(CACHING_OPTIMIZED_POLICY_ID);
          expect(segment).not.toHaveProperty('forwarded_values');
        }
      }),
      { numRuns: 25 },
    );
  });

  test('the playlist policy is the only cache policy of ours: segments never share its query-string key', () => {
    const { s, behaviours } = build();
    const ours = Object.keys(s.resources('aws_cloudfront_cache_policy')).map((name) => `\${aws_cloudfront_cache_policy.${name}.id}`);
    expect(behaviours.filter((b) => ours.includes(b.cache_policy_id)).map((b) => b.path_pattern)).toEqual(['*.m3u8']);
  });
});

describe('playlist TTLs follow the stated segment duration', () => {
  test.each([
    ['plain HLS, 6 s segments', { liveSegmentSeconds: 6 }, 3, 3],
    ['plain HLS, 7 s segments (half rounds down)', { liveSegmentSeconds: 7 }, 3, 3],
    ['plain HLS, 1 s segments (never below 1 s)', { liveSegmentSeconds: 1 }, 1, 1],
    ['LL-HLS, 4 s segments', { llHls: true }, 1, 2],
    ['LL-HLS, 6 s segments', { llHls: true, liveSegmentSeconds: 6 }, 1, 3],
    ['LL-HLS with an explicit TTL', { llHls: true, liveSegmentSeconds: 6, playlistTtlSeconds: 2 }, 2, 3],
  ])('GIVEN %s THEN the default TTL is %i s and the max %i s', (_case, props, defaultTtl, maxTtl) => {
    const { s } = build(props);
    expect(s.json).toHaveResourceWithProperties(CloudfrontCachePolicy, { min_ttl: 0, default_ttl: defaultTtl, max_ttl: maxTtl });
  });
});

describe('error caching', () => {
  test.each([0, 30, 300])('GIVEN errorCachingMinTtlSeconds %i THEN each of 404, 500, 502, 503 and 504 is cached that long', (ttl) => {
    const { distribution } = build({ errorCachingMinTtlSeconds: ttl });
    expect(distribution.custom_error_response).toEqual([404, 500, 502, 503, 504].map((code) => ({ error_code: code, error_caching_min_ttl: ttl })));
  });
});

describe('CORS at the edge', () => {
  test('the managed policy ids are the ones AWS documents', () => {
    expect(SIMPLE_CORS_POLICY_ID).toBe('60669652-455b-4ae9-85a4-c4c02393f86c');
    expect(CORS_WITH_PREFLIGHT_POLICY_ID).toBe('5cc3b908-e619-4b99-88e5-2cf7f45965bd');
  });

  test('THEN the construct exposes the policy id in use, and none for cors none', () => {
    const ids: (string | undefined)[] = [];
    synth((scope) => {
      ids.push(new EdgeDistribution(scope, 'simple', BASE).responseHeadersPolicyId);
      ids.push(new EdgeDistribution(scope, 'off', { ...BASE, cors: 'none' }).responseHeadersPolicyId);
    });
    expect(ids).toEqual([SIMPLE_CORS_POLICY_ID, undefined]);
  });

  test("GIVEN cors 'none' THEN no behaviour has a response headers policy", () => {
    const { s, behaviours } = build({ cors: 'none' });
    for (const b of behaviours) expect(b).not.toHaveProperty('response_headers_policy_id');
    expect(s.json).not.toHaveResource(CloudfrontResponseHeadersPolicy);
  });

  test("GIVEN cors 'simple' THEN every behaviour has SimpleCORS and OPTIONS stays refused", () => {
    const { behaviours } = build({ cors: 'simple' });
    for (const b of behaviours) expect([b.response_headers_policy_id, b.allowed_methods]).toEqual([SIMPLE_CORS_POLICY_ID, ['GET', 'HEAD']]);
  });

  test("GIVEN cors 'preflight' THEN every behaviour has CORS-With-Preflight and allows OPTIONS without caching it", () => {
    const { s, behaviours } = build({ cors: 'preflight' });
    for (const b of behaviours) {
      expect([b.response_headers_policy_id, b.allowed_methods, b.cached_methods]).toEqual([CORS_WITH_PREFLIGHT_POLICY_ID, ['GET', 'HEAD', 'OPTIONS'], ['GET', 'HEAD']]);
    }
    expect(s.json).not.toHaveResource(CloudfrontResponseHeadersPolicy);
  });

  test('GIVEN a list of origins THEN our own policy answers for exactly them, overriding the origin, on every behaviour', () => {
    const { s, behaviours } = build({ cors: { allowedOrigins: ['https://player.example.com', 'https://*.example.org'] } });
    const policies = s.resources('aws_cloudfront_response_headers_policy');
    const [name] = Object.keys(policies);
    expect(policies[name]).toEqual({
      name: 'stack-edge-cors',
      comment: 'CORS for 2 web player origin(s)',
      cors_config: {
        access_control_allow_credentials: false,
        access_control_allow_headers: { items: ['*'] },
        access_control_allow_methods: { items: ['GET', 'HEAD'] },
        access_control_allow_origins: { items: ['https://player.example.com', 'https://*.example.org'] },
        origin_override: true,
      },
    });
    for (const b of behaviours) expect([b.response_headers_policy_id, b.allowed_methods]).toEqual([`\${aws_cloudfront_response_headers_policy.${name}.id}`, ['GET', 'HEAD']]);
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN a list of origins with preflight THEN OPTIONS is allowed and answered, cached by browsers for 10 minutes', () => {
    const { s, behaviours } = build({ cors: { allowedOrigins: ['https://player.example.com'], preflight: true } });
    expect(s.json).toHaveResourceWithProperties(CloudfrontResponseHeadersPolicy, {
      cors_config: expect.objectContaining({ access_control_allow_methods: { items: ['GET', 'HEAD', 'OPTIONS'] }, access_control_max_age_sec: 600 }),
    });
    for (const b of behaviours) expect(b.allowed_methods).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });

  test('GIVEN preflight and allowedMethods ALL THEN ALL is kept', () => {
    const { behaviours } = build({ cors: 'preflight', allowedMethods: 'ALL' });
    expect(behaviours[0].allowed_methods).toContain('DELETE');
  });
});

describe('origin timeouts', () => {
  test('GIVEN read and keep-alive timeouts within the default quota THEN the origin uses them', () => {
    const { distribution } = build({ originReadTimeoutSeconds: 10, originKeepaliveTimeoutSeconds: 60 });
    expect(distribution.origin[0].custom_origin_config).toMatchObject({ origin_read_timeout: 10, origin_keepalive_timeout: 60 });
  });

  test('GIVEN raised quotas THEN timeouts up to them are accepted', () => {
    const { s, distribution } = build({ originReadTimeoutSeconds: 180, originReadTimeoutQuotaSeconds: 180, originKeepaliveTimeoutSeconds: 120, originKeepaliveTimeoutQuotaSeconds: 120 });
    expect(distribution.origin[0].custom_origin_config).toMatchObject({ origin_read_timeout: 180, origin_keepalive_timeout: 120 });
    expect(s.schemaProblems()).toEqual([]);
  });

  test('GIVEN LL-HLS with 20 s segments and a raised quota THEN a read timeout past 60 s outwaits the blocking reload', () => {
    const { distribution } = build({ llHls: true, liveSegmentSeconds: 20, originReadTimeoutSeconds: 61, originReadTimeoutQuotaSeconds: 90 });
    expect(distribution.origin[0].custom_origin_config.origin_read_timeout).toBe(61);
  });

  test('GIVEN a timeout only known at apply time THEN it is passed through unchecked', () => {
    const { distribution } = build({ originReadTimeoutSeconds: Token.asNumber('${var.read_timeout}') });
    expect(distribution.origin[0].custom_origin_config.origin_read_timeout).toBe('${var.read_timeout}');
  });
});

describe('live settings validation', () => {
  test.each<[string, Partial<EdgeDistributionProps>, string]>([
    ['a zero segment duration', { liveSegmentSeconds: 0 }, "'liveSegmentSeconds' must be an integer from 1 to 60 seconds (the stream's HLS target duration), got 0"],
    ['a fractional segment duration', { liveSegmentSeconds: 2.5 }, "'liveSegmentSeconds' must be an integer from 1 to 60 seconds"],
    ['a segment duration of 61', { liveSegmentSeconds: 61 }, "'liveSegmentSeconds' must be an integer from 1 to 60 seconds"],
    ['a playlist TTL longer than a segment', { liveSegmentSeconds: 4, playlistTtlSeconds: 5 }, "'playlistTtlSeconds' must be an integer from 1 to 4 seconds (at most 'liveSegmentSeconds'"],
    ['a negative error TTL', { errorCachingMinTtlSeconds: -1 }, "'errorCachingMinTtlSeconds' must be an integer from 0 to 300 seconds"],
    [
      'an error TTL of 301',
      { errorCachingMinTtlSeconds: 301 },
      "'errorCachingMinTtlSeconds' must be an integer from 0 to 300 seconds (an error cached longer outlives its live cause; 0 caches none), got 301",
    ],
    ['an unknown CORS choice', { cors: 'any' as 'simple' }, "'cors' must be one of 'none', 'simple', 'preflight', or { allowedOrigins: [...] }, got 'any'"],
    ['an empty origin list', { cors: { allowedOrigins: [] } }, "'cors.allowedOrigins' must be at least one web origin (for any origin use cors 'simple' or 'preflight'), got []"],
    ['an origin with a path', { cors: { allowedOrigins: ['https://player.example.com/live'] } }, "'cors.allowedOrigins[0]' must be a web origin like 'https://player.example.com'"],
    ['an origin without scheme', { cors: { allowedOrigins: ['https://a.example.com', 'player.example.com'] } }, "'cors.allowedOrigins[1]' must be a web origin"],
    ['a duplicate origin', { cors: { allowedOrigins: ['https://a.example.com', 'https://A.example.com'] } }, "'cors.allowedOrigins[1]' must be listed once"],
    ['GET_HEAD with managed preflight', { cors: 'preflight', allowedMethods: 'GET_HEAD' }, "'allowedMethods' must be 'GET_HEAD_OPTIONS' or 'ALL' (or unset) when 'cors' answers preflight requests"],
    ['GET_HEAD with our preflight', { cors: { allowedOrigins: ['https://a.example.com'], preflight: true }, allowedMethods: 'GET_HEAD' }, "'allowedMethods' must be 'GET_HEAD_OPTIONS' or 'ALL'"],
    ['a zero read timeout', { originReadTimeoutSeconds: 0 }, "'originReadTimeoutSeconds' must be an integer from 1 to 60 seconds"],
    [
      'a read timeout above the default quota',
      { originReadTimeoutSeconds: 61 },
      "'originReadTimeoutSeconds' must be an integer from 1 to 60 seconds (CloudFront quota 'Response timeout per origin'; raise it in Service Quotas (up to 180 s), then set 'originReadTimeoutQuotaSeconds'), got 61",
    ],
    ['a read timeout above the raised quota', { originReadTimeoutSeconds: 121, originReadTimeoutQuotaSeconds: 120 }, "'originReadTimeoutSeconds' must be an integer from 1 to 120 seconds"],
    [
      'a keep-alive above the default quota',
      { originKeepaliveTimeoutSeconds: 61 },
      "'originKeepaliveTimeoutSeconds' must be an integer from 1 to 60 seconds (CloudFront quota 'Keep-alive timeout per origin'",
    ],
    ["a quota below CloudFront's default", { originReadTimeoutQuotaSeconds: 59 }, "'originReadTimeoutQuotaSeconds' must be an integer from 60 to 180 seconds"],
    ['a quota above what AWS grants', { originKeepaliveTimeoutQuotaSeconds: 181 }, "'originKeepaliveTimeoutQuotaSeconds' must be an integer from 60 to 180 seconds"],
    [
      'LL-HLS outwaited by CloudFront',
      { llHls: true, liveSegmentSeconds: 6, originReadTimeoutSeconds: 18 },
      "'originReadTimeoutSeconds' must be more than 3 x 'liveSegmentSeconds' (18 s) with 'llHls'",
    ],
    ['LL-HLS with 10 s segments and the default read timeout', { llHls: true, liveSegmentSeconds: 10 }, "'originReadTimeoutSeconds' must be more than 3 x 'liveSegmentSeconds' (30 s) with 'llHls'"],
  ])('GIVEN %s THEN it fails with CONFIG_INVALID saying what to fix', (_case, props, message) => {
    const error = synthError((scope) => new EdgeDistribution(scope, 'edge', { ...BASE, ...props }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });
});
