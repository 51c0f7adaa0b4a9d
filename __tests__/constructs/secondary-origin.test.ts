import { EdgeDistribution, type EdgeDistributionProps } from '../../constructs/edge-distribution';
import { buildTestStack, configErrorOf, configWith, synthJson, type SynthJson } from '../support/app-fixtures';
import { validateAgainstProviderSchema } from '../support/provider-schema';
import { synth, synthError } from '../support/construct-synth';
import type { AppConfigInput } from '../../lambda-src/config/app-config';
import { importablePaths } from '../../lambda-src/config/import-paths';

/** A second origin behind a CloudFront origin group, locked like the first. */

const PRIMARY = 'i-0123456789abcdef0';
const SECONDARY = { instanceId: 'i-0fedcba9876543210', instanceSecurityGroupId: 'sg-0fedcba9876543210' };
const PREFIX_LIST = { mode: 'prefix-list' };

function stackOf(overrides: Partial<Record<keyof AppConfigInput, unknown>>): { parsed: SynthJson; problems: string[] } {
  const { json, parsed } = synthJson(buildTestStack(configWith(overrides)));
  return { parsed, problems: validateAgainstProviderSchema(json) };
}
const distributionOf = (parsed: SynthJson) => Object.values<any>(parsed.resource.aws_cloudfront_distribution)[0];
const named = (parsed: SynthJson, type: string, part: string) => Object.entries<any>(parsed.resource[type] ?? {}).filter(([name]) => name.includes(part));

describe('GIVEN a secondary origin in prefix-list mode', () => {
  const { parsed, problems } = stackOf({ guard: PREFIX_LIST, secondaryOrigin: SECONDARY });
  const distribution = distributionOf(parsed);

  test('every resource, the origin group included, matches the provider schema', () => {
    expect(problems).toEqual([]);
  });

  test('the distribution has two origins in one group, primary first, failing over on 500, 502, 503 and 504', () => {
    expect(distribution.origin.map((o: any) => o.origin_id)).toEqual(['media-origin', 'media-origin-secondary']);
    expect(distribution.origin_group).toEqual([
      { origin_id: 'media-origin-group', failover_criteria: { status_codes: [500, 502, 503, 504] }, member: [{ origin_id: 'media-origin' }, { origin_id: 'media-origin-secondary' }] },
    ]);
  });

  test('every cache behaviour targets the group', () => {
    const behaviours = [distribution.default_cache_behavior, ...distribution.ordered_cache_behavior];
    expect(behaviours.length).toBeGreaterThan(1);
    for (const b of behaviours) expect(b.target_origin_id).toBe('media-origin-group');
  });

  test('both origins carry the secret header, their Origin Shield, the same port and timeouts, and one 1 s connection attempt', () => {
    const [primary, secondary] = distribution.origin;
    expect(primary.custom_header).toHaveLength(1);
    expect(secondary.custom_header).toEqual(primary.custom_header);
    expect(primary.origin_shield).toEqual({ enabled: true, origin_shield_region: 'eu-west-2' });
    expect(secondary.origin_shield).toEqual(primary.origin_shield);
    expect(secondary.custom_origin_config).toEqual(primary.custom_origin_config);
    for (const o of [primary, secondary]) expect(o).toMatchObject({ connection_attempts: 1, connection_timeout: 1 });
  });

  test("the secondary's origin is its own Elastic IP, associated with the secondary instance", () => {
    const [, secondary] = distribution.origin;
    const [[eipName]] = named(parsed, 'aws_eip', 'secondary');
    expect(secondary.domain_name).toBe(`\${aws_eip.${eipName}.public_dns}`);
    const [[, association]] = named(parsed, 'aws_eip_association', 'secondary');
    expect(association.instance_id).toBe(SECONDARY.instanceId);
    expect(parsed.output.secondary_origin_public_dns.value).toBe(`\${aws_eip.${eipName}.public_dns}`);
  });

  test("the ingest rules open on the secondary's own group too (1935/udp, 1945/tcp)", () => {
    const rules = named(parsed, 'aws_vpc_security_group_ingress_rule', 'secondary').map(([, r]) => r);
    expect(rules.map((r) => `${r.from_port}/${r.ip_protocol} ${r.security_group_id}`).sort()).toEqual(['1935/udp sg-0fedcba9876543210', '1945/tcp sg-0fedcba9876543210']);
  });

  test("the prefix-list groups are attached to both instances' interfaces: the secondary is locked as the primary is", () => {
    const attachments = Object.entries<any>(parsed.resource.aws_network_interface_sg_attachment);
    const lookups = Object.entries<any>(parsed.data.aws_instance);
    const byInstance = Object.fromEntries(lookups.map(([name, d]) => [d.instance_id, `\${data.aws_instance.${name}.network_interface_id}`]));
    expect(Object.keys(byInstance).sort()).toEqual([PRIMARY, SECONDARY.instanceId].sort());
    const enis = attachments.map(([, a]) => a.network_interface_id).sort();
    expect(enis).toEqual([byInstance[PRIMARY], byInstance[SECONDARY.instanceId]].sort());
    expect(new Set(attachments.map(([, a]) => a.security_group_id)).size).toBe(1);
  });
});

