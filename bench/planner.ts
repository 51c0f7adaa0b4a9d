/** Planner time against the number of desired rules: it should grow linearly. */
import { planReconcile, type PlannerSettings } from '../lambda-src/core/plan';
import type { ActualState, ManagedGroup, Rule } from '../lambda-src/core/model';
import { median, type BenchRow } from './table';

const cidr = (i: number) => `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`;
const rules = (from: number, n: number): Rule[] => Array.from({ length: n }, (_, i) => ({ protocol: 'tcp', fromPort: 80, toPort: 80, source: cidr(from + i) }));

// Far beyond EC2's quotas on purpose: this measures the algorithm, not a deployable configuration.
const SETTINGS: PlannerSettings = { prefixName: 'BENCH', rulesPerGroup: 1000, groupsPerInterface: 1000, maxRevokeFraction: 1, instanceId: 'i-00000000000000001' };

function half(n: number): ActualState {
  const existing = rules(n / 2, n);
  const groups: ManagedGroup[] = [];
  for (let g = 0; g * 1000 < existing.length; g++) {
    groups.push({ groupId: `sg-${String(g).padStart(17, '0')}`, groupName: `BENCH-${g + 1}`, vpcId: 'vpc-1', ingress: existing.slice(g * 1000, (g + 1) * 1000), egress: [], syncToken: '1' });
  }
  return { vpcId: 'vpc-1', groups, enis: [{ eniId: 'eni-1', instanceId: 'i-00000000000000001', groupIds: groups.map((g) => g.groupId) }] };
}

export async function benchPlanner(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const perRule: number[] = [];
  for (const n of [25_000, 50_000, 100_000, 200_000]) {
    const desired = { syncToken: '2', createDate: '', rules: rules(0, n) };
    const empty: ActualState = { vpcId: 'vpc-1', groups: [], enis: [{ eniId: 'eni-1', instanceId: 'i-00000000000000001', groupIds: [] }] };
    const fromEmpty = await median(5, () => planReconcile({ desired, actual: empty, settings: SETTINGS }));
    const churn = half(n);
    const halfChanged = await median(5, () => planReconcile({ desired, actual: churn, settings: SETTINGS }));
    rows.push({ section: 'planner', case: `${n.toLocaleString('en')} desired rules, from empty`, value: fromEmpty, unit: 'ms', target: n === 100_000 ? 'linear' : undefined });
    rows.push({ section: 'planner', case: `${n.toLocaleString('en')} desired rules, half replaced`, value: halfChanged, unit: 'ms' });
    perRule.push((halfChanged / n) * 1000);
  }
  rows.push({
    section: 'planner',
    case: 'us per rule, 25k vs 200k (half replaced)',
    value: Number((perRule[perRule.length - 1] / perRule[0]).toFixed(2)),
    unit: 'x',
    target: '~1x (linear)',
    note: perRule.map((p) => p.toFixed(2)).join(' / ') + ' us',
  });
  return rows;
}
