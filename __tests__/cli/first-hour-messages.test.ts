/**
 * What a new user sees in the first hour, end to end through the built CLI: table headers that stay
 * when piped, `import` saying what it recorded (and refusing a malformed distribution id before any
 * AWS call), and credential errors that name the profile that failed, without the SDK's own warning.
 */
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { startEc2Emulator, type Ec2Emulator } from '../../emulator/ec2';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';
import { runCli, writeConfig } from '../support/cli-harness';
import { refusingPort } from '../support/tcp-listeners';
import { mkdtempSync } from 'fs';

const FILE = rangesPath(MANIFEST[0].file);
let scratch: string;
/** A fresh folder under this file's scratch space, removed after all. */
const folder = (name: string) => {
  const dir = path.join(scratch, name);
  mkdirSync(dir);
  return dir;
};
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'cfguard-first-hour-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('table headers when piped', () => {
  test('cfguard ranges | cat keeps the SERVICE/IPV4/IPV6 header, tab-separated', async () => {
    const run = await runCli(['ranges', '--ip-ranges', FILE, '--region', 'eu-north-1'], { cwd: folder('ranges') });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const header = lines.indexOf('SERVICE\tIPV4\tIPV6');
    expect(header).toBe(1);
    expect(lines[header + 1]).toMatch(/^CLOUDFRONT_ORIGIN_FACING\t\d+\t\d+$/);
  });

  test('--no-header drops it, for cut and awk', async () => {
    const run = await runCli(['ranges', '--no-header', '--ip-ranges', FILE, '--region', 'eu-north-1'], { cwd: folder('ranges-no-header') });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('SERVICE\tIPV4\tIPV6');
    expect(run.stdout.split('\n')[1]).toMatch(/^CLOUDFRONT_ORIGIN_FACING\t\d+\t\d+$/);
  });
});

describe('cfguard import says what it recorded', () => {
  let emu: Ec2Emulator;
  beforeAll(async () => {
    emu = await startEc2Emulator();
  });
  afterAll(() => emu.close());

  test('GIVEN only a distribution to record THEN "(1 entry)", and the text report names the distribution and its construct path', async () => {
    const vpcId = emu.addVpc({ isDefault: true });
    const own = emu.addSecurityGroup({ vpcId, name: 'media-server' });
    const { instanceId } = emu.addInstance({ vpcId, groupIds: [own] });
    const dir = folder('import');
    writeConfig(dir, { name: 'streaming-origin', region: 'eu-north-1', instanceId, vpcId, instanceSecurityGroupId: own, ingest: { enabled: false } });
    const run = await runCli(['import', '--endpoint-url', emu.endpoint, '--distribution-id', 'E2QWRUHEXAMPLE'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`cfguard: wrote ${path.join(dir, 'cfguard.imports.json')} (1 entry)\n`);
    expect(run.stdout).toMatch(/^distribution\tE2QWRUHEXAMPLE\timported as streaming-origin\/origin\/distribution\/distribution$/m);
    expect(run.stdout).toContain('cfguard.imports.json: 1 entry (written).');
  });

  test.each([
    ['too short (the old README example)', 'E2EXAMPLE'],
    ['lower case', 'e2qwruhexample'],
    ['too long', 'E2QWRUHEXAMPLE123'],
    ['an ARN', 'arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE'],
  ])('GIVEN a distribution id %s THEN one USAGE error naming the shape, before any AWS call', async (_name, id) => {
    // The endpoint refuses connections: reaching it would be ENDPOINT_UNREACHABLE, not USAGE.
    const endpoint = `http://127.0.0.1:${await refusingPort()}`;
    const run = await runCli(['import', '--endpoint-url', endpoint, '--region', 'eu-north-1', '--distribution-id', id], { cwd: folder(`import-${id.length}-${id[0]}`) });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error USAGE: '--distribution-id' must be a CloudFront distribution id: 'E' and 13 or 14 uppercase letters and digits, like 'E2QWRUHEXAMPLE' (the console's ID column), got '${id}'\n`,
    );
  });

  test.each(['E2QWRUHEXAMPLE', 'EDFDVBD632BHDS5'])('GIVEN %s (the shapes of the CloudFront API Reference examples) THEN the id is accepted', async (id) => {
    const endpoint = `http://127.0.0.1:${await refusingPort()}`;
    const dir = folder(`import-ok-${id}`);
    writeConfig(dir, { name: 'streaming-origin', region: 'eu-north-1', instanceId: 'i-0123456789abcdef0' });
    const run = await runCli(['import', '--endpoint-url', endpoint, '--distribution-id', id], { cwd: dir, env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' } });
    expect(run.stderr).toMatch(/^error ENDPOINT_UNREACHABLE: /m);
  });
});

describe('credential errors name the profile that failed', () => {
  /** No profile exists: empty shared files, no instance role. Static keys are set too, as on many laptops. */
  function awsHome(): Record<string, string | undefined> {
    const home = folder(`home-${Math.random().toString(36).slice(2)}`);
    writeFileSync(path.join(home, 'config'), '');
    writeFileSync(path.join(home, 'credentials'), '');
    return {
      HOME: home,
      AWS_CONFIG_FILE: path.join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
    };
  }
  const args = async () => ['status', '--region', 'eu-north-1', '--ip-ranges', FILE, '--endpoint-url', `http://127.0.0.1:${await refusingPort()}`];

  test("GIVEN AWS_PROFILE=nosuch (and static keys) THEN one error names 'nosuch' and AWS_PROFILE, and the SDK's multi-line warning does not leak", async () => {
    const run = await runCli(await args(), { cwd: folder('profile-env'), env: { ...awsHome(), AWS_PROFILE: 'nosuch' } });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/Multiple credential sources|WARNING/);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error '));
    expect(errors).toEqual([expect.stringMatching(/^error CREDENTIALS_MISSING: no AWS credentials for \w+ from profile 'nosuch' \(named by AWS_PROFILE: /)]);
    expect(errors[0]).not.toContain('default credential chain');
    expect(run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('cfguard: ') && !l.startsWith('error '))).toEqual([]);
  });

  test("GIVEN --profile prod that does not exist THEN the error names 'prod' and --profile, and does not tell the user to pass --profile NAME", async () => {
    const run = await runCli([...(await args()), '--profile', 'prod'], { cwd: folder('profile-flag'), env: awsHome() });
    expect(run.code).toBe(1);
    const error = run.stderr.split('\n').find((l) => l.startsWith('error '))!;
    expect(error).toMatch(/^error CREDENTIALS_MISSING: no AWS credentials for \w+ from profile 'prod' \(named by --profile: /);
    expect(error).toContain("check that 'prod' is spelt as in ~/.aws/config or ~/.aws/credentials ('aws configure list-profiles' lists them)");
    expect(error).toContain("'aws sso login --profile prod'");
    expect(error).not.toContain('pass --profile NAME');
  });
});
