import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'cdktf';
import { ORIGIN_SHIELD_CAPABLE_REGIONS, ORIGIN_SHIELD_REGIONS, originShieldRegionFor } from '../../constructs/origin-shield';
import { caught } from '../support/caught';

describe('originShieldRegionFor', () => {
  test('GIVEN the committed table THEN it is an unchanged copy of the vendored reference', () => {
    const reference = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/reference/origin-shield-regions.json'), 'utf8'));
    expect(ORIGIN_SHIELD_REGIONS).toEqual(reference);
  });

  test.each([
    ['eu-north-1', 'eu-west-2'],
    ['us-west-1', 'us-west-2'],
    ['ca-central-1', 'us-east-1'],
    ['af-south-1', 'eu-west-1'],
    ['eu-west-1', 'eu-west-1'],
  ])("GIVEN an instance in %s THEN Origin Shield runs in %s, as AWS's table says", (region, expected) => {
    expect(originShieldRegionFor(region)).toBe(expected);
  });

  test('GIVEN an override THEN it wins over the table', () => {
    expect(originShieldRegionFor('eu-north-1', 'eu-central-1')).toBe('eu-central-1');
  });

  test('GIVEN a region missing from the table and an override THEN the override is used', () => {
    expect(originShieldRegionFor('ap-southeast-3', 'ap-southeast-1')).toBe('ap-southeast-1');
  });

  test('GIVEN a region missing from the table without override THEN CONFIG_INVALID asks for originShieldRegion', () => {
    const error = caught(() => originShieldRegionFor('ap-southeast-3'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain("region 'ap-southeast-3' is not in the Origin Shield table");
    expect(error.message).toContain("set 'originShieldRegion'");
  });

  test('GIVEN an override that does not host Origin Shield THEN it is refused with the allowed list', () => {
    const error = caught(() => originShieldRegionFor('eu-north-1', 'eu-north-1'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`'originShieldRegion' must be a region that hosts Origin Shield (${ORIGIN_SHIELD_CAPABLE_REGIONS.join(', ')}), got 'eu-north-1'`);
  });

  test('GIVEN an override only known at apply time THEN it is passed through unchecked', () => {
    const token = Token.asString({ Ref: 'x' });
    expect(originShieldRegionFor('eu-north-1', token)).toBe(token);
  });

  test('GIVEN a region only known at apply time and no override THEN the error asks for the override', () => {
    const error = caught(() => originShieldRegionFor(Token.asString({ Ref: 'region' })));
    expect(error.message).toContain('a region only known at apply time is not in the Origin Shield table');
  });

  test('GIVEN a prototype property name as region THEN it is not mistaken for a table entry', () => {
    expect(caught(() => originShieldRegionFor('constructor')).code).toBe('CONFIG_INVALID');
  });

  test('GIVEN the table THEN every target region hosts Origin Shield (maps to itself)', () => {
    for (const region of ORIGIN_SHIELD_CAPABLE_REGIONS) expect(ORIGIN_SHIELD_REGIONS[region]).toBe(region);
  });
});
