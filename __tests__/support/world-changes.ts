/**
 * What a run did, read from the emulator's world after each of its writes, not from the run's own
 * counters: the oracle the apply summaries are held to. A rule authorized while another managed
 * group already holds it is moved (compaction's copy before a delete); one nobody held is added.
 */
import type { EmuCall, EmuWorld } from '../../emulator/ec2/types';

export interface WorldChanges {
  readonly rulesAdded: number;
  readonly rulesRevoked: number;
  readonly rulesMoved: number;
  readonly groupsCreated: number;
  readonly groupsDeleted: number;
  /** Interfaces whose groups changed at some write, each once. */
  readonly enisChanged: number;
  readonly writes: number;
}

/** `before`: the world when the run started; `calls`: the run's calls, in order; `managed`: is this group one of the guard's. */
export function worldChanges(before: EmuWorld, calls: readonly EmuCall[], managed: (group: EmuWorld['groups'][string]) => boolean): WorldChanges {
  const counts = { rulesAdded: 0, rulesRevoked: 0, rulesMoved: 0, groupsCreated: 0, groupsDeleted: 0, writes: 0 };
  const enis = new Set<string>();
  let prev = before;
  for (const call of calls) {
    if (!call.write || !call.ok || !call.worldAfter) continue;
    counts.writes++;
    const next = call.worldAfter;
    const heldElsewhere = (groupId: string, key: string) => Object.entries(prev.groups).some(([id, g]) => id !== groupId && managed(g) && g.ingress.includes(key));
    for (const [id, g] of Object.entries(next.groups)) {
      const was = prev.groups[id];
      if (!was) counts.groupsCreated++;
      for (const key of g.ingress.filter((k) => !(was?.ingress ?? []).includes(k))) {
        if (heldElsewhere(id, key)) counts.rulesMoved++;
        else counts.rulesAdded++;
      }
      counts.rulesRevoked += (was?.ingress ?? []).filter((k) => !g.ingress.includes(k)).length;
    }
    counts.groupsDeleted += Object.keys(prev.groups).filter((id) => !next.groups[id]).length;
    for (const [id, e] of Object.entries(next.enis)) if (JSON.stringify(prev.enis[id]?.groupIds) !== JSON.stringify(e.groupIds)) enis.add(id);
    prev = next;
  }
  return { ...counts, enisChanged: enis.size };
}

/** The CLI's apply summary for these changes, in its words (cli/render/plan appliedSummary). */
export function summaryOf(c: WorldChanges): string {
  const moved = c.rulesMoved > 0 ? `, ${c.rulesMoved} moved by compaction` : '';
  return `Apply complete! Rules: ${c.rulesAdded} added, ${c.rulesRevoked} revoked${moved}. Groups: ${c.groupsCreated} created, ${c.groupsDeleted} deleted. Interfaces: ${c.enisChanged} changed. (${c.writes} write call${c.writes === 1 ? '' : 's'})`;
}
