import { EdgeDistribution, type EdgeDistributionProps } from '../../constructs/edge-distribution';
import { parseAppConfig } from '../../lambda-src/config/app-config';
import { MINIMAL, buildTestStack, configErrorOf, configWith, only, synthJson } from '../support/app-fixtures';
import { synth, synthError } from '../support/construct-synth';

/** Origin Shield can be turned off (it bills per request); on stays the default. */

const EC2_DNS = 'ec2-203-0-113-10.eu-north-1.compute.amazonaws.com';
const BASE: EdgeDistributionProps = { originDomainName: EC2_DNS, originRegion: 'eu-north-1' };

function originOf(props: Partial<EdgeDistributionProps>) {
  let edge: EdgeDistribution | undefined;
  const s = synth((scope) => {
    edge = new EdgeDistribution(scope, 'edge', { ...BASE, ...props } as EdgeDistributionProps);
  });
  return { edge: edge!, origin: s.only('aws_cloudfront_distribution').origin[0] };
}

describe('EdgeDistribution originShield', () => {
  test('GIVEN nothing said THEN Origin Shield is on in the table region', () => {
    const { edge, origin } = originOf({});
    expect(origin.origin_shield).toEqual({ enabled: true, origin_shield_region: 'eu-west-2' });
    expect(edge.originShieldRegion).toBe('eu-west-2');
  });

  test('GIVEN originShield true THEN the distribution is exactly the default one', () => {
    expect(originOf({ originShield: true }).origin).toEqual(originOf({}).origin);
  });

  test('GIVEN originShield false THEN the origin says Origin Shield is disabled and names no region', () => {
    const { edge, origin } = originOf({ originShield: false });
    expect(origin.origin_shield).toEqual({ enabled: false });
    expect(edge.originShieldRegion).toBeUndefined();
  });

  test('GIVEN originShield false THEN a region missing from the table needs no override', () => {
    expect(originOf({ originShield: false, originRegion: 'eu-central-2' }).origin.origin_shield).toEqual({ enabled: false });
  });

  test('GIVEN originShield false and an Origin Shield region THEN the pair is refused', () => {
    expect(synthError((scope) => new EdgeDistribution(scope, 'edge', { ...BASE, originShield: false, originShieldRegion: 'eu-west-2' })).message).toContain(
      "'originShieldRegion' must be absent when 'originShield' is false",
    );
  });
});

describe('distribution.originShield in the config file', () => {
  test('GIVEN the minimal config THEN originShield defaults to true', () => {
    expect(parseAppConfig(MINIMAL).distribution.originShield).toBe(true);
  });

  test('GIVEN originShield false THEN the synthesized distribution has Origin Shield disabled', () => {
    const { parsed } = synthJson(buildTestStack(configWith({ distribution: { originShield: false } })));
    expect(only(parsed, 'aws_cloudfront_distribution').origin[0].origin_shield).toEqual({ enabled: false });
  });

  test('GIVEN originShield false with an originShieldRegion THEN one CONFIG_INVALID names the region key', () => {
    const error = configErrorOf({ ...MINIMAL, distribution: { originShield: false, originShieldRegion: 'eu-west-2' } });
    expect(error.message).toBe(
      "cfguard.config.json: 'distribution.originShieldRegion' must be absent when 'distribution.originShield' is false (there is no Origin Shield to place), got \"eu-west-2\"; fix it in cfguard.config.json and run again",
    );
  });

  test("GIVEN originShield 'off' THEN it must be a boolean", () => {
    expect(configErrorOf({ ...MINIMAL, distribution: { originShield: 'off' } }).message).toContain('\'distribution.originShield\' must be true or false, got "off"');
  });
});
