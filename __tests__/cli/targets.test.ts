/**
 * GIVEN two accounts (two EC2 emulators): one reconciled, one untouched
 * WHEN `cfguard drift --targets FILE` checks both, each with its own endpoint, region and profile
 * THEN one combined report names each target's state, and the exit code is the worst of them.
 */
import { writeFileSync } from 'fs';
import path from 'path';
import { originFlags, runCli, tempDir } from '../support/cli-harness';
import { closeWorldOpenOriginPort, startOrigin, type Origin } from '../support/origin-fixture';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const FILE = rangesPath(MANIFEST[0].file);

describe('cfguard drift --targets', () => {
  let a: Origin;
  let b: Origin;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    a = await startOrigin();
    b = await startOrigin();
    // the exposure audit has its own tests (exposure.test.ts): here drift is about the managed groups
    await closeWorldOpenOriginPort(a);
    await closeWorldOpenOriginPort(b);
    expect((await runCli(['reconcile', '--apply', ...originFlags(a), '--ip-ranges', FILE])).code).toBe(0);
    dir = tempDir();
    // Profiles come from these files only, never from the machine's ~/.aws.
    writeFileSync(path.join(dir, 'credentials'), '[acct-b]\naws_access_key_id = AKIDACCOUNTB0000000\naws_secret_access_key = account-b-secret\n');
    writeFileSync(path.join(dir, 'config'), '');
    env = { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config') };
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const writeTargets = (targets: object[]) => {
    const file = path.join(dir, `targets-${targets.length}.json`);
    writeFileSync(file, JSON.stringify(targets));
    return file;
  };
  const target = (name: string, o: Origin, extra: object = {}) => ({ name, region: 'eu-north-1', vpcId: o.vpcId, instanceId: o.instanceId, endpointUrl: o.emu.endpoint, ...extra });

  test('one in sync and one drifted: exit 2, one report with both, in file order', async () => {
    const targets = writeTargets([target('prod-a', a), target('prod-b', b, { region: 'eu-west-1', profile: 'acct-b' })]);
    const run = await runCli(['drift', '--json', '--targets', targets, '--ip-ranges', FILE], { env });
    expect(run.code).toBe(2);
    const doc = run.json();
    expect(Object.keys(doc)).toEqual(['command', 'status', 'exitCode', 'document', 'summary', 'targets']);
    expect(doc).toMatchObject({ command: 'drift', status: 'drift', exitCode: 2, summary: { targets: 2, inSync: 1, drift: 1, error: 0 } });
    const [first, second] = doc.targets;
    expect(first).toMatchObject({ name: 'prod-a', region: 'eu-north-1', instanceId: a.instanceId, status: 'in-sync', missing: [], extra: [], interfaces: [] });
    expect(second).toMatchObject({
      name: 'prod-b',
      region: 'eu-west-1',
      instanceId: b.instanceId,
      status: 'drift',
      managedGroups: [],
      rulesInPlace: 0,
      rulesExpected: MANIFEST[0].CLOUDFRONT_ORIGIN_FACING.v4,
    });
    expect(second.missing).toHaveLength(MANIFEST[0].CLOUDFRONT_ORIGIN_FACING.v4);
    expect(run.stderr).toMatch(/\[2\/2\] prod-[ab]: (in-sync|drift)/);
  });

  test('a failing target is reported as an error without hiding the others: exit 1', async () => {
    const targets = writeTargets([target('prod-a', a), target('gone', b, { instanceId: 'i-0000000000000dead' }), target('no-profile', b, { profile: 'nobody' })]);
    const run = await runCli(['drift', '--json', '--concurrency', '1', '--targets', targets, '--ip-ranges', FILE], { env });
    expect(run.code).toBe(1);
    const doc = run.json();
    expect(doc).toMatchObject({ status: 'error', exitCode: 1, summary: { targets: 3, inSync: 1, drift: 0, error: 2 } });
    expect(doc.targets[0]).toMatchObject({ name: 'prod-a', status: 'in-sync' });
    expect(doc.targets[1]).toEqual({
      name: 'gone',
      region: 'eu-north-1',
      instanceId: 'i-0000000000000dead',
      status: 'error',
      error: expect.objectContaining({ code: 'INSTANCE_NOT_FOUND', kind: 'usage' }),
    });
    expect(doc.targets[2]).toMatchObject({
      name: 'no-profile',
      status: 'error',
      error: {
        code: 'CREDENTIALS_MISSING',
        kind: 'usage',
        message: expect.stringMatching(/profile 'nobody' \(named by the 'no-profile' entry of --targets: .*\); check that 'nobody' is spelt as in ~\/\.aws\/config/),
      },
    });
    // The run's failure is top-level too, and one error line on stderr names the first and counts the rest.
    expect(doc.error).toMatchObject({ code: 'INSTANCE_NOT_FOUND', message: expect.stringMatching(/^2 of 3 targets failed; gone: .*\(and 1 more: no-profile; --json lists each\)$/) });
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error '));
    expect(errors).toEqual([expect.stringMatching(/^error INSTANCE_NOT_FOUND: 2 of 3 targets failed; gone: /)]);
  });

  test('text mode prints a headline per target and a summary line', async () => {
    const targets = writeTargets([target('prod-a', a), target('prod-b', b)]);
    const run = await runCli(['drift', '--targets', targets, '--ip-ranges', FILE], { env });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^prod-a \(eu-north-1, vpc-[0-9a-f]+\): IN SYNC; 1 managed group, 45\/45 rules in place/m);
    expect(run.stdout).toMatch(/^prod-b \(eu-north-1, vpc-[0-9a-f]+\): DRIFT; 0 managed groups, 0\/45 rules in place/m);
    expect(run.stdout).toMatch(/^2 targets: 1 in sync, 1 drifted, 0 failed\.$/m);
    // prod-b was never deployed: one finding, not a "missing" row per published range.
    expect(run.stdout).toMatch(/^not deployed\tvpc-[0-9a-f]+\t45 rules\tno managed group here: deploy the stack or run 'cfguard reconcile --apply'$/m);
    expect(run.stdout).not.toMatch(/^missing\t/m);
  });

  test('a malformed targets file is one CONFIG_INVALID naming the entry and key', async () => {
    const targets = writeTargets([target('prod-a', a), { name: 'prod-a', region: 'eu-north-1', acount: '1' }]);
    const run = await runCli(['drift', '--targets', targets, '--ip-ranges', FILE], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error CONFIG_INVALID: .*targets-2\.json: '\[1\]\.acount' must be absent \(known keys: name, region, vpcId, instanceId, profile, roleArn, endpointUrl, prefixName\)/);
    const badRegion = writeTargets([target('prod-a', a, { region: 'Stockholm' })]);
    const region = await runCli(['drift', '--targets', path.basename(badRegion), '--ip-ranges', FILE], { env, cwd: dir });
    expect(region.code).toBe(1);
    expect(region.stderr).toMatch(/^error CONFIG_INVALID: 'targets-1\.json: \[0\]\.region' must be an AWS region like 'eu-north-1', got "Stockholm"/);
  });
});
