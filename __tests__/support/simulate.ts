/**
 * A pure model of what EC2 does with a plan's steps, for the planner's property tests.
 * It enforces the same per-family rules quota the emulator enforces.
 */
import type { ActualState, GroupRef, ManagedGroup, Plan, Rule, Step } from '../../lambda-src/core/model';
import { ruleFamily, ruleKey } from '../../lambda-src/core/rules';

type MutableGroup = { groupId: string; groupName: string; vpcId: string; description?: string; ingress: Rule[]; egress: Rule[]; syncToken?: string; adoptedBy?: string };

export interface SimState {
  readonly vpcId: string;
  groups: MutableGroup[];
  enis: { eniId: string; instanceId?: string; groupIds: string[] }[];
}

export function toSim(actual: ActualState): SimState {
  return {
    vpcId: actual.vpcId,
    groups: actual.groups.map((g) => ({ ...g, ingress: [...g.ingress], egress: [...g.egress] })),
    enis: actual.enis.map((e) => ({ ...e, groupIds: [...e.groupIds] })),
  };
}

export function fromSim(sim: SimState): ActualState {
  return { vpcId: sim.vpcId, groups: sim.groups.map((g) => ({ ...g }) as ManagedGroup), enis: sim.enis.map((e) => ({ ...e })) };
}

export function applyStep(sim: SimState, step: Step, ids: Map<GroupRef, string>, rulesPerGroup: number): void {
  const group = (ref: GroupRef) => {
    const g = sim.groups.find((x) => x.groupId === (ids.get(ref) ?? ref));
    if (!g) throw new Error(`unknown group ${ref}`);
    return g;
  };
  switch (step.kind) {
    case 'createGroup': {
      const id = `sg-sim${String(sim.groups.length).padStart(13, '0')}`;
      ids.set(step.ref, id);
      sim.groups.push({
        groupId: id,
        groupName: step.groupName,
        vpcId: sim.vpcId,
        // EC2 keeps the name and description a group was created with, for good: core/ownership relies on it
        description: step.description,
        ingress: [],
        egress: [{ protocol: '-1', fromPort: -1, toPort: -1, source: '0.0.0.0/0' }],
        syncToken: step.tags.CFGUARD_SYNC_TOKEN,
      });
      return;
    }
    case 'revokeEgress': {
      const g = group(step.group);
      const drop = new Set(step.rules.map(ruleKey));
      g.egress = g.egress.filter((r) => !drop.has(ruleKey(r)));
      return;
    }
    case 'authorize': {
      const g = group(step.group);
      const have = new Set(g.ingress.map(ruleKey));
      for (const r of step.rules) if (have.has(ruleKey(r))) throw new Error(`InvalidPermission.Duplicate ${ruleKey(r)}`);
      g.ingress.push(...step.rules);
      for (const fam of ['ipv4', 'ipv6'] as const) {
        const n = g.ingress.filter((r) => ruleFamily(r) === fam).length;
        if (n > rulesPerGroup) throw new Error(`RulesPerSecurityGroupLimitExceeded ${g.groupId} ${fam} ${n}`);
      }
      return;
    }
    case 'attach': {
      const eni = sim.enis.find((e) => e.eniId === step.eniId);
      if (!eni) throw new Error(`unknown eni ${step.eniId}`);
      eni.groupIds = step.groupIds.map((ref) => ids.get(ref) ?? ref);
      return;
    }
    case 'revoke': {
      const g = group(step.group);
      const drop = new Set(step.rules.map(ruleKey));
      const have = new Set(g.ingress.map(ruleKey));
      for (const k of drop) if (!have.has(k)) throw new Error(`InvalidPermission.NotFound ${k}`);
      g.ingress = g.ingress.filter((r) => !drop.has(ruleKey(r)));
      return;
    }
    case 'tagSyncToken':
      for (const ref of step.groups) group(ref).syncToken = step.syncToken;
      return;
    case 'detach': {
      const eni = sim.enis.find((e) => e.eniId === step.eniId);
      if (!eni) throw new Error(`unknown eni ${step.eniId}`);
      if (step.groupIds.length === 0) throw new Error(`an ENI needs at least one group: ${step.eniId}`);
      eni.groupIds = [...step.groupIds];
      return;
    }
    case 'deleteGroup': {
      const id = ids.get(step.group) ?? step.group;
      if (sim.enis.some((e) => e.groupIds.includes(id))) throw new Error(`DependencyViolation: ${id} is still attached`);
      sim.groups = sim.groups.filter((g) => g.groupId !== id);
      return;
    }
  }
}

/** Applies every step, calling `after` with the state after each one (and once before any). */
export function simulate(actual: ActualState, plan: Plan, rulesPerGroup: number, after?: (sim: SimState, stepIndex: number) => void): ActualState {
  const sim = toSim(actual);
  const ids = new Map<GroupRef, string>();
  after?.(sim, -1);
  plan.steps.forEach((step, i) => {
    applyStep(sim, step, ids, rulesPerGroup);
    after?.(sim, i);
  });
  return fromSim(sim);
}

/** Rule keys that reach an ENI through its groups (only groups in `sim`, i.e. managed ones, are known). */
export function reachable(sim: SimState, eniId: string): Set<string> {
  const eni = sim.enis.find((e) => e.eniId === eniId);
  const keys = new Set<string>();
  for (const id of eni?.groupIds ?? []) for (const r of sim.groups.find((g) => g.groupId === id)?.ingress ?? []) keys.add(ruleKey(r));
  return keys;
}
