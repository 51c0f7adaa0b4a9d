/**
 * The origin port is the guard's port: whatever port CloudFront connects to on the origin
 * (`originHttpPort` under http-only, `originHttpsPort` under https-only) is the port the managed
 * groups open, the TCP probe tries and the exposure audit watches, unless `guard.ports` is set; a
 * `guard.ports` without it is refused from the config, the construct and (see cli/origin-port) the CLI.
 */
import type { Construct } from 'constructs';
import { guardSettingsFromConfig, type AppConfigInput } from '../../lambda-src/config/app-config';
import { StreamingOrigin, type StreamingOriginProps } from '../../constructs/streaming-origin';
import { buildTestStack, configErrorOf, configWith, GUARD_BUNDLE, MINIMAL, only, synthJson, usEast1 } from '../support/app-fixtures';
import { synth, synthError } from '../support/construct-synth';

const HTTPS = { originProtocolPolicy: 'https-only', originDomainName: 'media.example.com' };
const tcp = (port: number) => ({ protocol: 'tcp', fromPort: port, toPort: port });

describe('the guard ports follow the origin (config file)', () => {
  test.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    ['the default origin (http-only on 80)', {}, {}, '80/tcp'],
    ["MediaMTX's HLS port", { originHttpPort: 8888 }, {}, '8888/tcp'],
    ['https-only on its default 443', HTTPS, {}, '443/tcp'],
    ['https-only on 8443 (the http port does not count)', { ...HTTPS, originHttpPort: 8888, originHttpsPort: 8443 }, {}, '8443/tcp'],
    ['an explicit set that includes the origin port', { originHttpPort: 8888 }, { ports: ['8888/tcp', '1935/udp'] }, '8888/tcp,1935/udp'],
    ['an explicit range that covers it', { originHttpPort: 8888 }, { ports: '8000-9000/tcp' }, '8000-9000/tcp'],
  ])('%s', (_case, distribution, guard, env) => {
    const settings = guardSettingsFromConfig(configWith({ distribution, guard }));
    const stack = synthJson(buildTestStack(configWith({ distribution, guard })));
    const variables = only(stack.parsed, 'aws_lambda_function').environment.variables;
    expect(variables.PORTS).toBe(env);
    expect(settings.ports.map((p) => `${p.fromPort === p.toPort ? p.fromPort : `${p.fromPort}-${p.toPort}`}/${p.protocol}`).join(',')).toBe(env);
    // The TCP probe tries the same tcp ports (a range probes its first port).
    expect(variables.ORIGIN_PROBE_PORTS).toBe(
      settings.ports
        .filter((p) => p.protocol === 'tcp')
        .map((p) => p.fromPort)
        .join(','),
    );
  });

  test.each<[string, Record<string, unknown>, unknown, string, string]>([
    ['http-only on 8888, guard on 80', { originHttpPort: 8888 }, ['80/tcp'], '8888/tcp', "'distribution.originHttpPort' is 8888), got 80/tcp"],
    ['https-only on 443, guard on 80', HTTPS, '80/tcp', '443/tcp', "'distribution.originHttpsPort' is 443), got 80/tcp"],
    ['8888 opened for udp only', { originHttpPort: 8888 }, ['8888/udp'], '8888/tcp', "'distribution.originHttpPort' is 8888), got 8888/udp"],
  ])('%s is refused: one CONFIG_INVALID naming both values and the fix', (_case, distribution, ports, want, named) => {
    const error = configErrorOf({ ...MINIMAL, distribution, guard: { ports } } as AppConfigInput);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`cfguard.config.json: 'guard.ports' must include ${want}, the port CloudFront connects to on the origin (${named}`);
    expect(error.message).toContain(`add ${want} to 'guard.ports', remove 'guard.ports' so the guard follows the origin's port, or change 'distribution.`);
    expect(error.details).toMatchObject({ setting: 'ports', originPort: Number(want.split('/')[0]) });
  });
});

describe('the guard ports follow the origin (StreamingOrigin)', () => {
  const origin = (props: Partial<StreamingOriginProps>) => (scope: Construct) =>
    new StreamingOrigin(scope, 'origin', {
      region: 'eu-north-1',
      instanceId: 'i-0123456789abcdef0',
      instanceSecurityGroupId: 'sg-0123456789abcdef0',
      usEast1Provider: usEast1(scope),
      ...props,
      guard: { bundlePath: GUARD_BUNDLE, ...props.guard },
    });

  test('lambda mode: originHttpPort 8888 makes the function guard and probe 8888', () => {
    const s = synth(origin({ distribution: { originHttpPort: 8888 } }));
    expect(s.only('aws_lambda_function').environment.variables).toMatchObject({ PORTS: '8888/tcp', ORIGIN_PROBE_PORTS: '8888' });
    expect(s.only('aws_cloudfront_distribution').origin[0].custom_origin_config).toMatchObject({ http_port: 8888, origin_protocol_policy: 'http-only' });
  });

  test('prefix-list mode: https-only on 8443 opens the prefix list on 8443', () => {
    const s = synth(origin({ distribution: { originProtocolPolicy: 'https-only', originHttpsPort: 8443, originDomainName: 'media.example.com' }, guard: { mode: 'prefix-list' } }));
    const rules = Object.values(s.resources('aws_vpc_security_group_ingress_rule')) as { from_port: number; to_port: number; prefix_list_id?: string }[];
    const guarded = rules.filter((r) => r.prefix_list_id !== undefined);
    expect(guarded.length).toBeGreaterThan(0);
    expect(guarded.every((r) => r.from_port === 8443 && r.to_port === 8443)).toBe(true);
  });

  test('an explicit guard.ports without the origin port is refused by the construct', () => {
    const error = synthError(origin({ distribution: { originHttpPort: 8888 }, guard: { ports: ['80/tcp'] } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(
      "'guard.ports' must include 8888/tcp, the port CloudFront connects to on the origin ('distribution.originHttpPort' is 8888), got 80/tcp; add 8888/tcp to 'guard.ports', remove 'guard.ports' so the guard follows the origin's port, or change 'distribution.originHttpPort'",
    );
  });

  test('a matching explicit guard.ports is kept as given', () => {
    const s = synth(origin({ distribution: { originHttpPort: 8888 }, guard: { ports: ['8888/tcp', '1935/udp'] } }));
    expect(s.only('aws_lambda_function').environment.variables.PORTS).toBe('8888/tcp,1935/udp');
  });
});

test('the settings carry the port as a PortSpec', () => {
  expect(guardSettingsFromConfig(configWith({ distribution: { originHttpPort: 8888 } })).ports).toEqual([tcp(8888)]);
});
