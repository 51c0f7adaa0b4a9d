/**
 * The product's own ingest rules are never a finding, and the three audits say so alike: after
 * `cfguard open-ingest --apply` opens 1935/udp and 1945/tcp from anywhere, `cfguard status`, `cfguard
 * drift` (no config, no --ingest-ports) and the shipped bundle's direct run carry the same exposure
 * findings, none of them an ingest rule; a world-open 8080 is still reported by all three, the same way.
 * With a config, its `ingest.rules` reach the deployed function's INGEST_RULES through the stack.
 */
import { AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { originFlags, runCli, tempDir, writeConfig } from '../support/cli-harness';
import { buildTestStack, configWith, only, synthJson } from '../support/app-fixtures';
import { invoke, loadBundledHandler } from '../support/lambda-harness';
import { startOrigin, type Origin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const FIRST = MANIFEST[0];
const handler = loadBundledHandler();

interface Exposure {
  readonly exposed: readonly { rule: string }[];
  readonly warnings: readonly { rule: string }[];
}

/** The findings, without what only one front end adds (drift's enisAudited): what must be identical. */
const findings = (e: Exposure | undefined) => ({ exposed: e?.exposed, warnings: e?.warnings });
const rules = (list: readonly { rule: string }[] | undefined) => (list ?? []).map((f) => f.rule).sort();

describe('the expected ingest rules are one setting for the Lambda, drift and status', () => {
  let origin: Origin;
  beforeEach(async () => {
    origin = await startOrigin();
  });
  afterEach(() => origin.close());

  /** The three audits of the same state: the Lambda's run line, drift's report, status's document. */
  async function threeAudits(env: Record<string, string | undefined>, cli: { args: string[]; cwd?: string }) {
    const run = await invoke(handler, { source: 'cfguard', action: 'reconcile', url: origin.server.url(FIRST.file) }, origin.env(env));
    expect(run.error).toBeUndefined();
    const drift = await runCli(['drift', '--json', ...cli.args], { cwd: cli.cwd });
    const status = await runCli(['status', '--json', ...cli.args], { cwd: cli.cwd });
    return { lambda: run.result!.exposure as Exposure, drift: drift.json().targets[0].exposure as Exposure, status: status.json().exposure as Exposure, codes: [drift.code, status.code] };
  }

  test('after open-ingest --apply no audit names 1935/udp or 1945/tcp; a world-open 8080 is a warning in all three', async () => {
    const args = [...originFlags(origin), '--ip-ranges', rangesPath(FIRST.file)];
    // GIVEN the managed groups in place (a first run) and the ingest rules opened by the CLI
    await invoke(handler, { source: 'cfguard', action: 'reconcile', url: origin.server.url(FIRST.file) }, origin.env());
    expect((await runCli(['open-ingest', '--apply', ...args])).code).toBe(0);
    const own = origin.emu.group(origin.ownGroupId)!.ingress.map((r) => `${r.fromPort}/${r.protocol} from ${r.source}`);
    expect(own).toEqual(expect.arrayContaining(['1935/udp from 0.0.0.0/0', '1945/tcp from 0.0.0.0/0']));

    // WHEN the three audit THEN one set of findings: the tutorial's world-open 80 (exposure) and 22 (a warning), no ingest rule
    const before = await threeAudits({}, { args });
    expect(findings(before.drift)).toEqual(findings(before.lambda));
    expect(findings(before.status)).toEqual(findings(before.lambda));
    expect(rules(before.lambda.exposed)).toEqual(['80/tcp from 0.0.0.0/0']);
    expect(rules(before.lambda.warnings)).toEqual(['22/tcp from 0.0.0.0/0']);

    // GIVEN somebody opens 8080 to the world on the own group
    await origin.emu
      .client('operator')
      .send(new AuthorizeSecurityGroupIngressCommand({ GroupId: origin.ownGroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    // THEN all three report it, identically, and still no ingest rule
    const after = await threeAudits({}, { args });
    expect(findings(after.drift)).toEqual(findings(after.lambda));
    expect(findings(after.status)).toEqual(findings(after.lambda));
    expect(rules(after.lambda.warnings)).toEqual(['22/tcp from 0.0.0.0/0', '8080/tcp from 0.0.0.0/0']);
    // one verdict (cli/status/verdict): the world-open 80 needs attention, so drift and status both exit 2
    expect(after.codes).toEqual([2, 2]);
  });

  test("a config's ingest.rules reach the function's INGEST_RULES through the stack; status and drift read the same", async () => {
    // GIVEN a config whose ingest is 1935/udp only: the tutorial's 1945/tcp is then not expected
    const config = {
      name: 'streaming-origin',
      region: 'eu-north-1',
      vpcId: origin.vpcId,
      instanceId: origin.instanceId,
      instanceSecurityGroupId: origin.ownGroupId,
      ingest: { rules: [{ port: 1935, protocol: 'udp' }] },
    };
    const { parsed } = synthJson(buildTestStack(configWith(config)));
    const deployed = only(parsed, 'aws_lambda_function').environment.variables.INGEST_RULES;
    expect(deployed).toBe('1935/udp@0.0.0.0/0');
    await origin.emu
      .client('operator')
      .send(new AuthorizeSecurityGroupIngressCommand({ GroupId: origin.ownGroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1945, ToPort: 1945, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const dir = tempDir();
    writeConfig(dir, config);

    // WHEN the three audit THEN 1935/udp is expected everywhere, 1945/tcp (not configured) a warning everywhere
    const audits = await threeAudits(
      { INGEST_RULES: deployed, INSTANCE_SECURITY_GROUP_ID: origin.ownGroupId },
      { args: ['--endpoint-url', origin.emu.endpoint, '--ip-ranges', rangesPath(FIRST.file)], cwd: dir },
    );
    expect(findings(audits.drift)).toEqual(findings(audits.lambda));
    expect(findings(audits.status)).toEqual(findings(audits.lambda));
    expect(rules(audits.lambda.warnings)).toEqual(['1945/tcp from 0.0.0.0/0', '22/tcp from 0.0.0.0/0']);

    // AND --ingest-rules names them for status as the variable does for the function
    const flagged = await runCli(['status', '--json', '--ingest-rules', '1935/udp,1945/tcp', '--endpoint-url', origin.emu.endpoint, '--ip-ranges', rangesPath(FIRST.file)], { cwd: dir });
    expect(rules(flagged.json().exposure.warnings)).toEqual(['22/tcp from 0.0.0.0/0']);
  });
});
