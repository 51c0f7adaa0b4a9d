import { guardError } from '../core/errors';
import type { AppConfig } from './app-config';
import { formatPort } from '../core/rules';
import { ingestRuleIds } from './ingest-rule-ids';

/*
 * The construct paths OriginGuardStack gives the resources a user may have made by hand while
 * following the tutorial. The CLI's `import` command writes these as keys of the imports file and
 * the stack looks them up, so both sides must compute them here. No cdktf import: the CLI loads it.
 * The segments are construct ids, which are API: renaming one breaks existing imports files.
 */

/** Construct id of StreamingOrigin inside the stack. */
export const STREAMING_ORIGIN_ID = 'origin';
export const ELASTIC_IP_ID = 'elastic-ip';
export const DISTRIBUTION_ID = 'distribution';
export const GUARD_ID = 'guard';
export const INGEST_ID = 'ingest';
/** Construct id of the secondary origin (its Elastic IP and ingest rules) inside StreamingOrigin. */
export const SECONDARY_ORIGIN_ID = 'secondary';

/** One importable resource: its construct path, Terraform type and what it is. */
export interface ImportablePath {
  readonly path: string;
  readonly resourceType: string;
  readonly description: string;
}

function originPath(config: Pick<AppConfig, 'name'>): string {
  return `${config.name}/${STREAMING_ORIGIN_ID}`;
}

function secondaryPath(config: Pick<AppConfig, 'name'>): string {
  return `${originPath(config)}/${SECONDARY_ORIGIN_ID}`;
}

/** The allocated Elastic IP (absent from the stack when `elasticIp.allocationId` adopts one). */
export function eipPath(config: Pick<AppConfig, 'name'>): string {
  return `${originPath(config)}/${ELASTIC_IP_ID}/eip`;
}

/** The secondary origin's allocated Elastic IP (absent when `secondaryOrigin.elasticIp.allocationId` adopts one). */
export function secondaryEipPath(config: Pick<AppConfig, 'name'>): string {
  return `${secondaryPath(config)}/${ELASTIC_IP_ID}/eip`;
}

/** The CloudFront distribution. */
export function distributionPath(config: Pick<AppConfig, 'name'>): string {
  return `${originPath(config)}/${DISTRIBUTION_ID}/distribution`;
}

/** The ingest rules as the stack renders them, one per (rule, CIDR) in list order, each under `owner` (the origin's or the secondary's path). */
function ingestImportables(config: Pick<AppConfig, 'ingest'>, owner: string, what: string): ImportablePath[] {
  return ingestRuleIds(config.ingest.rules, 'ingest.rules').map((entry) => ({
    path: `${owner}/${INGEST_ID}/${entry.id}`,
    resourceType: 'aws_vpc_security_group_ingress_rule',
    description: `${what} ${formatPort(entry)} from ${entry.cidr}`,
  }));
}

function nthIngestPath(config: Pick<AppConfig, 'ingest'>, owner: string, i: number): string {
  const paths = ingestImportables(config, owner, 'ingest');
  if (!paths[i]) {
    throw guardError('CONFIG_INVALID', `ingest rule index must be 0 to ${paths.length - 1} (the config renders ${paths.length} ingest rule(s), one per rule and CIDR), got ${i}`, 'usage', {
      index: i,
      count: paths.length,
    });
  }
  return paths[i].path;
}

/** The i-th ingest rule as the stack renders them: one per (rule, CIDR), in list order. */
export function ingestRulePath(config: Pick<AppConfig, 'name' | 'ingest'>, i: number): string {
  return nthIngestPath(config, originPath(config), i);
}

/** The secondary's copy of the i-th ingest rule entry (see ingestRulePath), on its own group. */
export function secondaryIngestRulePath(config: Pick<AppConfig, 'name' | 'ingest'>, i: number): string {
  return nthIngestPath(config, secondaryPath(config), i);
}

/** Every path the stack can import for this config, in a stable order. */
export function importablePaths(config: AppConfig): ImportablePath[] {
  const paths: ImportablePath[] = [];
  if (config.elasticIp?.allocationId === undefined) {
    paths.push({ path: eipPath(config), resourceType: 'aws_eip', description: 'the Elastic IP of the origin' });
  }
  paths.push({ path: distributionPath(config), resourceType: 'aws_cloudfront_distribution', description: 'the CloudFront distribution' });
  if (config.ingest.enabled) paths.push(...ingestImportables(config, originPath(config), 'ingest'));
  const s = config.secondaryOrigin;
  if (s === undefined) return paths;
  if (s.elasticIp?.allocationId === undefined) paths.push({ path: secondaryEipPath(config), resourceType: 'aws_eip', description: 'the Elastic IP of the secondary origin' });
  // A secondary sharing the primary's group has no rules of its own (they are the primary's).
  if (config.ingest.enabled && s.instanceSecurityGroupId !== config.instanceSecurityGroupId) paths.push(...ingestImportables(config, secondaryPath(config), 'secondary ingest'));
  return paths;
}