describe("the secondary's resources can be adopted with cfguard import", () => {
  test('every importable path of a config with a secondary is a resource of its stack, the secondary EIP and ingest rules among them', () => {
    const config = configWith({ guard: PREFIX_LIST, secondaryOrigin: SECONDARY });
    const stack = buildTestStack(config);
    const resourcePaths = new Set(stack.node.findAll().map((c) => c.node.path));
    const paths = importablePaths(config).map((p) => p.path);
    expect(paths.filter((p) => !resourcePaths.has(p))).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['streaming-origin/origin/secondary/elastic-ip/eip', 'streaming-origin/origin/secondary/ingest/udp-1935-0']));
  });
});

describe('GIVEN a secondary origin in Lambda mode', () => {
  test('THEN the synth deploys one guard for both instances: GUARDED_INSTANCE_IDS lists the primary, then the secondary', () => {
    const { json, parsed } = synthJson(buildTestStack(configWith({ secondaryOrigin: SECONDARY })));
    expect(validateAgainstProviderSchema(json)).toEqual([]);
    const fns = Object.values<any>(parsed.resource.aws_lambda_function).filter((f) => f.environment?.variables?.INSTANCE_ID !== undefined);
    expect(fns).toHaveLength(1);
    expect(fns[0].environment.variables.GUARDED_INSTANCE_IDS).toBe(`i-0123456789abcdef0,${SECONDARY.instanceId}`);
  });
});

describe('failover settings', () => {
  test('404 may be added, and connection attempts and timeout are the configured ones on both origins', () => {
    const { parsed, problems } = stackOf({
      guard: PREFIX_LIST,
      distribution: { liveSegmentSeconds: 6 },
      secondaryOrigin: { ...SECONDARY, failoverStatusCodes: [404, 500, 502, 503, 504], connectionAttempts: 3, connectionTimeoutSeconds: 1 },
    });
    expect(problems).toEqual([]);
    const distribution = distributionOf(parsed);
    expect(distribution.origin_group[0].failover_criteria.status_codes).toEqual([404, 500, 502, 503, 504]);
    for (const o of distribution.origin) expect(o).toMatchObject({ connection_attempts: 3, connection_timeout: 1 });
  });

  test("a secondary sharing the primary's own group gets no second copy of the ingest rules", () => {
    const { parsed } = stackOf({ guard: PREFIX_LIST, secondaryOrigin: { ...SECONDARY, instanceSecurityGroupId: 'sg-0123456789abcdef0' } });
    expect(named(parsed, 'aws_vpc_security_group_ingress_rule', 'secondary')).toEqual([]);
  });

  test('without a secondary origin there is no origin group and no connection setting: the single-origin distribution as before', () => {
    const distribution = distributionOf(stackOf({}).parsed);
    expect(distribution.origin_group).toBeUndefined();
    expect(distribution.origin).toHaveLength(1);
    expect(distribution.origin[0].connection_attempts).toBeUndefined();
    expect(distribution.default_cache_behavior.target_origin_id).toBe('media-origin');
  });
});

