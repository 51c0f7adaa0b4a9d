/**
 * stateVerdict (cli/status/verdict): the one "does this state need action" for drift and status,
 * from the assessment and the ingest checks. A table of states: each row's verdict and exit code,
 * and that drift's status (compareDrift calls the same function) says the same.
 */
import { compareDrift } from '../../cli/drift/compare';
import { ingestCheck, type IngestInput } from '../../cli/ingest/check';
import { Output } from '../../cli/output';
import { renderStatus } from '../../cli/render/status';
import { statusReport } from '../../cli/status/report';
import { stateVerdict, type StateVerdict } from '../../cli/status/verdict';
import type { InstanceView } from '../../lambda-src/core/assessment';
import type { ActualState, DesiredState, Rule } from '../../lambda-src/core/model';
import { assessForPlan, planReconcile, type PlanInput } from '../../lambda-src/core/plan';
import { actual, desired, eni, group, INSTANCE, OWN_GROUP, PREFIX, settings, tcp, v4 } from '../support/builders';

const PORTS = [{ protocol: 'tcp' as const, fromPort: 80, toPort: 80 }];
const NOW = 2_000_000_000_000;
const INGEST: Rule[] = [{ protocol: 'udp', fromPort: 1935, toPort: 1935, source: '0.0.0.0/0' }];
const WORLD_80 = tcp(80, '0.0.0.0/0');

interface Row {
  readonly state: ActualState;
  readonly want: DesiredState;
  /** The own group's ingress (on the instance's interface). */
  readonly own?: readonly Rule[];
  /** Expected ingest rules; none: no ingest check. */
  readonly ingest?: readonly Rule[];
  readonly protectedGroupIds?: readonly string[];
}

const applied = (rules: Rule[], extra = {}) => group(1, rules, { syncToken: '2000000000', ...extra });
const inSync: Pick<Row, 'state' | 'want'> = { state: actual([applied([tcp(80, v4(1))])]), want: desired([tcp(80, v4(1))], '2000000000') };
const newer: Pick<Row, 'state' | 'want'> = { state: inSync.state, want: desired([tcp(80, v4(1)), tcp(80, v4(2))], '2000000060') };
const older: Pick<Row, 'state' | 'want'> = { state: inSync.state, want: desired([tcp(80, v4(2))], '1999999999') };
// Two half-empty groups holding exactly the document: in sync, but the plan compacts them into one.
const twoSparse = actual([group(1, [tcp(80, v4(1))], { syncToken: '2000000000' }), group(2, [tcp(80, v4(2))], { syncToken: '2000000000' })]);

function verdictOf(row: Row) {
  const input: PlanInput = { desired: row.want, actual: row.state, settings: settings({ ports: PORTS }), protectedGroupIds: row.protectedGroupIds, now: NOW };
  const groups = [...row.state.groups, { groupId: OWN_GROUP, groupName: 'media-server', ingress: row.own ?? [] }];
  const instance: InstanceView = { enis: row.state.enis.filter((e) => e.instanceId === INSTANCE), groups: groups.map((g) => ({ groupId: g.groupId, groupName: g.groupName, ingress: g.ingress })) };
  const assessment = assessForPlan(input, { expectedIngest: row.ingest ?? [], instance });
  const plan = planReconcile(input, assessment);
  const ingestInput: IngestInput | undefined = row.ingest ? { groupIds: [OWN_GROUP], present: row.own ?? [], expected: row.ingest } : undefined;
  const checks = ingestInput ? [ingestCheck(ingestInput)] : undefined;
  const verdict = stateVerdict({ assessment, ...(checks ? { ingest: checks } : {}) });
  const drift = compareDrift({
    actual: row.state,
    desired: row.want,
    ports: PORTS,
    prefixName: PREFIX,
    instanceId: INSTANCE,
    protectedGroupIds: row.protectedGroupIds,
    now: NOW,
    expectedIngest: row.ingest ?? [],
    instance,
    ...(ingestInput ? { ingest: ingestInput } : {}),
  });
  const status = statusReport({ actual: row.state, assessment, plan, ports: PORTS, prefixName: PREFIX, instanceId: INSTANCE, ...(checks ? { ingest: checks } : {}) });
  return { verdict, drift, status, plan };
}

