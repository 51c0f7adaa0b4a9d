/**
 * The operator's rights: the README's operator policy (one statement per cfguard command) is
 * simulated against every call each command made in the CLI scenarios (re-run here with the
 * emulators recording; calls are attributed by the SDK app id `cfguard-<command>`). Every call is
 * allowed by its command's statement; each statement grants exactly the writes its command made,
 * and no read beyond those made and the reconciler's own Describe lookups.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { GUARD_DESCRIBE_ACTIONS, isReadOnlyAction } from '../../constructs/guard-iam';
import { startRecording } from '../../emulator/recorder';
import { decide, iamRequests } from '../support/iam-requests';
import { CLI_SCENARIOS } from './scenarios';
import { DISTRIBUTION } from '../origin-secret/fixtures';

const recorder = startRecording();
for (const scenario of CLI_SCENARIOS) {
  describe(`scenario ${scenario}`, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(__dirname, '..', scenario));
  });
}

interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string;
}

/** The ```json block of the README's "The operator's rights" section. */
function readmePolicy(): { Version: string; Statement: Statement[] } {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.split(/^### The operator's rights$/m)[1]?.split(/^#{2,3} /m)[0] ?? '';
  const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!json) throw new Error('README: the section "### The operator\'s rights" must hold a ```json policy block');
  return JSON.parse(json);
}

/** `cfguard reconcile` -> `CfguardReconcile`, the statement's Sid. */
const sidOf = (command: string) =>
  `Cfguard${command
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')}`;

/** A command's statements: `CfguardRotateOriginSecret`, and `CfguardRotateOriginSecretOn<Resource>` for another resource type. */
const statementsOf = (policy: { Statement: Statement[] }, command: string) => policy.Statement.filter((s) => new RegExp(`^${sidOf(command)}(On[A-Z][A-Za-z]*)?$`).test(s.Sid));

describe("the README's operator policy", () => {
  afterAll(() => recorder.stop());

  test.each([
    [DISTRIBUTION, 'Allowed'],
    ['E2OTHERDISTRIB', 'ImplicitlyDenied'],
  ])("rotate-origin-secret's CloudFront reads on distribution %s: %s", async (id, expected) => {
    const policy = { Version: '2012-10-17', Statement: statementsOf(readmePolicy(), 'rotate-origin-secret') };
    for (const action of ['GetDistributionConfig', 'GetDistribution']) {
      const [request] = iamRequests({ service: 'cloudfront', action, params: { Id: id }, ok: true });
      expect([action, await decide(policy, request, 'arn:aws:iam::123456789012:user/operator')]).toEqual([action, expected]);
    }
    // Nothing else in CloudFront: not the write a deploy makes, not another distribution's reads.
    const [update] = iamRequests({ service: 'cloudfront', action: 'UpdateDistribution', params: { Id: DISTRIBUTION }, ok: true });
    expect(await decide(policy, update, 'arn:aws:iam::123456789012:user/operator')).toBe('ImplicitlyDenied');
  });

  test('allows every call each command made, and grants each command exactly the actions it used', async () => {
    const byCommand = new Map<string, Set<string>>();
    const denied: string[] = [];
    const seen = new Set<string>();
    for (const call of recorder.calls) {
      const command = /^cfguard-([a-z-]+)$/.exec(call.appId ?? '')?.[1];
      if (command) for (const r of iamRequests(call)) (byCommand.get(command) ?? byCommand.set(command, new Set()).get(command)!).add(r.action);
    }
    const policy = readmePolicy();
    for (const call of recorder.calls) {
      const command = /^cfguard-([a-z-]+)$/.exec(call.appId ?? '')?.[1];
      if (!command) continue;
      const statements = statementsOf(policy, command);
      if (statements.length === 0) {
        denied.push(`${command}: no statement ${sidOf(command)} in the README policy`);
        continue;
      }
      const commandPolicy = { Version: '2012-10-17', Statement: statements };
      for (const request of iamRequests(call)) {
        const key = JSON.stringify([command, request.action, request.resource, request.context]);
        if (seen.has(key)) continue;
        seen.add(key);
        if ((await decide(commandPolicy, request, 'arn:aws:iam::123456789012:user/operator')) !== 'Allowed') denied.push(`${command}: ${request.why} (${request.action} on ${request.resource})`);
      }
    }
    expect(denied).toEqual([]);
    expect([...byCommand.keys()].sort()).toEqual(['cleanup', 'drift', 'import', 'open-ingest', 'preflight', 'reconcile', 'rotate-origin-secret', 'status', 'verify-origin']);
    // Writes exactly as used; reads as used plus the reconciler's lookups another configuration makes.
    const writes = (actions: Iterable<string>) => [...actions].filter((a) => !isReadOnlyAction(a)).sort();
    expect(policy.Statement.filter((s) => ![...byCommand.keys()].some((c) => statementsOf(policy, c).includes(s))).map((s) => s.Sid)).toEqual([]);
    for (const [command, actions] of byCommand) {
      const statement = statementsOf(policy, command).flatMap((s) => s.Action);
      expect([command, writes(statement)]).toEqual([command, writes(actions)]);
      const extraReads = statement.filter((a) => isReadOnlyAction(a) && !actions.has(a));
      expect([command, extraReads.filter((a) => !(GUARD_DESCRIBE_ACTIONS as readonly string[]).includes(a))]).toEqual([command, []]);
    }
  });
});
