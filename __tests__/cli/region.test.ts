/**
 * Where the CLI's region comes from: --region, then CFGUARD_REGION, then the config file's `region`,
 * then, as the aws CLI resolves it, AWS_REGION / AWS_DEFAULT_REGION and the selected profile's
 * `region` (--profile, AWS_PROFILE, else `default`) in AWS_CONFIG_FILE; only then an error.
 */
import { writeFileSync } from 'fs';
import path from 'path';
import type { GlobalArgs } from '../../cli/options';
import { profileRegion } from '../../cli/region';
import { loadCliConfig, resolveCliSettings } from '../../cli/settings';
import { caught } from '../support/caught';
import { runCli, tempDir, writeConfig } from '../support/cli-harness';
import { MANIFEST, rangesPath } from '../../emulator/shared-data';

const AWS_CONFIG = [
  '[default]',
  'region = eu-west-1',
  '',
  '[profile media]',
  'output = json',
  'region = eu-north-1',
  '',
  '[profile noregion]',
  'output = json',
  '[profile typo]',
  'region = eu-nrth-1',
  '',
].join('\n');

function awsConfigFile(text = AWS_CONFIG): string {
  const file = path.join(tempDir('cfguard-awsconfig-'), 'config');
  writeFileSync(file, text);
  return file;
}

function regionOf(opts: { argv?: Partial<GlobalArgs>; env?: Record<string, string>; configRegion?: string }): string {
  const cwd = tempDir();
  if (opts.configRegion) writeConfig(cwd, { name: 'media', region: opts.configRegion, instanceId: 'i-0123456789abcdef0', instanceSecurityGroupId: 'sg-0123456789abcdef0' });
  const argv = { json: false, debug: false, ...opts.argv } as GlobalArgs;
  const io = { cwd, env: { AWS_CONFIG_FILE: awsConfigFile(), ...opts.env } };
  return resolveCliSettings(argv, loadCliConfig(argv, io), io).region;
}

describe('region precedence', () => {
  test.each([
    ['--region beats everything', { argv: { region: 'ap-south-1' }, configRegion: 'sa-east-1', env: { AWS_REGION: 'us-west-2', AWS_PROFILE: 'media' } }, 'ap-south-1'],
    ["the config file's region beats AWS_REGION and the profile", { configRegion: 'sa-east-1', env: { AWS_REGION: 'us-west-2', AWS_PROFILE: 'media' } }, 'sa-east-1'],
    ['AWS_REGION beats AWS_DEFAULT_REGION and the profile', { env: { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-east-2', AWS_PROFILE: 'media' } }, 'us-west-2'],
    ['AWS_DEFAULT_REGION beats the profile', { env: { AWS_DEFAULT_REGION: 'us-east-2', AWS_PROFILE: 'media' } }, 'us-east-2'],
    ["AWS_PROFILE=media: that profile's region", { env: { AWS_PROFILE: 'media' } }, 'eu-north-1'],
    ['--profile media beats AWS_PROFILE', { argv: { profile: 'media' }, env: { AWS_PROFILE: 'default' } }, 'eu-north-1'],
    ['no profile selected: the default profile', {}, 'eu-west-1'],
  ])('%s', (_name, opts, expected) => {
    expect(regionOf(opts as Parameters<typeof regionOf>[0])).toBe(expected);
  });

  test('GIVEN a profile without a region and nothing else THEN one CONFIG_INVALID says every way to set one', () => {
    const e = caught(() => regionOf({ env: { AWS_PROFILE: 'noregion' } }));
    expect(e).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(e.message).toMatch(
      /^no AWS region is set; pass --region \(or CFGUARD_REGION\), set 'region' in cfguard.config.json, export AWS_REGION, or add 'region = <region>' to profile 'noregion' in \/.+\/config$/,
    );
  });

  test("GIVEN a typo in the profile's region THEN the error names the profile and suggests the region", () => {
    const e = caught(() => regionOf({ argv: { profile: 'typo' } }));
    expect(e.message).toMatch(/^'region of profile 'typo' in .+' must be a commercial AWS region \(did you mean 'eu-north-1'\?\), got "eu-nrth-1"/);
  });

  test('GIVEN no shared config file and no variable THEN the error, not us-east-1', () => {
    const io = { cwd: tempDir(), env: { AWS_CONFIG_FILE: path.join(tempDir(), 'absent') } };
    expect(caught(() => resolveCliSettings({ json: false, debug: false }, undefined, io))).toMatchObject({ code: 'CONFIG_INVALID' });
  });

  test('a command that makes no AWS call runs without a region', () => {
    const io = { cwd: tempDir(), env: { AWS_CONFIG_FILE: path.join(tempDir(), 'absent') } };
    expect(resolveCliSettings({ json: false, debug: false }, undefined, io, {}, { regionRequired: false }).region).toBe('us-east-1');
  });
});

describe('the shared config file parser', () => {
  test.each([
    ['[profile media]\nregion=eu-north-1', 'media', 'eu-north-1'],
    ['[profile  media ]\n  # comment\nregion = eu-north-1 ; trailing', 'media', 'eu-north-1'],
    ['[default]\nregion = eu-west-1\n[profile media]\nregion = eu-north-1', 'default', 'eu-west-1'],
    ['[media]\nregion = eu-north-1', 'media', undefined],
    ['[profile media]\ns3 =\n  region = us-east-1\nregion = eu-north-1', 'media', 'eu-north-1'],
  ])('%j, profile %s -> %s', (text, profile, expected) => {
    expect(profileRegion(text, profile)).toBe(expected);
  });
});

describe('the built CLI', () => {
  const file = rangesPath(MANIFEST[0].file);

  test('AWS_PROFILE=media with region eu-north-1 in AWS_CONFIG_FILE: the plan is for eu-north-1', async () => {
    const run = await runCli(['status', '--ip-ranges', file, '--endpoint-url', 'http://127.0.0.1:9'], {
      env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_PROFILE: 'media', AWS_CONFIG_FILE: awsConfigFile(), AWS_MAX_ATTEMPTS: '1' },
    });
    expect(run.stderr).toContain('in eu-north-1');
  });

  test('--region beats CFGUARD_REGION', async () => {
    const run = await runCli(['status', '--region', 'eu-west-3', '--ip-ranges', file, '--endpoint-url', 'http://127.0.0.1:9'], { env: { CFGUARD_REGION: 'eu-west-2', AWS_MAX_ATTEMPTS: '1' } });
    expect(run.stderr).toContain('in eu-west-3');
  });

  test('CFGUARD_REGION beats the config file', async () => {
    const cwd = tempDir();
    writeConfig(cwd, { name: 'media', region: 'sa-east-1', instanceId: 'i-0123456789abcdef0', instanceSecurityGroupId: 'sg-0123456789abcdef0' });
    const run = await runCli(['status', '--ip-ranges', file, '--endpoint-url', 'http://127.0.0.1:9'], { cwd, env: { CFGUARD_REGION: 'eu-west-2', AWS_MAX_ATTEMPTS: '1' } });
    expect(run.stderr).toContain('in eu-west-2');
  });

  test('a region typo on the command line is one CONFIG_INVALID with a did-you-mean, and no AWS call', async () => {
    const run = await runCli(['status', '--region', 'eu-nrth-1', '--ip-ranges', file, '--endpoint-url', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("'--region' must be a commercial AWS region (did you mean 'eu-north-1'?), got \"eu-nrth-1\"");
    expect(run.stderr).toContain('CONFIG_INVALID');
  });
});
