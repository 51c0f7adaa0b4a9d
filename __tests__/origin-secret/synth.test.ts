import * as fs from 'fs';
import * as path from 'path';
import { buildTestStack, configWith, synthJson } from '../support/app-fixtures';
import { synthError } from '../support/construct-synth';
import { OriginSecret } from '../../constructs/origin-secret';
import { validateAgainstProviderSchema } from '../support/provider-schema';

/*
 * The secret origin header at synth: on the origin in both guard modes, never a literal, read from the
 * parameter at the configured version, the instance's narrow grant, the sensitive output, each mode.
 */

/**
 * String values shaped like what the first deploy (64 hex) or the CLI (43 mixed-case base64url) writes,
 * except the rerun trigger's settings and code hashes, which are sha256 digests of public content.
 */
function secretLiterals(text: string): string[] {
  const found = [...text.matchAll(/"([\w-]+)": ?"([0-9a-f]{64}|(?=[\w-]*[A-Z])(?=[\w-]*[0-9])[\w-]{43})"/g)];
  return found.filter(([, key]) => key !== 'settings' && key !== 'code').map(([whole]) => whole);
}

function stackJson(overrides: Parameters<typeof configWith>[0] = {}) {
  return synthJson(buildTestStack(configWith(overrides)));
}

describe.each(['lambda', 'prefix-list'] as const)('GIVEN guard mode %s and the default originSecret (mode on)', (mode) => {
  const { json, parsed } = stackJson({ guard: { mode } });
  const distribution = Object.values<any>(parsed.resource.aws_cloudfront_distribution)[0];

  test('THEN the origin carries X-Origin-Verify whose value is read from the parameter at version 1', () => {
    expect(distribution.origin[0].custom_header).toEqual([{ name: 'X-Origin-Verify', value: expect.stringMatching(/^\$\{jsondecode\(data\.aws_ssm_parameter\.[\w-]+\.value\)\.current\}$/) }]);
    const sent = Object.values<any>(parsed.data.aws_ssm_parameter)[0];
    expect(sent.name).toMatch(/^\$\{aws_ssm_parameter\.[\w-]+\.name\}:1$/);
    expect(sent.with_decryption).toBe(true);
    expect(sent.depends_on).toEqual([expect.stringMatching(/^aws_ssm_parameter\./)]);
  });

  test('THEN the parameter is a SecureString written once through value_wo from uuid(), never a literal', () => {
    const parameter = Object.values<any>(parsed.resource.aws_ssm_parameter)[0];
    expect(parameter).toMatchObject({ name: '/cfguard/streaming-origin/origin-secret', type: 'SecureString', value_wo_version: 1 });
    expect(parameter.value).toBeUndefined();
    expect(parameter.value_wo).toContain('uuid()');
    expect(secretLiterals(json)).toEqual([]);
    expect(secretLiterals('"current": "' + 'ab12'.repeat(16) + '"')).toHaveLength(1);
  });

  test('THEN the header value is a sensitive output and the parameter name a plain one', () => {
    expect(parsed.output.origin_secret_header).toMatchObject({ sensitive: true });
    expect(parsed.output.origin_secret_parameter.sensitive).toBeUndefined();
  });

  test('THEN every argument is in the provider schema 6.25.0', () => {
    expect(validateAgainstProviderSchema(json)).toEqual([]);
  });
});