describe("CloudFront's origin-group rules, in the config file's words", () => {
  const base = { name: 'x', region: 'eu-north-1', instanceId: PRIMARY, instanceSecurityGroupId: 'sg-0123456789abcdef0', guard: PREFIX_LIST };
  test.each([
    ['a behaviour allowing every method', { distribution: { allowedMethods: 'ALL' } }, {}, "'distribution.allowedMethods' must be 'GET_HEAD' or 'GET_HEAD_OPTIONS' with a secondary origin"],
    ['a status code CloudFront does not fail over on', {}, { failoverStatusCodes: [500, 429] }, "'secondaryOrigin.failoverStatusCodes[1]' must be one of 400, 403, 404, 416, 500, 502, 503, 504"],
    ['a code listed twice', {}, { failoverStatusCodes: [502, 502] }, "'secondaryOrigin.failoverStatusCodes[1]' must be listed once"],
    ['no status code', {}, { failoverStatusCodes: [] }, "'secondaryOrigin.failoverStatusCodes' must be at least one of"],
    ['four connection attempts', {}, { connectionAttempts: 4 }, "'secondaryOrigin.connectionAttempts' must be an integer from 1 to 3"],
    ['an 11 s connection timeout', {}, { connectionTimeoutSeconds: 11 }, "'secondaryOrigin.connectionTimeoutSeconds' must be an integer from 1 to 10"],
    [
      'a failover slower than half a 4 s segment (2 x 2 s)',
      {},
      { connectionAttempts: 2, connectionTimeoutSeconds: 2 },
      "'secondaryOrigin.connectionTimeoutSeconds' must be such that connectionAttempts x connectionTimeoutSeconds is at most 2 s",
    ],
    ['the primary instance again', {}, { instanceId: PRIMARY }, "'secondaryOrigin.instanceId' must be another instance than 'instanceId'"],
    ['no own group while ingest is on', {}, { instanceSecurityGroupId: undefined }, "'secondaryOrigin.instanceSecurityGroupId' must be set while ingest rules are enabled"],
    [
      'the primary origin name again',
      { distribution: { originDomainName: 'media.example.com' } },
      { originDomainName: 'media.example.com' },
      "'secondaryOrigin.originDomainName' must be a name other than the primary origin's",
    ],
    [
      'https-only without a name',
      { distribution: { originProtocolPolicy: 'https-only', originDomainName: 'media.example.com' } },
      {},
      "'secondaryOrigin.originDomainName' must be set when 'distribution.originProtocolPolicy' is 'https-only'",
    ],
    ['an unknown key', {}, { region: 'eu-west-1' }, "'secondaryOrigin' has unknown key(s) 'region'"],
  ])('%s is refused with one CONFIG_INVALID', (_name, top, secondary, message) => {
    const error = configErrorOf({ ...base, ...top, secondaryOrigin: { ...SECONDARY, ...secondary } });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });
});

describe("EdgeDistribution's secondaryOrigin prop: the same rules, named as props", () => {
  const BASE: EdgeDistributionProps = { originDomainName: 'ec2-203-0-113-10.eu-north-1.compute.amazonaws.com', originRegion: 'eu-north-1' };
  const B = 'ec2-203-0-113-11.eu-north-1.compute.amazonaws.com';
  test.each([
    [{ allowedMethods: 'ALL' as const }, { domainName: B }, "'allowedMethods' must be 'GET_HEAD' or 'GET_HEAD_OPTIONS'"],
    [{}, { domainName: '203.0.113.11' }, "'secondaryOrigin.domainName' must be a DNS name"],
    [{}, { domainName: BASE.originDomainName }, "'secondaryOrigin.domainName' must be a name other than the primary origin's"],
    [{}, { domainName: B, failoverStatusCodes: [301] }, "'secondaryOrigin.failoverStatusCodes[0]' must be one of"],
    [{ liveSegmentSeconds: 1 }, { domainName: B, connectionAttempts: 2 }, "'secondaryOrigin.connectionTimeoutSeconds' must be such that connectionAttempts x connectionTimeoutSeconds is at most 1 s"],
  ])('%j with %j is refused: %s', (top, secondaryOrigin, message) => {
    const error = synthError((scope) => new EdgeDistribution(scope, 'edge', { ...BASE, ...top, secondaryOrigin }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });

  test('with Origin Shield off, neither origin names a shield region', () => {
    const s = synth((scope) => new EdgeDistribution(scope, 'edge', { ...BASE, originShield: false, secondaryOrigin: { domainName: B } }));
    for (const o of s.only('aws_cloudfront_distribution').origin) expect(o.origin_shield).toEqual({ enabled: false });
    expect(s.schemaProblems()).toEqual([]);
  });
});
