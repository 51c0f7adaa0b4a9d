import { guardError } from '../core/errors';
import type { AppConfig } from './app-config';
import { DEFAULT_INGEST_RULES, ingestRuleIds } from './ingest-rule-ids';

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

/** The allocated Elastic IP (absent from the stack when `elasticIp.allocationId` adopts one). */
export function eipPath(config: Pick<AppConfig, 'name'>): string {
  return `${originPath(config)}/${ELASTIC_IP_ID}/eip`;
}

/** The CloudFront distribution. */
export function distributionPath(config: Pick<AppConfig, 'name'>): string {
  return `${originPath(config)}/${DISTRIBUTION_ID}/distribution`;
}

/** The i-th ingest rule as the stack renders them: one per (rule, CIDR), in list order. */
export function ingestRulePath(config: Pick<AppConfig, 'name' | 'ingest'>, i: number): string {
  const entries = ingestRuleIds(config.ingest.rules ?? DEFAULT_INGEST_RULES, 'ingest.rules');
  const entry = entries[i];
  if (!entry) {
    throw guardError('CONFIG_INVALID', `ingest rule index must be 0 to ${entries.length - 1} (the config renders ${entries.length} ingest rule(s), one per rule and CIDR), got ${i}`, 'usage', {
      index: i,
      count: entries.length,
    });
  }
  return `${originPath(config)}/${INGEST_ID}/${entry.id}`;
}

/** Every path the stack can import for this config, in a stable order. */
export function importablePaths(config: AppConfig): ImportablePath[] {
  const paths: ImportablePath[] = [];
  if (config.elasticIp?.allocationId === undefined) {
    paths.push({ path: eipPath(config), resourceType: 'aws_eip', description: 'the Elastic IP of the origin' });
  }
  paths.push({ path: distributionPath(config), resourceType: 'aws_cloudfront_distribution', description: 'the CloudFront distribution' });
  if (config.ingest.enabled) {
    const entries = ingestRuleIds(config.ingest.rules ?? DEFAULT_INGEST_RULES, 'ingest.rules');
    entries.forEach((entry, i) => {
      const ports = entry.fromPort === entry.toPort ? `${entry.fromPort}` : `${entry.fromPort}-${entry.toPort}`;
      paths.push({ path: ingestRulePath(config, i), resourceType: 'aws_vpc_security_group_ingress_rule', description: `ingest ${ports}/${entry.protocol} from ${entry.cidr}` });
    });
  }
  paths.push(...secondaryImportablePaths(config));
  return paths;
}

/** The secondary origin's allocated Elastic IP (absent when `secondaryOrigin.elasticIp.allocationId` adopts one). */
export function secondaryEipPath(config: Pick<AppConfig, 'name'>): string {
  return `${originPath(config)}/${SECONDARY_ORIGIN_ID}/${ELASTIC_IP_ID}/eip`;
}

/** The secondary's copy of the i-th ingest rule entry (see ingestRulePath), on its own group. */
export function secondaryIngestRulePath(config: Pick<AppConfig, 'name' | 'ingest'>, i: number): string {
  return ingestRulePath(config, i).replace(`/${STREAMING_ORIGIN_ID}/${INGEST_ID}/`, `/${STREAMING_ORIGIN_ID}/${SECONDARY_ORIGIN_ID}/${INGEST_ID}/`);
}

/** The secondary origin's Elastic IP and ingest rules, as SecondaryOrigin renders them. */
function secondaryImportablePaths(config: AppConfig): ImportablePath[] {
  const s = config.secondaryOrigin;
  if (s === undefined) return [];
  const base = `${originPath(config)}/${SECONDARY_ORIGIN_ID}`;
  const paths: ImportablePath[] = [];
  if (s.elasticIp?.allocationId === undefined) paths.push({ path: secondaryEipPath(config), resourceType: 'aws_eip', description: 'the Elastic IP of the secondary origin' });
  // A secondary sharing the primary's group has no rules of its own (they are the primary's).
  if (config.ingest.enabled && s.instanceSecurityGroupId !== config.instanceSecurityGroupId) {
    for (const entry of ingestRuleIds(config.ingest.rules ?? DEFAULT_INGEST_RULES, 'ingest.rules')) {
      const ports = entry.fromPort === entry.toPort ? `${entry.fromPort}` : `${entry.fromPort}-${entry.toPort}`;
      paths.push({ path: `${base}/${INGEST_ID}/${entry.id}`, resourceType: 'aws_vpc_security_group_ingress_rule', description: `secondary ingest ${ports}/${entry.protocol} from ${entry.cidr}` });
    }
  }
  return paths;
}
