/**
 * The IAM proof's own checks are not vacuous: a statement that loses an action its command used denies that
 * command's call (the scenario file fails), a statement that grants an action no scenario used fails the
 * run's union check, and a partial run skips the union checks instead of judging them on part of the calls.
 */
import { rmSync } from 'fs';
import { buildGuardPolicy } from '../../constructs/guard-iam';
import type { RecordedCall } from '../../emulator/recorder';
import { proveGuardCalls, proveOperatorCalls, readmePolicy, statementsOf, type OperatorPolicy } from '../support/iam-proof-checks';
import {
  COMMANDS_EXERCISED,
  finishRun,
  GUARD_ACTIONS_EXERCISED,
  guardUnionFindings,
  operatorUnionFindings,
  RUN_ID_VARIABLE,
  runCoverage,
  runDir,
  writeRecord,
  type ScenarioRecord,
} from '../support/iam-proof-union';
import { ACCOUNT } from '../support/iam-requests';
import { CLI_SCENARIOS, GUARD_SCENARIOS } from './scenarios';

const README = readmePolicy();

/** The README policy with one statement's actions changed. */
function edited(sid: string, change: (actions: readonly string[]) => string[]): OperatorPolicy {
  const statement = README.Statement.find((s) => s.Sid === sid);
  if (!statement) throw new Error(`no statement ${sid} in the README policy`);
  return { ...README, Statement: README.Statement.map((s) => (s.Sid === sid ? { ...s, Action: change(s.Action) } : s)) };
}

const describeGroups = (appId: string): RecordedCall => ({ service: 'ec2', action: 'DescribeSecurityGroups', params: {}, region: 'eu-north-1', ok: true, appId });

describe('one scenario file: every call against its command statements', () => {
  test('GIVEN the README policy WHEN cfguard status describes groups THEN nothing is denied and the action is recorded as used', async () => {
    const proof = await proveOperatorCalls([describeGroups('cfguard-status')], README);
    expect(proof).toEqual({ denied: [], used: { status: ['ec2:DescribeSecurityGroups'] } });
  });

  test('GIVEN CfguardStatus without ec2:DescribeSecurityGroups THEN the call is denied, naming the command and the action', async () => {
    const policy = edited('CfguardStatus', (a) => a.filter((x) => x !== 'ec2:DescribeSecurityGroups'));
    const proof = await proveOperatorCalls([describeGroups('cfguard-status')], policy);
    expect(proof.denied).toEqual(['status: DescribeSecurityGroups (ec2:DescribeSecurityGroups on *)']);
  });

  test("GIVEN a command with no statement THEN its call is denied once, naming the Sid it needs; calls that are no cfguard command's are not the operator's", async () => {
    const calls = [describeGroups('cfguard-frobnicate'), describeGroups('cfguard-frobnicate'), describeGroups('actor-attacker')];
    expect((await proveOperatorCalls(calls, README)).denied).toEqual(['frobnicate: no statement CfguardFrobnicate in the README policy']);
  });

  const vpcId = 'vpc-0aaaaaaaaaaaaaaa1';
  const policy = buildGuardPolicy({ partition: 'aws', accountId: ACCOUNT, region: 'eu-north-1', functionName: 'guard', prefixName: 'AUTOUPDATE_CF', vpcId, instanceId: 'i-0aaaaaaaaaaaaaaa1' });
  const authorize = (appId?: string): RecordedCall => ({
    service: 'ec2',
    action: 'AuthorizeSecurityGroupIngress',
    params: { GroupId: 'sg-0aaaaaaaaaaaaaa01' },
    region: 'eu-north-1',
    ok: true,
    ec2: { groups: { 'sg-0aaaaaaaaaaaaaa01': { vpcId, tags: { PREFIX_NAME: 'AUTOUPDATE_CF' } } }, enis: {}, instances: {} },
    ...(appId ? { appId } : {}),
  });

  test("GIVEN the guard's policy THEN its authorize on a managed group is allowed; an actor's call is not the guard's", async () => {
    const proof = await proveGuardCalls([authorize(), authorize('actor-attacker')], () => policy);
    expect(proof.denied).toEqual([]);
    expect(proof.actions).toEqual(['AuthorizeSecurityGroupIngress']);
    expect(proof.requestKeys).toHaveLength(1);
  });

  test("GIVEN the guard's policy without ec2:AuthorizeSecurityGroupIngress THEN the guard's authorize is denied", async () => {
    const without = { ...policy, Statement: policy.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== 'ec2:AuthorizeSecurityGroupIngress') })) };
    const proof = await proveGuardCalls([authorize()], () => without);
    expect(proof.denied).toEqual([expect.stringMatching(/^AuthorizeSecurityGroupIngress on sg-0aaaaaaaaaaaaaa01 \(ec2:AuthorizeSecurityGroupIngress on arn:aws:ec2:.*\): ImplicitlyDenied$/)]);
  });
});

