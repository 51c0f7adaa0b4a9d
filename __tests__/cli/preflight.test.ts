/**
 * `cfguard preflight` end to end: the built CLI, the real SDK clients, and the EC2, STS, Service
 * Quotas and Lambda emulators in their wire protocols. Exit 0 ready, 2 findings, 1 error.
 */
import { MANIFEST, rangesPath } from '../../emulator/shared-data';
import { startRecording } from '../../emulator/recorder';
import { runCli, tempDir, writeConfig } from '../support/cli-harness';
import { startAccount, type Account, type AccountOptions } from '../support/account-fixture';

const FILE = rangesPath(MANIFEST[0].file);

async function preflight(opts: AccountOptions, config: (a: Account) => object, args: string[] = ['--json']) {
  const account = await startAccount(opts);
  try {
    const cwd = tempDir();
    writeConfig(cwd, config(account));
    const run = await runCli(['preflight', '--ip-ranges', FILE, '--endpoint-url', account.origin.emu.endpoint, ...args], { cwd, env: account.env });
    return { run, account };
  } finally {
    await account.close();
  }
}

const base = (a: Account, extra: Record<string, unknown> = {}) => ({
  name: 'media',
  region: 'eu-north-1',
  instanceId: a.origin.instanceId,
  instanceSecurityGroupId: a.origin.ownGroupId,
  ...extra,
});