const ownTagged = { ...group(7, [tcp(22, '198.51.100.0/24')]), groupId: OWN_GROUP, groupName: 'media-server' };

describe('stateVerdict: one verdict for drift and status', () => {
  test.each<[string, StateVerdict, 0 | 2, Row]>([
    ['in sync', 'in-sync', 0, inSync],
    ['in sync, the ingest rule present', 'in-sync', 0, { ...inSync, own: INGEST, ingest: INGEST }],
    ['a newer document (a plan pending)', 'pending', 2, newer],
    ['a newer document and a world-open 80 (pending wins)', 'pending', 2, { ...newer, own: [WORLD_80] }],
    [
      'the own group tagged PREFIX_NAME (refused)',
      'pending',
      2,
      { state: actual([applied([tcp(80, v4(1))]), ownTagged], [eni(1, [OWN_GROUP, group(1, []).groupId])]), want: inSync.want, protectedGroupIds: [OWN_GROUP] },
    ],
    ['a world-open 80 on the own group', 'attention', 2, { ...inSync, own: [WORLD_80] }],
    ['a world-open 80 in a managed group', 'pending', 2, { state: actual([applied([tcp(80, v4(1)), WORLD_80])]), want: inSync.want }],
    ['a missing ingest rule', 'attention', 2, { ...inSync, ingest: INGEST }],
    ['a stale document', 'stale', 0, older],
    ['a stale document and a missing ingest rule', 'attention', 2, { ...older, ingest: INGEST }],
    ['a stale document and a world-open 80 on the own group', 'attention', 2, { ...older, own: [WORLD_80] }],
    ['a group token more than a day ahead, rules in sync', 'in-sync', 0, { state: actual([applied([tcp(80, v4(1))], { syncToken: '2999999999' })]), want: inSync.want }],
  ])('GIVEN %s THEN %s, exit %d, for status and drift alike', (_name, expected, exitCode, row) => {
    const { verdict, drift, status } = verdictOf(row);
    expect(verdict).toEqual({ verdict: expected, needsAction: exitCode === 2, exitCode });
    expect({ status: status.status, exitCode: status.exitCode }).toEqual({ status: expected, exitCode });
    expect(drift.status).toBe(exitCode === 2 ? 'drift' : expected);
  });

  test('GIVEN a compaction pending (the rules fit in fewer groups) THEN it is in sync: it changes no access, as drift has always said; the plan still shows it', () => {
    const { verdict, drift, status, plan } = verdictOf({ state: twoSparse, want: desired([tcp(80, v4(1)), tcp(80, v4(2))], '2000000000') });
    expect(plan.compaction?.groupsDeleted).toHaveLength(1);
    expect(verdict).toEqual({ verdict: 'in-sync', needsAction: false, exitCode: 0 });
    expect(drift.status).toBe('in-sync');
    expect(status.pending.outcome).toBe('planned');
    // the text says so: in sync, and the compaction named as one
    let text = '';
    const io = { stdout: { write: (t: string) => (text += t) !== undefined }, stderr: { write: () => true }, cwd: '.', env: {} };
    renderStatus(new Output(io, { json: false, debug: false }), status);
    expect(text).toMatch(/: IN SYNC; 2 managed groups\n/);
    expect(text).toMatch(/^Plan: a compaction, which changes no access: \d+ steps \(.*1 group to delete.*\)\. 'cfguard reconcile' shows it, --apply makes it\.$/m);
  });

  test('GIVEN a missing ingest rule THEN status carries the ingest check in drift’s shape', () => {
    const { drift, status } = verdictOf({ ...inSync, own: [tcp(22, '198.51.100.0/24')], ingest: INGEST });
    expect(status.ingest).toEqual({
      groupIds: [OWN_GROUP],
      expected: [expect.objectContaining({ rule: '1935/udp from 0.0.0.0/0' })],
      missing: [expect.objectContaining({ rule: '1935/udp from 0.0.0.0/0' })],
    });
    expect(status.ingest).toEqual(drift.ingest);
    expect(status.ingestByOrigin).toBeUndefined();
  });
});
