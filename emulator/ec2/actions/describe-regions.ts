import { COMMERCIAL_REGIONS } from '../../../lambda-src/core/regions';
import { invalidValue } from '../errors';
import { el, items } from '../xml';
import type { ActionContext } from './context';

/**
 * DescribeRegions: a default region is `opt-in-not-required`; an opt-in region `opted-in` once the
 * account enabled it (EmulatorOptions.enabledOptInRegions), else `not-opted-in`. Without
 * AllRegions=true, EC2 lists only the regions the account can use.
 */
export function describeRegions(ctx: ActionContext): string {
  const { params } = ctx;
  const names = params.list('RegionName');
  for (const name of names) if (!(name in COMMERCIAL_REGIONS)) throw invalidValue('RegionName', name, 'Invalid region.');
  const all = params.get('AllRegions') === 'true';
  const status = (region: string) => (!COMMERCIAL_REGIONS[region] ? 'opt-in-not-required' : ctx.enabledOptInRegions.has(region) ? 'opted-in' : 'not-opted-in');
  const listed = (names.length > 0 ? names : Object.keys(COMMERCIAL_REGIONS)).filter((r) => all || status(r) !== 'not-opted-in');
  return items(
    'regionInfo',
    listed.map((r) => el('regionName', r) + el('regionEndpoint', `ec2.${r}.amazonaws.com`) + el('optInStatus', status(r))),
  );
}
