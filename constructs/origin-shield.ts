import { guardError } from '../lambda-src/core/errors';
import { invalidProp, isUnresolved } from './validate';
import { isKnownRegion, unknownRegionRule } from '../lambda-src/core/regions';
import originShieldTable from './data/origin-shield-regions.json';

/**
 * Instance region -> recommended Origin Shield region, a verbatim copy of
 * the vendored reference table (__tests__/fixtures/reference/origin-shield-regions.json), which transcribes the table in AWS's CloudFront
 * Developer Guide ("Choosing the AWS Region for Origin Shield", the table the tutorial screenshots).
 * Regions without their own Origin Shield map to the nearest one that has it.
 * Update it by copying that file again, never by hand.
 */
export const ORIGIN_SHIELD_REGIONS: Readonly<Record<string, string>> = originShieldTable;

/** The regions that host Origin Shield: the table's targets. An override must be one of them. */
export const ORIGIN_SHIELD_CAPABLE_REGIONS: readonly string[] = [...new Set(Object.values(ORIGIN_SHIELD_REGIONS))].sort();

/**
 * The Origin Shield region for an origin in `region`: `override` when given, else AWS's table.
 * A region missing from the table needs the override, and the error says so.
 */
export function originShieldRegionFor(region: string, override?: string): string {
  // A typo is a typo, not a missing Origin Shield entry: say which region was meant.
  if (region !== '' && !isUnresolved(region) && !isKnownRegion(region)) throw invalidProp('originRegion', unknownRegionRule(region).replace(/^must be /, ''), region);
  if (override !== undefined) {
    if (!isUnresolved(override) && !ORIGIN_SHIELD_CAPABLE_REGIONS.includes(override)) {
      throw invalidProp('originShieldRegion', `a region that hosts Origin Shield (${ORIGIN_SHIELD_CAPABLE_REGIONS.join(', ')})`, override);
    }
    return override;
  }
  const mapped = Object.prototype.hasOwnProperty.call(ORIGIN_SHIELD_REGIONS, region) ? ORIGIN_SHIELD_REGIONS[region] : undefined;
  if (mapped === undefined) {
    const what = isUnresolved(region) ? 'a region only known at apply time' : `region '${region}'`;
    throw guardError(
      'CONFIG_INVALID',
      `${what} is not in the Origin Shield table (constructs/data/origin-shield-regions.json); set 'originShieldRegion' to the Origin Shield region nearest the instance, one of ${ORIGIN_SHIELD_CAPABLE_REGIONS.join(', ')}`,
      'usage',
      { prop: 'originShieldRegion', region },
    );
  }
  return mapped;
}