/** A whole run in which each command used exactly what its statements grant, and the guard made each of its calls. */
function fullRun(): ScenarioRecord[] {
  const used = Object.fromEntries(COMMANDS_EXERCISED.map((c) => [c, statementsOf(README, c).flatMap((s) => s.Action)]));
  const files = [...new Set([...GUARD_SCENARIOS, ...CLI_SCENARIOS])];
  return files.map((file, i) => ({
    file,
    complete: true,
    ...(GUARD_SCENARIOS.includes(file)
      ? {
          guard: {
            actions: i === 0 ? [...GUARD_ACTIONS_EXERCISED] : ['DescribeSecurityGroups'],
            ownGroupByArnWrites: i === 0 ? 1 : 0,
            requestKeys: Array.from({ length: 30 }, (_, k) => `${file}-${k}`),
          },
        }
      : {}),
    // The first CLI file uses all of each command's actions; union, not each file, is what must match.
    ...(CLI_SCENARIOS.includes(file) ? { operator: { used: file === CLI_SCENARIOS[0] ? used : { status: ['ec2:DescribeSecurityGroups'] } } } : {}),
  }));
}

describe('the run: union checks over every scenario file', () => {
  test('GIVEN a run whose commands used exactly what their statements grant THEN there is no finding', () => {
    expect(operatorUnionFindings(fullRun(), README)).toEqual([]);
    expect(guardUnionFindings(fullRun())).toEqual([]);
  });

  test('GIVEN a statement granting a write its command never made THEN the finding names the statement and the action', () => {
    const policy = edited('CfguardImport', (a) => [...a, 'ec2:DeleteSecurityGroup']);
    expect(operatorUnionFindings(fullRun(), policy)).toEqual(['statement CfguardImport grants ec2:DeleteSecurityGroup, which cfguard import never called in the scenarios: remove it']);
  });

  test('GIVEN a statement granting a read no command made and no reconciler lookup needs THEN the finding names it; a Describe lookup it never made is allowed', () => {
    const policy = edited('CfguardVerifyOrigin', (a) => [...a, 'ssm:GetParametersByPath', 'ec2:DescribeVpcs']);
    expect(operatorUnionFindings(fullRun(), policy)).toEqual([
      'statement CfguardVerifyOrigin grants ssm:GetParametersByPath, which cfguard verify-origin never read in the scenarios and the reconciler never looks up: remove it',
    ]);
  });

  test('GIVEN a write a command made that its statement lacks THEN the finding names the statement and the action', () => {
    const run = fullRun().map((r) => (r.file === CLI_SCENARIOS[1] ? { ...r, operator: { used: { drift: ['ec2:RevokeSecurityGroupIngress'] } } } : r));
    expect(operatorUnionFindings(run, README)).toEqual(['statement CfguardDrift lacks ec2:RevokeSecurityGroupIngress, which cfguard drift called']);
  });

  test('GIVEN a command no scenario ran, a statement no command owns, and a command the list does not know THEN each is a finding', () => {
    const run = fullRun().map((r) => {
      if (!r.operator) return r;
      const used = Object.fromEntries(Object.entries(r.operator.used).filter(([c]) => c !== 'cleanup'));
      return { ...r, operator: { used: r.file === CLI_SCENARIOS[0] ? { ...used, ranges: ['sts:GetCallerIdentity'] } : used } };
    });
    expect(operatorUnionFindings(run, README)).toEqual([
      'the CLI scenarios ran commands COMMANDS_EXERCISED does not list: ranges; add them there (__tests__/support/iam-proof-union.ts)',
      'no CLI scenario made an AWS call as cfguard cleanup: add its test file to CLI_SCENARIOS (__tests__/iam/scenarios.ts)',
      'statement CfguardCleanup belongs to no command the CLI scenarios ran: remove it, or name it after its command',
      'no statement CfguardRanges for cfguard ranges, which called sts:GetCallerIdentity',
    ]);
  });

  test('GIVEN guard scenarios that never delete a group and simulate few requests THEN each is a finding', () => {
    const run = fullRun().map((r) => (r.guard ? { ...r, guard: { actions: r.guard.actions.filter((a) => a !== 'DeleteSecurityGroup'), ownGroupByArnWrites: 0, requestKeys: ['same'] } } : r));
    expect(guardUnionFindings(run)).toEqual([
      'the guard scenarios never call ec2:DeleteSecurityGroup, so its statement is unproven: add a scenario to GUARD_SCENARIOS (__tests__/iam/scenarios.ts) that makes it',
      'the guard scenarios simulated 1 distinct requests, fewer than 21: are the scenario files recording (__tests__/support/iam-proof.ts)?',
      'no guard ENI write was proved against the own group named by ARN (NameOwnGroupOnInterface): a scenario must set INSTANCE_SECURITY_GROUP_ID',
    ]);
  });

  test('GIVEN one scenario file missing or with a skipped test THEN the coverage names it', () => {
    const run = fullRun();
    expect(runCoverage(run)).toEqual({ missing: [], incomplete: [] });
    expect(runCoverage(run.slice(1))).toEqual({ missing: [run[0].file], incomplete: [] });
    expect(runCoverage(run.map((r, i) => (i === 2 ? { ...r, complete: false } : r)))).toEqual({ missing: [], incomplete: [run[2].file] });
  });
});

