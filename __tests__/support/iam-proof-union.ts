/**
 * The IAM proof's checks that need every scenario file: each scenario file leaves a record of what its
 * calls used (iam-proof.ts), and the global teardown runs these over all the records of the run, only
 * when every scenario file ran. The checks are pure functions of the records and the policy.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import path from 'path';
import { GUARD_DESCRIBE_ACTIONS, isReadOnlyAction } from '../../constructs/guard-iam';
import { CLI_SCENARIOS, GUARD_SCENARIOS } from '../iam/scenarios';
import { readmePolicy, sidOf, statementsOf, type OperatorPolicy } from './iam-proof-checks';

/** What one scenario file's calls used; written by its own run. */
export interface ScenarioRecord {
  /** Relative to __tests__/, without `.ts`: `cli/status.test`. */
  readonly file: string;
  /** Every test of the file ran and passed: none skipped (`-t`, `.only`), none failed. */
  readonly complete: boolean;
  readonly guard?: { readonly actions: readonly string[]; readonly requestKeys: readonly string[] };
  readonly operator?: { readonly used: Readonly<Record<string, readonly string[]>> };
}

/** The writes the guard makes and its one read: a scenario set that never makes one of them proves nothing about it. */
export const GUARD_ACTIONS_EXERCISED = [
  'CreateSecurityGroup',
  'AuthorizeSecurityGroupIngress',
  'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress',
  'ModifyNetworkInterfaceAttribute',
  'DeleteSecurityGroup',
  'CreateTags',
  'DescribeSecurityGroups',
] as const;

/** Fewer distinct guard requests than this and the scenarios are not exercising the policy. */
export const GUARD_MIN_REQUESTS = 21;

/** The commands the CLI scenarios must exercise: every one that calls AWS (`ranges` and `test-event` call none). */
export const COMMANDS_EXERCISED = ['cleanup', 'drift', 'import', 'open-ingest', 'preflight', 'reconcile', 'rotate-origin-secret', 'status', 'verify-origin'] as const;

/** The union over the guard scenario files: every guard action exercised, and enough distinct requests simulated. */
export function guardUnionFindings(records: readonly ScenarioRecord[]): string[] {
  const guard = records.filter((r) => GUARD_SCENARIOS.includes(r.file) && r.guard);
  const actions = new Set(guard.flatMap((r) => r.guard!.actions));
  const requests = new Set(guard.flatMap((r) => r.guard!.requestKeys));
  const findings = GUARD_ACTIONS_EXERCISED.filter((a) => !actions.has(a)).map(
    (a) => `the guard scenarios never call ec2:${a}, so its statement is unproven: add a scenario to GUARD_SCENARIOS (__tests__/iam/scenarios.ts) that makes it`,
  );
  if (requests.size < GUARD_MIN_REQUESTS)
    findings.push(`the guard scenarios simulated ${requests.size} distinct requests, fewer than ${GUARD_MIN_REQUESTS}: are the scenario files recording (__tests__/support/iam-proof.ts)?`);
  return findings;
}

const writes = (actions: Iterable<string>) => [...new Set(actions)].filter((a) => !isReadOnlyAction(a)).sort();

/**
 * The union over the CLI scenario files against the README policy: every command exercised, every statement
 * some command's, and each command's statements granting exactly the writes it made and no read beyond
 * those it made and the reconciler's Describe lookups another configuration makes.
 */
