import { editDistance } from './spelling';
/*
 * AWS's commercial regions (partition `aws`) and whether each must be enabled ("opted in") first.
 * Source: AWS Regions and Availability Zones, "AWS Regions" table
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html), read 2026-12-01;
 * the rule behind the column: every region launched after 2019-03-20 is opt-in ("Managing AWS Regions").
 * China (aws-cn), GovCloud (aws-us-gov) and the European Sovereign Cloud are other partitions, not listed.
 * Add a region here when AWS launches one: an unknown region is refused as a likely typo.
 */

/** Region code -> true when the region is opt-in (disabled on a new account until enabled). */
export const COMMERCIAL_REGIONS: Readonly<Record<string, boolean>> = {
  'us-east-1': false, // US East (N. Virginia)
  'us-east-2': false, // US East (Ohio)
  'us-west-1': false, // US West (N. California)
  'us-west-2': false, // US West (Oregon)
  'af-south-1': true, // Africa (Cape Town)
  'ap-east-1': true, // Asia Pacific (Hong Kong)
  'ap-east-2': true, // Asia Pacific (Taipei)
  'ap-south-1': false, // Asia Pacific (Mumbai)
  'ap-south-2': true, // Asia Pacific (Hyderabad)
  'ap-northeast-1': false, // Asia Pacific (Tokyo)
  'ap-northeast-2': false, // Asia Pacific (Seoul)
  'ap-northeast-3': false, // Asia Pacific (Osaka)
  'ap-southeast-1': false, // Asia Pacific (Singapore)
  'ap-southeast-2': false, // Asia Pacific (Sydney)
  'ap-southeast-3': true, // Asia Pacific (Jakarta)
  'ap-southeast-4': true, // Asia Pacific (Melbourne)
  'ap-southeast-5': true, // Asia Pacific (Malaysia)
  'ap-southeast-6': true, // Asia Pacific (New Zealand)
  'ap-southeast-7': true, // Asia Pacific (Thailand)
  'ca-central-1': false, // Canada (Central)
  'ca-west-1': true, // Canada West (Calgary)
  'eu-central-1': false, // Europe (Frankfurt)
  'eu-central-2': true, // Europe (Zurich)
  'eu-west-1': false, // Europe (Ireland)
  'eu-west-2': false, // Europe (London)
  'eu-west-3': false, // Europe (Paris)
  'eu-south-1': true, // Europe (Milan)
  'eu-south-2': true, // Europe (Spain)
  'eu-north-1': false, // Europe (Stockholm)
  'il-central-1': true, // Israel (Tel Aviv)
  'me-south-1': true, // Middle East (Bahrain)
  'me-central-1': true, // Middle East (UAE)
  'mx-central-1': true, // Mexico (Central)
  'sa-east-1': false, // South America (São Paulo)
};

/** Where the AmazonIpSpaceChanged topic lives, and with it the function of an opt-in region's guard. */
export const TOPIC_REGION = 'us-east-1';

export function isKnownRegion(region: string): boolean {
  return Object.prototype.hasOwnProperty.call(COMMERCIAL_REGIONS, region);
}

export function isOptInRegion(region: string): boolean {
  return isKnownRegion(region) && COMMERCIAL_REGIONS[region];
}

/**
 * Where the guard's function runs for an instance in `instanceRegion`. SNS does not deliver from a
 * default region's topic to a Lambda in an opt-in region (SNS Developer Guide, "Prerequisites for
 * integrating Amazon SNS with Lambda functions across regions"), so an opt-in region's function runs
 * beside the topic and manages the instance's groups remotely (REGION). A default region keeps its
 * function beside the instance: deployed stacks stay as they are, and logs and alarms stay where
 * the operator looks for the instance.
 */
export function guardFunctionRegion(instanceRegion: string): string {
  return isOptInRegion(instanceRegion) ? TOPIC_REGION : instanceRegion;
}

/** The known regions nearest to a typo (at most 3 edits away, all equally near), at most three. */
export function similarRegions(region: string): string[] {
  const scored = Object.keys(COMMERCIAL_REGIONS).map((r) => ({ r, d: editDistance(region, r) }));
  const best = Math.min(...scored.map((x) => x.d));
  if (best > 3) return [];
  return scored
    .filter((x) => x.d === best)
    .map((x) => x.r)
    .sort()
    .slice(0, 3);
}

/** The rule an unknown region breaks, with a did-you-mean: "a commercial AWS region (did you mean 'eu-north-1'?)". */
export function unknownRegionRule(region: string): string {
  const near = similarRegions(region);
  const hint = near.length > 0 ? `did you mean ${near.map((r) => `'${r}'`).join(' or ')}?` : `see lambda-src/core/regions.ts for the list`;
  return `must be a commercial AWS region (${hint})`;
}