describe("the global teardown's verdict on a run's records", () => {
  const saved = process.env[RUN_ID_VARIABLE];
  beforeEach(() => {
    // A run of its own, so this suite's real records are untouched.
    process.env[RUN_ID_VARIABLE] = `unit-${process.pid}-${Date.now()}`;
  });
  afterEach(() => {
    const dir = runDir();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env[RUN_ID_VARIABLE];
    else process.env[RUN_ID_VARIABLE] = saved;
  });

  test('GIVEN every scenario file recorded and a statement with an unused action THEN finishRun throws naming it, and removes the records', () => {
    for (const r of fullRun()) writeRecord(r);
    const policy = edited('CfguardStatus', (a) => [...a, 'ec2:CreateTags']);
    expect(() => finishRun(() => {}, policy)).toThrow(
      'IAM proof over all scenario files:\n  - statement CfguardStatus grants ec2:CreateTags, which cfguard status never called in the scenarios: remove it',
    );
    expect(() => finishRun(() => {}, policy)).not.toThrow();
  });

  test('GIVEN every scenario file recorded and the README policy THEN finishRun passes and says the union checks held', () => {
    for (const r of fullRun()) writeRecord(r);
    const lines: string[] = [];
    finishRun((l) => lines.push(l), README);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^IAM proof: all ${fullRun().length} scenario files ran; `))]);
  });

  test('GIVEN only one scenario file recorded THEN finishRun says the union checks are skipped and does not judge them', () => {
    writeRecord(fullRun()[0]);
    const lines: string[] = [];
    finishRun(
      (l) => lines.push(l),
      edited('CfguardStatus', (a) => [...a, 'ec2:CreateTags']),
    );
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^IAM proof: .*skipped: ${fullRun().length - 1} scenario files did not run$`))]);
  });
});
