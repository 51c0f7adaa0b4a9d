/**
 * When each revocation happens, and whether the blast-radius guard may hold it. Split out of the
 * planner so the ordering promise reads in one place:
 *
 * - a group attached nowhere yet is cleaned *before* it is attached, nothing held: it protects
 *   nothing until then, and attaching it dirty would open the origin to whatever it holds;
 * - foreign rules (no document granted them: the assessment's verdicts) are revoked after the attachments, never held;
 * - CloudFront ranges leaving an attached group are revoked last, and the guard may hold them.
 */
import type { GroupRef, HeldRevocation, ManagedGroup, NetworkInterface, Rule } from './model';
import { compareRules } from './rules';

export interface RevocationSchedule {
  /** Cleaning of groups about to be attached for the first time. */
  readonly beforeAttach: HeldRevocation[];
  /** Foreign rules in groups already attached. */
  readonly afterAttach: HeldRevocation[];
  /** CloudFront ranges leaving attached groups: the blast-radius guard's to hold. */
  readonly guarded: HeldRevocation[];
  readonly foreignCount: number;
}

export function splitRevocations(
  groups: readonly ManagedGroup[],
  revocations: ReadonlyMap<string, readonly Rule[]>,
  enis: readonly NetworkInterface[],
  /** From the assessment (core/assessment mayHold): whether a document granted the rule. */
  granted: (groupId: string, rule: Rule) => boolean,
): RevocationSchedule {
  const schedule: RevocationSchedule = { beforeAttach: [], afterAttach: [], guarded: [], foreignCount: 0 };
  let foreignCount = 0;
  for (const g of groups) {
    const rules = revocations.get(g.groupId);
    if (!rules || rules.length === 0) continue;
    const foreign = rules.filter((r) => !granted(g.groupId, r));
    foreignCount += foreign.length;
    const attached = enis.some((e) => e.groupIds.includes(g.groupId));
    const joining = enis.some((e) => !e.groupIds.includes(g.groupId));
    if (!attached && joining) {
      schedule.beforeAttach.push({ group: g.groupId, rules: [...rules] });
      continue;
    }
    const cloudFront = rules.filter((r) => granted(g.groupId, r));
    if (foreign.length > 0) schedule.afterAttach.push({ group: g.groupId, rules: foreign });
    if (cloudFront.length > 0) schedule.guarded.push({ group: g.groupId, rules: cloudFront });
  }
  return { ...schedule, foreignCount };
}

/** One revocation per group: `a`'s groups in order, then `b`'s new ones; rules sorted. */
export function mergeRevocations(a: readonly HeldRevocation[], b: readonly HeldRevocation[]): HeldRevocation[] {
  const byGroup = new Map<GroupRef, Rule[]>();
  for (const r of [...a, ...b]) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), ...r.rules]);
  return [...byGroup].map(([group, rules]) => ({ group, rules: rules.sort(compareRules) }));
}