describe('modes and shapes', () => {
  test("GIVEN mode 'off' THEN there is no header, no parameter and no output", () => {
    const { parsed } = stackJson({ originSecret: { mode: 'off' } });
    const distribution = Object.values<any>(parsed.resource.aws_cloudfront_distribution)[0];
    expect(distribution.origin[0].custom_header).toBeUndefined();
    expect(parsed.resource.aws_ssm_parameter).toBeUndefined();
    expect(parsed.output.origin_secret_header).toBeUndefined();
  });

  test("GIVEN mode 'required' THEN the header is there as in 'on'", () => {
    const { parsed } = stackJson({ originSecret: { mode: 'required' } });
    const distribution = Object.values<any>(parsed.resource.aws_cloudfront_distribution)[0];
    expect(distribution.origin[0].custom_header[0].name).toBe('X-Origin-Verify');
  });

  test('GIVEN a bumped secretVersion THEN CloudFront reads that version, and the parameter is not rewritten', () => {
    const { parsed } = stackJson({ originSecret: { secretVersion: 4 } });
    expect(Object.values<any>(parsed.data.aws_ssm_parameter)[0].name).toMatch(/:4$/);
    expect(Object.values<any>(parsed.resource.aws_ssm_parameter)[0].value_wo_version).toBe(1);
  });

  test("GIVEN headerShape 'bearer' THEN CloudFront sends Authorization: Bearer <secret> (MediaMTX's hlsCDNSecret)", () => {
    const { parsed } = stackJson({ originSecret: { headerShape: 'bearer' } });
    const header = Object.values<any>(parsed.resource.aws_cloudfront_distribution)[0].origin[0].custom_header[0];
    expect(header.name).toBe('Authorization');
    expect(header.value).toMatch(/^\$\{format\("Bearer %s", jsondecode\(data\.aws_ssm_parameter\.[\w-]+\.value\)\.current\)\}$/);
  });

  test('GIVEN a custom header name and parameter THEN both are used', () => {
    const { parsed } = stackJson({ originSecret: { headerName: 'X-Origin-Key-Live', parameterName: '/media/edge-key' } });
    expect(Object.values<any>(parsed.resource.aws_cloudfront_distribution)[0].origin[0].custom_header[0].name).toBe('X-Origin-Key-Live');
    expect(Object.values<any>(parsed.resource.aws_ssm_parameter)[0].name).toBe('/media/edge-key');
  });
});

