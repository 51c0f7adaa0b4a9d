import { originShieldRegionFor, ORIGIN_SHIELD_REGIONS } from '../../constructs/origin-shield';
import { settingsFromEnv } from '../../lambda-src/config/settings';
import { parseAppConfig } from '../../lambda-src/config/app-config';
import { COMMERCIAL_REGIONS, similarRegions, unknownRegionRule } from '../../lambda-src/core/regions';
import { configErrorOf, MINIMAL } from '../support/app-fixtures';
import { caught } from '../support/caught';

describe('the commercial region table', () => {
  test("every region of AWS's Origin Shield table is a known commercial region", () => {
    for (const [from, to] of Object.entries(ORIGIN_SHIELD_REGIONS)) {
      expect([from, from in COMMERCIAL_REGIONS]).toEqual([from, true]);
      expect([to, to in COMMERCIAL_REGIONS]).toEqual([to, true]);
    }
  });

  test.each([
    ['eu-nrth-1', ['eu-north-1']],
    ['us-east1', ['us-east-1']],
    ['ap-southeast-8', ['ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3']],
  ])('GIVEN the typo %s THEN the nearest regions are suggested', (typo, expected) => {
    expect(similarRegions(typo)).toEqual(expected);
  });

  test('GIVEN nothing near THEN the rule points at the table instead', () => {
    expect(unknownRegionRule('zz-nowhere-9')).toBe('must be a commercial AWS region (see lambda-src/core/regions.ts for the list)');
  });
});

describe('an unknown region is one CONFIG_INVALID with a did-you-mean, wherever it is given', () => {
  test('in the config file', () => {
    const e = configErrorOf({ ...MINIMAL, region: 'eu-nrth-1' });
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toBe(`cfguard.config.json: 'region' must be a commercial AWS region (did you mean 'eu-north-1'?), got "eu-nrth-1"; fix it in cfguard.config.json and run again`);
  });

  test("in the config file's originShieldRegion and backend region too", () => {
    expect(configErrorOf({ ...MINIMAL, distribution: { originShieldRegion: 'eu-wst-2' } }).message).toContain(
      "'distribution.originShieldRegion' must be a commercial AWS region (did you mean 'eu-west-2'?)",
    );
    expect(configErrorOf({ ...MINIMAL, backend: { type: 's3', bucket: 'state-bucket', key: 'k', region: 'us-est-1' } }).message).toContain(
      "'backend.region' must be a commercial AWS region (did you mean 'us-east-1'",
    );
  });

  test("in the Lambda's environment", () => {
    const e = caught(() => settingsFromEnv({ REGION: 'eu-nrth-1' }));
    expect(e).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(e.message).toContain("'REGION' must be a commercial AWS region (did you mean 'eu-north-1'?)");
  });

  test('at synth, before the Origin Shield lookup', () => {
    const e = caught(() => originShieldRegionFor('eu-nrth-1'));
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', message: "'originRegion' must be a commercial AWS region (did you mean 'eu-north-1'?), got 'eu-nrth-1'" });
  });

  test('a real region missing from the Origin Shield table still gets the Origin Shield hint', () => {
    expect(caught(() => originShieldRegionFor('eu-central-2')).message).toContain("region 'eu-central-2' is not in the Origin Shield table");
  });
});

describe('the opt-in placement in the config file', () => {
  test('GIVEN an opt-in region and an alarm topic in that region THEN it is refused: the alarms live in us-east-1', () => {
    const e = configErrorOf({ ...MINIMAL, region: 'eu-south-1', guard: { alerting: { topicArn: 'arn:aws:sns:eu-south-1:111111111111:ops' } } });
    expect(e.message).toContain("'guard.alerting.topicArn' must be a topic in 'us-east-1' (the function's region, as 'eu-south-1' is opt-in");
  });

  test('GIVEN an opt-in region and an alarm topic in us-east-1 THEN it is accepted', () => {
    expect(() => parseAppConfig({ ...MINIMAL, region: 'eu-south-1', guard: { alerting: { topicArn: 'arn:aws:sns:us-east-1:111111111111:ops' } } })).not.toThrow();
  });

  test('runtime and reservedConcurrency: defaults and validation', () => {
    expect(parseAppConfig(MINIMAL).guard).toMatchObject({ runtime: 'nodejs24.x' });
    expect(parseAppConfig(MINIMAL).guard.reservedConcurrency).toBeUndefined();
    expect(configErrorOf({ ...MINIMAL, guard: { reservedConcurrency: 0 } }).message).toContain("'guard.reservedConcurrency' must be at least 1");
    expect(configErrorOf({ ...MINIMAL, guard: { runtime: 'nodejs20.x' } }).message).toContain(`'guard.runtime' must be one of "nodejs24.x", "nodejs22.x"`);
  });
});
