/**
 * The exposure audit: proves the lock rather than trusting it. The origin ports are reachable from
 * the union of the rules of *every* group on the instance's interfaces, managed or not; any source
 * there that is not a published CloudFront range is an exposure. The guard reports exposure and
 * never revokes rules outside its own groups: the fix is the operator's.
 */
import type { AddressFamily, NetworkInterface, Rule } from './model';
import { formatRule } from './rules';
import { exposureOf, foreignGroupVerdict, managedRuleVerdict, type ExposureKind, type VerdictContext } from './verdicts';

/**
 * AWS-managed prefix lists of CloudFront's origin-facing servers, one per address family. Their ids
 * differ per region (pl-…), their names do not: the audit and the prefix-list mode find them by name.
 */
export const CLOUDFRONT_PREFIX_LISTS: Readonly<Record<AddressFamily, string>> = {
  ipv4: 'com.amazonaws.global.cloudfront.origin-facing',
  ipv6: 'com.amazonaws.global.ipv6.cloudfront.origin-facing',
};

/** A group as the audit sees it: id, name, ingress. */
export interface AuditedGroup {
  readonly groupId: string;
  readonly groupName: string;
  readonly ingress: readonly Rule[];
  /** One of the guard's groups (not merely tagged: see core/ownership): its withdrawn ranges are the blast-radius guard's, not exposure. @default false */
  readonly managed?: boolean;
}

export type { ExposureKind };

/** One rule that lets a non-CloudFront source reach the origin (or, as a warning, the world reach another port). */
export interface ExposedRule {
  readonly groupId: string;
  readonly groupName: string;
  /** `80/tcp from 0.0.0.0/0` */
  readonly rule: string;
  readonly kind: ExposureKind;
  /** The guard's own group: `reconcile --apply` revokes it; elsewhere the fix is the operator's, on that group. */
  readonly managed: boolean;
  readonly eniIds: readonly string[];
  /** The origin instances those interfaces belong to, in audit order: which server the finding is about. Present when the interfaces name their instance. */
  readonly instanceIds?: readonly string[];
}

export interface ExposureReport {
  /** Sources other than CloudFront's on an origin port: the lock is open. */
  readonly exposed: readonly ExposedRule[];
  /** The world on a port that is neither an origin port nor an expected ingest port (22, say): worth knowing, not an exposure. */
  readonly warnings: readonly ExposedRule[];
  readonly enisAudited: readonly string[];
  /** The instances whose interfaces were audited, in order (primary first). Present when the interfaces name their instance. */
  readonly instancesAudited?: readonly string[];
}

export interface ExposureInput extends Omit<VerdictContext, 'published'> {
  readonly enis: readonly NetworkInterface[];
  /** Every group on those interfaces, by id; a group missing here is reported as unreadable by the caller. */
  readonly groups: ReadonlyMap<string, AuditedGroup>;
}

/** Audits the interfaces with the assessment's verdicts: pure, so the Lambda, `cfguard drift` and `cfguard status` report the same findings. */
export function auditExposure(input: ExposureInput): ExposureReport {
  const found = new Map<string, { entry: Omit<ExposedRule, 'eniIds' | 'instanceIds'>; eniIds: string[]; instanceIds: string[]; exposed: boolean }>();
  for (const eni of input.enis) {
    for (const groupId of eni.groupIds) {
      const group = input.groups.get(groupId);
      const managed = group?.managed === true;
      for (const rule of group?.ingress ?? []) {
        const finding = exposureOf(rule, managed ? managedRuleVerdict(rule, input) : foreignGroupVerdict(rule, input), input);
        if (finding === undefined) continue;
        const key = `${groupId}|${formatRule(rule)}`;
        const seen = found.get(key);
        const instanceIds = eni.instanceId ? [eni.instanceId] : [];
        if (seen) {
          seen.eniIds.push(eni.eniId);
          for (const id of instanceIds) if (!seen.instanceIds.includes(id)) seen.instanceIds.push(id);
        } else
          found.set(key, { entry: { groupId, groupName: group?.groupName ?? '', rule: formatRule(rule), kind: finding.kind, managed }, eniIds: [eni.eniId], instanceIds, exposed: finding.exposed });
      }
    }
  }
  const findings = (exposed: boolean): ExposedRule[] =>
    [...found.values()].filter((f) => f.exposed === exposed).map((f) => ({ ...f.entry, eniIds: f.eniIds, ...(f.instanceIds.length > 0 ? { instanceIds: f.instanceIds } : {}) }));
  const instancesAudited = [...new Set(input.enis.flatMap((e) => (e.instanceId ? [e.instanceId] : [])))];
  return {
    exposed: findings(true),
    warnings: findings(false),
    enisAudited: input.enis.map((e) => e.eniId),
    ...(instancesAudited.length > 0 ? { instancesAudited } : {}),
  };
}

/** Whether a report audited more than one origin instance, so its findings name theirs. */
export function auditsSeveralInstances(r: Pick<ExposureReport, 'instancesAudited'> | undefined): boolean {
  return (r?.instancesAudited?.length ?? 0) > 1;
}

/**
 * One line per finding, for logs and the CLI: `sg-… (name): 80/tcp from 0.0.0.0/0 (world-open)`;
 * with `nameInstance` (more than one origin audited) `sg-… (name) on i-…: …`, the server it is about.
 */
export function describeExposure(e: ExposedRule, nameInstance = false): string {
  const on = nameInstance && e.instanceIds && e.instanceIds.length > 0 ? ` on ${e.instanceIds.join(', ')}` : '';
  return `${e.groupId}${e.groupName ? ` (${e.groupName})` : ''}${on}: ${e.rule} (${e.kind})`;
}
