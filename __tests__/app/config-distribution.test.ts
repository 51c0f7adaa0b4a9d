import * as fs from 'fs';
import * as path from 'path';
import { parseAppConfig } from '../../lambda-src/config/app-config';
import { CORS_WITH_PREFLIGHT_POLICY_ID } from '../../constructs/edge-cors';
import { ALL_OPTIONS, MINIMAL, REPO_ROOT, buildTestStack, configWith, only, synthJson } from '../support/app-fixtures';

/** The config file's `distribution` live-streaming keys, end to end: file -> stack -> synthesized distribution. */

function distributionOf(distribution: Record<string, unknown>) {
  const { parsed } = synthJson(buildTestStack(configWith({ distribution })));
  return { parsed, distribution: only(parsed, 'aws_cloudfront_distribution') };
}

describe('the live-streaming keys reach the distribution', () => {
  test('GIVEN LL-HLS with 2 s segments THEN the playlist policy lives 1 s, at most 1 s, keyed on the _HLS_ parameters', () => {
    const { parsed } = distributionOf({ llHls: true, liveSegmentSeconds: 2 });
    const policy = only(parsed, 'aws_cloudfront_cache_policy');
    expect([policy.default_ttl, policy.max_ttl]).toEqual([1, 1]);
    expect(policy.parameters_in_cache_key_and_forwarded_to_origin.query_strings_config.query_strings.items).toEqual(['_HLS_msn', '_HLS_part', '_HLS_skip']);
  });

  test("GIVEN cors 'preflight' and no allowedMethods THEN every behaviour allows OPTIONS with the managed preflight policy", () => {
    const { distribution } = distributionOf({ cors: 'preflight' });
    for (const b of [distribution.default_cache_behavior, ...distribution.ordered_cache_behavior]) {
      expect([b.allowed_methods, b.response_headers_policy_id]).toEqual([['GET', 'HEAD', 'OPTIONS'], CORS_WITH_PREFLIGHT_POLICY_ID]);
    }
  });

  test('GIVEN a list of CORS origins THEN preflight defaults to off and our own policy lists them', () => {
    expect(configWith({ distribution: { cors: { allowedOrigins: ['https://player.example.com'] } } }).distribution.cors).toEqual({ allowedOrigins: ['https://player.example.com'], preflight: false });
    const { parsed } = distributionOf({ cors: { allowedOrigins: ['https://player.example.com'] } });
    expect(only(parsed, 'aws_cloudfront_response_headers_policy').cors_config.access_control_allow_origins.items).toEqual(['https://player.example.com']);
  });

  test('GIVEN error caching and timeouts THEN the distribution carries them', () => {
    const { distribution } = distributionOf({ errorCachingMinTtlSeconds: 5, originReadTimeoutSeconds: 20, originKeepaliveTimeoutSeconds: 30 });
    expect(distribution.custom_error_response.map((r: { error_caching_min_ttl: number }) => r.error_caching_min_ttl)).toEqual([5, 5, 5, 5, 5]);
    expect(distribution.origin[0].custom_origin_config).toMatchObject({ origin_read_timeout: 20, origin_keepalive_timeout: 30 });
  });

  test('the every-option config turns every live key on', () => {
    const d = parseAppConfig(ALL_OPTIONS).distribution;
    expect(d).toMatchObject({ llHls: true, liveSegmentSeconds: 6, errorCachingMinTtlSeconds: 2, originReadTimeoutQuotaSeconds: 120, originKeepaliveTimeoutQuotaSeconds: 90 });
    expect(typeof d.cors).toBe('object');
  });
});

describe("the README's distribution table", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### `distribution`');
  const table = readme.slice(start, readme.indexOf('\n### ', start + 5));

  test('lists every key the config accepts under distribution', () => {
    const keys = Object.keys(parseAppConfig({ ...MINIMAL, distribution: ALL_OPTIONS.distribution }).distribution);
    const listed = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Za-z]+)`/g)].map((k) => k[1]));
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((k) => !listed.includes(k))).toEqual([]);
  });
});
