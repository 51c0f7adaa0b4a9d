import { validateAgainstProviderSchema } from './provider-schema';

/** A minimal valid aws_cloudfront_cache_policy body, edited per case. */
function cachePolicy(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'live',
    min_ttl: 0,
    parameters_in_cache_key_and_forwarded_to_origin: {
      cookies_config: { cookie_behavior: 'none' },
      headers_config: { header_behavior: 'none' },
      query_strings_config: { query_string_behavior: 'none' },
    },
    ...overrides,
  };
}

function stackWith(resource: Record<string, Record<string, unknown>>, data: Record<string, Record<string, unknown>> = {}) {
  return { resource, data, provider: { aws: [{ region: 'eu-north-1' }] }, terraform: { required_providers: {} } };
}

describe('validateAgainstProviderSchema', () => {
  test('GIVEN a valid resource and data source THEN it reports no problems', () => {
    const json = stackWith(
      { aws_cloudfront_cache_policy: { live: cachePolicy() }, aws_eip: { eip: { domain: 'vpc', tags: { a: 'b' } } } },
      { aws_ec2_managed_prefix_list: { cf: { name: 'com.amazonaws.global.cloudfront.origin-facing' } } },
    );
    expect(validateAgainstProviderSchema(json)).toEqual([]);
  });

  test('GIVEN the JSON as a string THEN it is parsed and checked the same way', () => {
    const json = stackWith({ aws_eip: { eip: { domain: 'vpc', bogus: 1 } } });
    expect(validateAgainstProviderSchema(JSON.stringify(json))).toEqual(["resource aws_eip.eip: unknown attribute or block 'bogus'"]);
  });

  test('GIVEN a resource type the provider lacks THEN it is reported as not in the reference schema', () => {
    expect(validateAgainstProviderSchema(stackWith({ aws_not_a_thing: { x: {} } }))).toEqual(['resource aws_not_a_thing: not in reference schema']);
  });

  test('GIVEN a data source type the provider lacks THEN it is reported too', () => {
    expect(validateAgainstProviderSchema(stackWith({}, { aws_nope: { x: {} } }))).toEqual(['data aws_nope: not in reference schema']);
  });

  test('GIVEN an unknown attribute inside a nested block THEN the problem names the block path', () => {
    const body = cachePolicy({
      parameters_in_cache_key_and_forwarded_to_origin: {
        cookies_config: { cookie_behavior: 'none', flavour: 'x' },
        headers_config: {},
        query_strings_config: { query_string_behavior: 'none' },
      },
    });
    expect(validateAgainstProviderSchema(stackWith({ aws_cloudfront_cache_policy: { live: body } }))).toEqual([
      "resource aws_cloudfront_cache_policy.live.parameters_in_cache_key_and_forwarded_to_origin[0].cookies_config[0]: unknown attribute or block 'flavour'",
    ]);
  });

  test('GIVEN a missing required attribute THEN it is reported', () => {
    const body = cachePolicy();
    delete body.name;
    expect(validateAgainstProviderSchema(stackWith({ aws_cloudfront_cache_policy: { live: body } }))).toEqual(["resource aws_cloudfront_cache_policy.live: required attribute 'name' is missing"]);
  });

  test('GIVEN a missing required attribute in a data source filter block THEN it is reported', () => {
    const json = stackWith({}, { aws_ec2_managed_prefix_list: { cf: { filter: [{ name: 'prefix-list-name' }] } } });
    expect(validateAgainstProviderSchema(json)).toEqual(["data aws_ec2_managed_prefix_list.cf.filter[0]: required attribute 'values' is missing"]);
  });

  test('GIVEN a block with min_items left out THEN it is reported as a missing required block', () => {
    const body = cachePolicy();
    delete body.parameters_in_cache_key_and_forwarded_to_origin;
    expect(validateAgainstProviderSchema(stackWith({ aws_cloudfront_cache_policy: { live: body } }))).toEqual([
      "resource aws_cloudfront_cache_policy.live: required block 'parameters_in_cache_key_and_forwarded_to_origin' is missing (min_items 1)",
    ]);
  });

  test('GIVEN an empty list for a block with min_items THEN it is below min_items', () => {
    const body = cachePolicy({ parameters_in_cache_key_and_forwarded_to_origin: [] });
    expect(validateAgainstProviderSchema(stackWith({ aws_cloudfront_cache_policy: { live: body } }))).toEqual([
      "resource aws_cloudfront_cache_policy.live: block 'parameters_in_cache_key_and_forwarded_to_origin' has 0 item(s), below min_items 1",
    ]);
  });

  test('GIVEN more blocks than max_items THEN it is above max_items', () => {
    const params = cachePolicy().parameters_in_cache_key_and_forwarded_to_origin;
    const body = cachePolicy({ parameters_in_cache_key_and_forwarded_to_origin: [params, params] });
    expect(validateAgainstProviderSchema(stackWith({ aws_cloudfront_cache_policy: { live: body } }))).toEqual([
      "resource aws_cloudfront_cache_policy.live: block 'parameters_in_cache_key_and_forwarded_to_origin' has 2 item(s), above max_items 1",
    ]);
  });

  test('GIVEN two instances of a single-nested block THEN it is above max_items 1', () => {
    const json = stackWith({ aws_eip: { eip: { domain: 'vpc', timeouts: [{ read: '1m' }, { read: '2m' }] } } });
    expect(validateAgainstProviderSchema(json)).toEqual(["resource aws_eip.eip: block 'timeouts' has 2 item(s), above max_items 1"]);
  });

  test('GIVEN a computed-only attribute set THEN it is reported, while optional+computed ones are allowed', () => {
    const json = stackWith({ aws_eip: { eip: { domain: 'vpc', public_ip: '203.0.113.10', instance: 'i-0123456789abcdef0' } } });
    expect(validateAgainstProviderSchema(json)).toEqual(["resource aws_eip.eip: attribute 'public_ip' is computed-only and cannot be set"]);
  });

  test('GIVEN Terraform meta-arguments and cdktf metadata THEN they are not schema attributes and pass', () => {
    const body = {
      domain: 'vpc',
      count: 1,
      provider: 'aws.us_east_1',
      depends_on: ['aws_instance.x'],
      lifecycle: { create_before_destroy: true },
      '//': { metadata: { path: 'stack/eip' } },
    };
    expect(validateAgainstProviderSchema(stackWith({ aws_eip: { eip: body } }))).toEqual([]);
  });

  test('GIVEN a meta-argument name inside a nested block THEN it is an unknown attribute there', () => {
    const body = cachePolicy({
      parameters_in_cache_key_and_forwarded_to_origin: {
        count: 1,
        cookies_config: { cookie_behavior: 'none' },
        headers_config: {},
        query_strings_config: { query_string_behavior: 'none' },
      },
    });
    expect(validateAgainstProviderSchema(stackWith({ aws_cloudfront_cache_policy: { live: body } }))).toEqual([
      "resource aws_cloudfront_cache_policy.live.parameters_in_cache_key_and_forwarded_to_origin[0]: unknown attribute or block 'count'",
    ]);
  });

  test('GIVEN token expressions for attributes and whole blocks THEN they are accepted unchecked', () => {
    const body = cachePolicy({ name: '${var.name}', parameters_in_cache_key_and_forwarded_to_origin: '${local.params}' });
    expect(validateAgainstProviderSchema(stackWith({ aws_cloudfront_cache_policy: { live: body } }))).toEqual([]);
  });

  test('GIVEN a block written as a scalar THEN it is reported as malformed', () => {
    const json = stackWith({ aws_eip: { eip: { domain: 'vpc', timeouts: 5 } } });
    expect(validateAgainstProviderSchema(json)).toEqual(["resource aws_eip.eip: block 'timeouts' must be an object or a list of objects, got 5"]);
  });

  test('GIVEN several problems THEN every one is listed', () => {
    const json = stackWith({ aws_eip: { a: { bogus: 1 }, b: { arn: 'x' } }, aws_nope: { c: {} } });
    expect(validateAgainstProviderSchema(json)).toHaveLength(3);
  });

  test('GIVEN no resource or data section THEN there is nothing to report', () => {
    expect(validateAgainstProviderSchema({ terraform: {} })).toEqual([]);
  });
});