describe("the instance role's grant", () => {
  test('GIVEN instanceRoleName THEN the role may ssm:GetParameter on this parameter alone', () => {
    const { parsed } = stackJson({ originSecret: { instanceRoleName: 'media-origin' } });
    const grant = Object.values<any>(parsed.resource.aws_iam_role_policy).find((p) => p.name === 'cfguard-origin-secret-read');
    expect(grant.role).toBe('media-origin');
    expect(grant.policy).toMatch(/^\$\{jsonencode\(/);
    expect(grant.policy).toContain('"Action" = "ssm:GetParameter"');
    expect(grant.policy).toMatch(/"Resource" = aws_ssm_parameter\.[\w-]+\.arn/);
    expect(grant.policy).not.toContain('*');
  });

  test('GIVEN no instanceRoleName THEN no role is granted anything', () => {
    const { parsed } = stackJson();
    expect(Object.values<any>(parsed.resource.aws_iam_role_policy ?? {}).some((p) => p.name === 'cfguard-origin-secret-read')).toBe(false);
  });
});

describe('validation', () => {
  test.each([
    [{ headerName: 'Host' }, "'originSecret.headerName' must be a header CloudFront lets a distribution add"],
    [{ headerName: 'X-Amz-Secret' }, "'originSecret.headerName' must be a header CloudFront lets a distribution add"],
    [{ headerName: 'X-Foo', headerShape: 'bearer' as const }, "'originSecret.headerName' must be absent with headerShape 'bearer'"],
    [{ parameterName: '/aws/reserved' }, "'originSecret.parameterName' must be a name not starting with '/aws'"],
    [{ secretVersion: 0 }, "'originSecret.secretVersion' must be an SSM parameter version"],
    [{ instanceRoleName: 'arn:aws:iam::1:role/x' }, "'originSecret.instanceRoleName' must be an IAM role name"],
  ])('GIVEN %j THEN the construct refuses it naming the prop', (props, message) => {
    const e = synthError((scope) => new OriginSecret(scope, 's', { parameterName: '/cfguard/t/origin-secret', ...props }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain(message);
  });
});

test('the example app snapshot holds no secret literal', () => {
  const snapshot = fs.readFileSync(path.join(__dirname, '..', 'app', '__snapshots__', 'example-app.test.ts.snap'), 'utf8');
  expect(snapshot).toContain('X-Origin-Verify');
  expect(secretLiterals(snapshot)).toEqual([]);
  expect(snapshot).not.toMatch(/"(current|previous)": "[A-Za-z0-9_-]{32,}"/);
});

describe("the guard function's origin checks", () => {
  const fn = (parsed: any) => Object.values<any>(parsed.resource.aws_lambda_function)[0];
  const alarmNames = (parsed: any) =>
    Object.values<any>(parsed.resource.aws_cloudwatch_metric_alarm ?? {})
      .map((a) => a.alarm_name)
      .sort();

  test('GIVEN a secondary origin THEN the function also probes the secondary’s Elastic IP; without one the variable is absent', () => {
    const { parsed } = stackJson({ secondaryOrigin: { instanceId: 'i-0fedcba9876543210', instanceSecurityGroupId: 'sg-0fedcba9876543210' } });
    const env = fn(parsed).environment.variables;
    const [secondaryEip] = Object.keys(parsed.resource.aws_eip).filter((name) => name.includes('secondary'));
    expect(env.ORIGIN_PROBE_SECONDARY_ADDRESS).toBe(`\${aws_eip.${secondaryEip}.public_ip}`);
    expect(env.ORIGIN_PROBE_ADDRESS).not.toBe(env.ORIGIN_PROBE_SECONDARY_ADDRESS);
    expect(fn(stackJson().parsed).environment.variables.ORIGIN_PROBE_SECONDARY_ADDRESS).toBeUndefined();
  });

  test('GIVEN the defaults THEN the function probes the Elastic IP on the tcp ports, and OriginDirectlyReachable is alarmed', () => {
    const { json, parsed } = stackJson({ guard: { ports: ['80/tcp', '443/tcp', '1935/udp'] } });
    const env = fn(parsed).environment.variables;
    expect(env).toMatchObject({ ORIGIN_PROBE_ADDRESS: expect.stringMatching(/^\$\{aws_eip\.[\w-]+\.public_ip\}$/), ORIGIN_PROBE_PORTS: '80,443', ORIGIN_SECRET_MODE: 'on' });
    expect(env.ORIGIN_CHECK_URL).toBeUndefined();
    const alarm = Object.values<any>(parsed.resource.aws_cloudwatch_metric_alarm).find((a) => a.metric_name === 'OriginDirectlyReachable');
    expect(alarm).toMatchObject({
      namespace: 'CloudFrontOriginGuard',
      dimensions: { Prefix: 'AUTOUPDATE_CF' },
      statistic: 'Maximum',
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
      alarm_actions: [expect.stringMatching(/aws_sns_topic/)],
    });
    expect(alarmNames(parsed)).not.toContain('streaming-origin-origin-guard-origin-bypass-open');
    expect(validateAgainstProviderSchema(json)).toEqual([]);
  });

  test("GIVEN mode 'required' THEN the function also checks the origin URL without the header, and OriginBypassOpen is alarmed", () => {
    const { parsed } = stackJson({ originSecret: { mode: 'required', verifyPath: '/live/index.m3u8' } });
    expect(fn(parsed).environment.variables).toMatchObject({
      ORIGIN_SECRET_MODE: 'required',
      ORIGIN_CHECK_URL: expect.stringMatching(/^http:\/\/\$\{aws_eip\.[\w-]+\.public_dns\}:80\/live\/index\.m3u8$/),
    });
    expect(alarmNames(parsed)).toContain('streaming-origin-origin-guard-origin-bypass-open');
  });

  test('GIVEN guard.originProbe false THEN nothing is probed and there is no origin alarm', () => {
    const { parsed } = stackJson({ guard: { originProbe: false } });
    expect(fn(parsed).environment.variables.ORIGIN_PROBE_ADDRESS).toBeUndefined();
    // the guard's alarms and the edge's 5xx alarm (on by default), none about the origin probe
    expect(alarmNames(parsed)).toEqual([
      'streaming-origin-origin-edge-5xx-error-rate',
      'streaming-origin-origin-guard-errors',
      'streaming-origin-origin-guard-foreign-rules',
      'streaming-origin-origin-guard-no-success',
      'streaming-origin-origin-guard-origin-exposed',
      'streaming-origin-origin-guard-refused',
    ]);
  });
});