describe('cfguard preflight', () => {
  test('GIVEN default quotas and one own group THEN ready (exit 0), every check reported', async () => {
    const { run, account } = await preflight({}, (a) => base(a));
    expect(run.code).toBe(0);
    const doc = run.json();
    expect(doc).toMatchObject({
      command: 'preflight',
      status: 'ready',
      exitCode: 0,
      account: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/operator' },
      region: { name: 'eu-north-1', optIn: false, status: 'opt-in-not-required' },
      functionRegion: 'eu-north-1',
      originShieldRegion: 'eu-west-2',
      instance: { instanceId: account.origin.instanceId, vpcId: account.origin.vpcId, enis: [{ eniId: account.origin.eniId, groupIds: [account.origin.ownGroupId] }] },
      quotas: { rulesPerGroup: { value: 60, source: 'account' }, groupsPerInterface: { value: 5, source: 'account' }, settings: { rulesPerGroup: 60, groupsPerInterface: 5 } },
      ownGroups: 1,
      lambda: { concurrentExecutions: 1000, unreservedConcurrentExecutions: 1000, reservedConcurrency: null },
      findings: [],
    });
    expect(doc.groupsNeeded).toBe(Math.ceil(doc.rules / 60));
    expect(doc.notes).toEqual([]);
  });

  test('GIVEN a rules setting above the account quota and an interface too full THEN exit 2, each finding names the quota and the value to request', async () => {
    const { run } = await preflight({ quotas: { applied: { 'vpc/L-0EA8095F': 50 } } }, (a) => {
      for (let i = 0; i < 3; i++) {
        const g = a.origin.emu.addSecurityGroup({ vpcId: a.origin.vpcId, name: `extra-${i}` });
        a.origin.emu.addEni({ vpcId: a.origin.vpcId, instanceId: a.origin.instanceId, groupIds: [a.origin.ownGroupId, g] });
      }
      a.origin.emu.addEni({
        vpcId: a.origin.vpcId,
        instanceId: a.origin.instanceId,
        groupIds: [a.origin.ownGroupId, ...[0, 1, 2].map((i) => a.origin.emu.addSecurityGroup({ vpcId: a.origin.vpcId, name: `busy-${i}` }))],
      });
      return base(a, { guard: { services: ['CLOUDFRONT_ORIGIN_FACING', 'CLOUDFRONT'], ports: ['80/tcp', '443/tcp'] } });
    });
    expect(run.code).toBe(2);
    const doc = run.json();
    expect(doc.status).toBe('blocked');
    expect(doc.ownGroups).toBe(4);
    const byCheck = Object.fromEntries(doc.findings.map((f: { check: string }) => [f.check, f]));
    expect(Object.keys(byCheck).sort()).toEqual(['groups-fit', 'rules-per-group']);
    expect(byCheck['rules-per-group']).toMatchObject({ request: { serviceCode: 'vpc', quotaCode: 'L-0EA8095F', current: 50, value: 60 } });
    expect(byCheck['rules-per-group'].message).toContain("guard.rulesPerGroup is 60 but the account's 'Inbound or outbound rules per security group' (vpc L-0EA8095F) is 50");
    const total = 4 + doc.groupsNeeded;
    expect(total).toBeGreaterThan(5);
    expect(byCheck['groups-fit']).toMatchObject({ request: { serviceCode: 'vpc', quotaCode: 'L-2AFB9258', current: 5, value: Math.min(total, 16) } });
    expect(byCheck['groups-fit'].message).toContain(
      `request 'Security groups per network interface' (vpc L-2AFB9258) of ${Math.min(total, 16)} and set guard.groupsPerInterface to ${Math.min(total, 16)}`,
    );
  });

  test('GIVEN a new account (concurrency 10) and a reservation THEN exit 2: the reservation would leave fewer than 10 unreserved', async () => {
    const { run } = await preflight({ lambda: { concurrentExecutions: 10 } }, (a) => base(a, { guard: { reservedConcurrency: 1 } }));
    expect(run.code).toBe(2);
    const [finding] = run.json().findings;
    expect(finding).toMatchObject({ check: 'lambda-concurrency', request: { serviceCode: 'lambda', quotaCode: 'L-B99A9384', current: 10, value: 11 } });
    expect(finding.message).toContain("guard.reservedConcurrency 1 would leave 9 unreserved executions in eu-north-1, below Lambda's minimum of 10");
  });

  test('GIVEN a new account without a reservation (the default) THEN ready, with a note', async () => {
    const { run } = await preflight({ lambda: { concurrentExecutions: 10 } }, (a) => base(a));
    expect(run.code).toBe(0);
    expect(run.json().notes).toEqual(["the account's Lambda concurrency in eu-north-1 is 10 (a new account's): fine without a reservation, which is the default"]);
  });

  test('GIVEN an opt-in region not enabled THEN exit 2 with region-not-enabled, and no read of the disabled region', async () => {
    const recorder = startRecording();
    const { run } = await preflight({}, (a) => base(a, { region: 'eu-south-1' }));
    recorder.stop();
    expect(run.code).toBe(2);
    const doc = run.json();
    expect(doc.region).toEqual({ name: 'eu-south-1', optIn: true, status: 'not-opted-in' });
    expect(doc.findings.map((f: { check: string }) => f.check)).toEqual(['region-not-enabled']);
    expect(recorder.calls.filter((c) => c.region === 'eu-south-1').map((c) => `${c.service}:${c.action}`)).toEqual([]);
  });

  test('GIVEN an enabled opt-in region THEN ready: the function runs in us-east-1, where Lambda concurrency is read', async () => {
    const recorder = startRecording();
    const { run } = await preflight({ ec2: { enabledOptInRegions: ['eu-south-1'] } }, (a) => base(a, { region: 'eu-south-1' }));
    recorder.stop();
    expect(run.code).toBe(0);
    const doc = run.json();
    expect(doc).toMatchObject({ region: { name: 'eu-south-1', optIn: true, status: 'opted-in' }, functionRegion: 'us-east-1', originShieldRegion: 'eu-central-1', findings: [] });
    expect(doc.notes[0]).toContain('eu-south-1 is an opt-in region: SNS does not deliver AmazonIpSpaceChanged there, so the function');
    const signed = recorder.calls.map((c) => `${c.service}:${c.action}@${c.region}`);
    expect(signed).toEqual(
      expect.arrayContaining([
        'sts:GetCallerIdentity@us-east-1',
        'ec2:DescribeRegions@us-east-1',
        'ec2:DescribeInstances@eu-south-1',
        'servicequotas:GetServiceQuota@eu-south-1',
        'lambda:GetAccountSettings@us-east-1',
      ]),
    );
    expect(recorder.calls.every((c) => c.ok)).toBe(true);
  });

  test('GIVEN an opt-in region missing from the Origin Shield table THEN the Origin Shield finding', async () => {
    const { run } = await preflight({ ec2: { enabledOptInRegions: ['eu-central-2'] } }, (a) => base(a, { region: 'eu-central-2' }));
    expect(run.code).toBe(2);
    expect(run.json().findings).toEqual([
      { check: 'origin-shield-region', message: "region eu-central-2 is not in AWS's Origin Shield table: set distribution.originShieldRegion to the Origin Shield region nearest the instance" },
    ]);
  });

  test('GIVEN a caller who may not read Service Quotas THEN the defaults are used and said so', async () => {
    const { run } = await preflight({ quotas: { accessDenied: true } }, (a) => base(a));
    expect(run.code).toBe(0);
    const doc = run.json();
    expect(doc.quotas.rulesPerGroup).toEqual({ value: 60, source: 'default', reason: 'AccessDeniedException' });
    expect(doc.notes[0]).toContain("'Inbound or outbound rules per security group' (vpc L-0EA8095F) could not be read (AccessDeniedException); assumed AWS's default 60");
  });

  test('GIVEN expired credentials THEN exit 1 with one error line', async () => {
    const { run } = await preflight({ sts: { failWith: 'ExpiredToken' } }, (a) => base(a), []);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error AWS_ERROR: GetCallerIdentity failed: ExpiredToken/);
  });

  test('text output: one row per check, the findings, the verdict', async () => {
    const { run } = await preflight({ lambda: { concurrentExecutions: 10 } }, (a) => base(a, { guard: { reservedConcurrency: 1 } }), []);
    expect(run.code).toBe(2);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('CHECK\tVALUE\tRESULT');
    expect(lines[1]).toMatch(/^caller\tarn:aws:iam::123456789012:user\/operator \(account 123456789012\)\tok$/);
    expect(lines.find((l) => l.startsWith('lambda concurrency'))).toBe('lambda concurrency\t10 (10 unreserved), reserve 1\tFIX');
    expect(lines.at(-1)).toBe('Not ready: 1 finding(s) above.');
  });
});