export function operatorUnionFindings(records: readonly ScenarioRecord[], policy: OperatorPolicy): string[] {
  const used = new Map<string, Set<string>>();
  for (const r of records.filter((x) => CLI_SCENARIOS.includes(x.file)))
    for (const [command, actions] of Object.entries(r.operator?.used ?? {})) {
      const all = used.get(command) ?? used.set(command, new Set()).get(command)!;
      for (const a of actions) all.add(a);
    }
  const findings: string[] = [];
  const commands = [...used.keys()].sort();
  const unexpected = commands.filter((c) => !(COMMANDS_EXERCISED as readonly string[]).includes(c));
  const unexercised = COMMANDS_EXERCISED.filter((c) => !used.has(c));
  if (unexpected.length > 0) findings.push(`the CLI scenarios ran commands COMMANDS_EXERCISED does not list: ${unexpected.join(', ')}; add them there (__tests__/support/iam-proof-union.ts)`);
  if (unexercised.length > 0)
    findings.push(`no CLI scenario made an AWS call as ${unexercised.map((c) => `cfguard ${c}`).join(', ')}: add its test file to CLI_SCENARIOS (__tests__/iam/scenarios.ts)`);
  const owned = new Set(commands.flatMap((c) => statementsOf(policy, c)));
  for (const s of policy.Statement.filter((x) => !owned.has(x))) findings.push(`statement ${s.Sid} belongs to no command the CLI scenarios ran: remove it, or name it after its command`);
  for (const [command, actions] of used) {
    const statements = statementsOf(policy, command);
    if (statements.length === 0) {
      findings.push(`no statement ${sidOf(command)} for cfguard ${command}, which called ${[...actions].sort().join(', ')}`);
      continue;
    }
    const granted = statements.flatMap((s) => s.Action);
    const sids = statements.map((s) => s.Sid).join('/');
    const missing = writes(actions).filter((a) => !granted.includes(a));
    const unusedWrites = writes(granted).filter((a) => !actions.has(a));
    const unusedReads = [...new Set(granted)].filter((a) => isReadOnlyAction(a) && !actions.has(a) && !(GUARD_DESCRIBE_ACTIONS as readonly string[]).includes(a));
    if (missing.length > 0) findings.push(`statement ${sids} lacks ${missing.join(', ')}, which cfguard ${command} called`);
    if (unusedWrites.length > 0) findings.push(`statement ${sids} grants ${unusedWrites.join(', ')}, which cfguard ${command} never called in the scenarios: remove it`);
    if (unusedReads.length > 0) findings.push(`statement ${sids} grants ${unusedReads.join(', ')}, which cfguard ${command} never read in the scenarios and the reconciler never looks up: remove it`);
  }
  return findings;
}

/** Which scenario files this run proved, and whether all of them ran whole: only then do the union checks hold. */
export function runCoverage(records: readonly ScenarioRecord[]): { readonly missing: string[]; readonly incomplete: string[] } {
  const ran = new Set(records.map((r) => r.file));
  const all = [...new Set([...GUARD_SCENARIOS, ...CLI_SCENARIOS])].sort();
  return { missing: all.filter((f) => !ran.has(f)), incomplete: records.filter((r) => !r.complete).map((r) => r.file) };
}

/** The variable global setup sets to this run's id; not CFGUARD_*, which the CLI refuses when unknown. */
export const RUN_ID_VARIABLE = 'JEST_IAM_PROOF_RUN_OF_CFGUARD';

/** Outside TMPDIR, which the suite checks is empty at the end. */
export const RECORDS_ROOT = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'cfguard-iam');

/** This run's records folder, or undefined outside a run of this repository's jest (no global setup). */
export function runDir(): string | undefined {
  const id = process.env[RUN_ID_VARIABLE];
  return id ? path.join(RECORDS_ROOT, `run-${id}`) : undefined;
}

export function writeRecord(record: ScenarioRecord): void {
  const dir = runDir();
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${record.file.replace(/[/\\]/g, '__')}.json`), JSON.stringify(record));
}

export function readRecords(dir: string): ScenarioRecord[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.json')).map((n) => JSON.parse(readFileSync(path.join(dir, n), 'utf8')) as ScenarioRecord);
}

/** Global setup: a fresh run id; records of runs that died more than a day ago go. */
export function startRun(): void {
  process.env[RUN_ID_VARIABLE] = `${Date.now()}-${process.pid}`;
  let old: string[] = [];
  try {
    old = readdirSync(RECORDS_ROOT);
  } catch {
    return;
  }
  for (const name of old) {
    const dir = path.join(RECORDS_ROOT, name);
    if (Date.now() - statSync(dir).mtimeMs > 24 * 3600 * 1000) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Global teardown: the union checks over this run's records, when every scenario file ran whole; a partial
 * run says so in one line. Throws, failing jest, naming each finding.
 */
export function finishRun(log: (line: string) => void = (line) => console.log(line), policy?: OperatorPolicy): void {
  const dir = runDir();
  if (!dir) return;
  const records = readRecords(dir);
  rmSync(dir, { recursive: true, force: true });
  if (records.length === 0) return;
  const { missing, incomplete } = runCoverage(records);
  if (missing.length > 0 || incomplete.length > 0) {
    const why = [missing.length > 0 ? `${missing.length} scenario files did not run` : '', incomplete.length > 0 ? `not every test ran and passed in ${incomplete.join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    log(`IAM proof: each scenario file's calls were proved; the union checks (every statement's actions used) need every scenario file, skipped: ${why}`);
    return;
  }
  const findings = [...guardUnionFindings(records), ...operatorUnionFindings(records, policy ?? readmePolicy())];
  if (findings.length > 0) throw new Error(`IAM proof over all scenario files:\n${findings.map((f) => `  - ${f}`).join('\n')}`);
  log(`IAM proof: all ${records.length} scenario files ran; each operator statement grants exactly its command's actions, and the guard's calls cover its policy`);
}
