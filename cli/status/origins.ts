import type { DetachedInterface } from '../../lambda-src/core/compare';
import type { ExposureReport } from '../../lambda-src/core/exposure';
import type { NetworkInterface } from '../../lambda-src/core/model';

/**
 * `status` and `drift` per origin (issue 22): with a secondary origin, each guarded instance gets
 * its own entry, so a finding names the server it is about. From the same comparison and exposure
 * audit the rest of the report renders; pure. Single-origin reports carry no `origins`, as before.
 */
export interface OriginView {
  readonly instanceId: string;
  /** The primary is GUARDED_INSTANCE_IDS' first instance (`instanceId`), the secondary `secondaryOrigin.instanceId`. */
  readonly role: 'primary' | 'secondary';
  /** Its interfaces, sorted. */
  readonly enis: readonly string[];
  /** Its interfaces that lack managed groups. */
  readonly detached: readonly DetachedInterface[];
  /** Rules that let other sources than CloudFront reach its origin ports. @default - 0 without an audit */
  readonly exposedRules: number;
  /** Every interface carries every managed group and nothing else reaches the origin ports. */
  readonly locked: boolean;
}

export function originViews(instanceIds: readonly string[], enis: readonly NetworkInterface[], detached: readonly DetachedInterface[], exposure: ExposureReport | undefined): OriginView[] | undefined {
  if (instanceIds.length < 2) return undefined;
  return instanceIds.map((instanceId, i) => {
    const own = enis
      .filter((e) => e.instanceId === instanceId)
      .map((e) => e.eniId)
      .sort();
    const lacking = detached.filter((d) => own.includes(d.eniId));
    const exposedRules = (exposure?.exposed ?? []).filter((e) => e.instanceIds?.includes(instanceId) ?? e.eniIds.some((id) => own.includes(id))).length;
    return { instanceId, role: i === 0 ? 'primary' : 'secondary', enis: own, detached: lacking, exposedRules, locked: lacking.length === 0 && exposedRules === 0 };
  });
}

/** One line per origin: `origin secondary i-…: eni-… lacks sg-…; 1 exposed rule`. */
export function originLine(o: OriginView): string {
  const where = o.enis.length > 0 ? o.enis.join(', ') : '(no interface)';
  const parts = [
    o.detached.length === 0 ? `${where} carry every managed group` : o.detached.map((d) => `${d.eniId} lacks ${d.missingGroups.join(', ')}`).join('; '),
    o.exposedRules === 0 ? 'no exposure' : `${o.exposedRules} exposed rule(s)`,
  ];
  return `origin ${o.role} ${o.instanceId}: ${parts.join('; ')}`;
}
