/**
 * Errors in the CLI's own words: GIVEN a setup mistake an operator makes (a role that cannot be
 * assumed, a document URL that does not answer, drift with nothing to check the attachment against)
 * WHEN the built CLI runs
 * THEN it exits 1 with one `error CODE:` line naming the cause and the fix, and nothing on stdout.
 */
import { writeFileSync } from 'fs';
import path from 'path';
import { runCli, tempDir, type CliRun } from '../support/cli-harness';
import { managedGroups, startOrigin, writes, type Origin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';
import { refusingPort } from '../support/tcp-listeners';

const FILE = rangesPath(MANIFEST[0].file);
const credentials = { AWS_ACCESS_KEY_ID: 'AKIDWORDS', AWS_SECRET_ACCESS_KEY: 'words' };

function oneError(run: CliRun): string {
  expect(run.code).toBe(1);
  const lines = run.stderr.split('\n').filter((l) => l.startsWith('error '));
  expect(lines).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe("errors in the CLI's own words", () => {
  let origin: Origin;
  beforeAll(async () => {
    origin = await startOrigin();
  });
  afterAll(() => origin.close());

  test('a roleArn that cannot be assumed is ASSUME_ROLE_FAILED naming the role and the fix, not "DescribeVpcs failed … sts"', async () => {
    const targets = path.join(tempDir(), 'targets.json');
    const roleArn = 'arn:aws:iam::123456789012:role/cfguard-read';
    writeFileSync(targets, JSON.stringify([{ name: 'eu-prod', region: 'eu-north-1', vpcId: origin.vpcId, instanceId: origin.instanceId, roleArn, endpointUrl: origin.emu.endpoint }]));
    // STS at a loopback port where nothing listens: the assume-role call fails as a real unreachable STS does.
    const run = await runCli(['drift', '--targets', targets, '--ip-ranges', FILE], { env: { ...credentials, AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${await refusingPort()}` } });
    const line = oneError(run);
    expect(line).toMatch(
      new RegExp(
        `^error ASSUME_ROLE_FAILED: 1 of 1 targets failed; eu-prod: cannot assume role ${roleArn} \\(.*ECONNREFUSED.*\\); check that the role exists, that its trust policy allows your credentials \\(--profile\\) to assume it, and that STS is reachable$`,
      ),
    );
    expect(line).not.toMatch(/DescribeVpcs|DescribeSecurityGroups/);
    expect(origin.emu.calls).toEqual([]);
  });

  test('a document URL that does not answer is FETCH_FAILED with the CLI\'s fix, not "the next notification"', async () => {
    const url = `http://127.0.0.1:${await refusingPort()}/ip-ranges.json`;
    const run = await runCli(['ranges', '--ip-ranges', url]);
    const line = oneError(run);
    expect(line).toMatch(new RegExp(`^error FETCH_FAILED: GET ${url} .*; check the network \\(proxy, firewall\\) and run again, or download the document and pass --ip-ranges FILE$`));
    expect(line).not.toMatch(/notification|daily run/);
    expect(run.stdout).toBe('');
  });

  test('drift of detached groups with no instance set is INSTANCE_REQUIRED (exit 1), never a green; with the instance it is drift', async () => {
    const flags = ['--endpoint-url', origin.emu.endpoint, '--region', 'eu-north-1', '--vpc-id', origin.vpcId, '--ip-ranges', FILE];
    // Reconciled without an instance: the group exists and holds every rule, but protects nothing.
    expect((await runCli(['reconcile', '--apply', ...flags], { env: credentials })).code).toBe(0);
    const [group] = managedGroups(origin.emu);
    expect(origin.emu.eni(origin.eniId)!.groupIds).not.toContain(group.groupId);
    origin.emu.resetCalls();

    const run = await runCli(['drift', ...flags], { env: credentials });
    const line = oneError(run);
    expect(line).toMatch(
      new RegExp(
        `^error INSTANCE_REQUIRED: no network interface carries the 1 managed group\\(s\\) in ${origin.vpcId} and no instance is set, so drift cannot check the attachment; pass --instance-id i-…`,
      ),
    );
    expect(run.stdout).toBe('');
    const json = await runCli(['drift', '--json', ...flags], { env: credentials });
    expect(json.code).toBe(1);
    expect(json.json()).toMatchObject({ command: 'drift', status: 'error', exitCode: 1, error: { code: 'INSTANCE_REQUIRED' } });

    const withInstance = await runCli(['drift', '--json', ...flags, '--instance-id', origin.instanceId], { env: credentials });
    expect(withInstance.code).toBe(2);
    expect(withInstance.json().targets[0].interfaces).toEqual([expect.objectContaining({ eniId: origin.eniId, missingGroups: [group.groupId] })]);
    expect(writes(origin.emu)).toEqual([]);
  });
});
