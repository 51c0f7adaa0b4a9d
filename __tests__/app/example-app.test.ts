import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { buildStack, main } from '../../main';
import { parseAppConfig } from '../../lambda-src/config/app-config';
import { OriginGuardStack } from '../../constructs/stack';
import { EXAMPLE_CONFIG, GUARD_BUNDLE, REPO_ROOT, tempDir } from '../support/app-fixtures';

/** Machine- and bundle-independent JSON: the checkout path and the asset hash are masked. */
function normalize(json: string, assetHash: string): string {
  return json.split(REPO_ROOT).join('<repo>').split(assetHash).join('<asset-hash>');
}

/** The stack's JSON with the checkout path and the bundle's asset hash masked. */
function synthesizedExample(stack: OriginGuardStack): string {
  const assetHash = stack.origin
    .ipRangeGuard!.node.findAll()
    .map((c) => (c as { assetHash?: string }).assetHash)
    .find((h): h is string => typeof h === 'string')!;
  expect(assetHash).toMatch(/^[0-9A-F]{32}$/);
  const json = normalize(Testing.synth(stack), assetHash);
  expect(json).not.toContain(REPO_ROOT);
  return json;
}

describe('the example app', () => {
  test('its synthesized JSON is stable, with the edge alarm on by default (snapshot)', () => {
    const stack = buildStack(Testing.app(), { configPath: EXAMPLE_CONFIG, bundlePath: GUARD_BUNDLE, env: {} });
    expect(JSON.parse(synthesizedExample(stack))).toMatchSnapshot();
  });

  // The snapshot below is byte for byte the one from before the edge alarm existed: an existing
  // deployment that turns the alarm off sees no diff at all, and one that keeps it sees only additions.
  test('with the edge alarm off, its JSON is the single-origin stack from before edge monitoring (snapshot)', () => {
    const raw = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG, 'utf8'));
    const config = parseAppConfig({ ...raw, edgeMonitoring: { errorRateAlarm: false } });
    const stack = new OriginGuardStack(Testing.app(), { config, configDir: REPO_ROOT, bundlePath: GUARD_BUNDLE, env: {} });
    expect(JSON.parse(synthesizedExample(stack))).toMatchSnapshot();
  });

  test('the edge alarm adds resources and changes none: the default synth is the alarm-off synth plus the us-east-1 alarm, topic and output', () => {
    const on = JSON.parse(synthesizedExample(buildStack(Testing.app(), { configPath: EXAMPLE_CONFIG, bundlePath: GUARD_BUNDLE, env: {} })));
    const raw = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG, 'utf8'));
    const off = JSON.parse(
      synthesizedExample(
        new OriginGuardStack(Testing.app(), { config: parseAppConfig({ ...raw, edgeMonitoring: { errorRateAlarm: false } }), configDir: REPO_ROOT, bundlePath: GUARD_BUNDLE, env: {} }),
      ),
    );
    const added: string[] = [];
    for (const [type, byName] of Object.entries<Record<string, unknown>>(on.resource)) {
      for (const [name, body] of Object.entries(byName)) {
        if (off.resource[type]?.[name] === undefined) added.push(`${type}.${name}`);
        else expect(body).toEqual(off.resource[type][name]);
      }
    }
    expect(added.map((a) => a.split('.')[0]).sort()).toEqual(['aws_cloudwatch_metric_alarm', 'aws_sns_topic']);
    expect(added.every((a) => a.includes('edge-monitoring'))).toBe(true);
    for (const a of added) expect(on.resource[a.split('.')[0]][a.split('.')[1]].provider).toBe('aws.us_east_1');
    for (const type of Object.keys(off.resource)) for (const name of Object.keys(off.resource[type])) expect(on.resource[type][name]).toBeDefined();
    expect(Object.keys(on.output).filter((k) => !(k in off.output))).toEqual(['edge_alarm_topic_arn']);
  });

  test('main() writes cdktf.out/stacks/<name>/cdk.tf.json and the zipped bundle', () => {
    const outdir = tempDir();
    expect(main({ configPath: EXAMPLE_CONFIG, bundlePath: GUARD_BUNDLE, outdir, env: {}, stderr: () => undefined })).toBe(0);
    const stackDir = path.join(outdir, 'stacks', 'streaming-origin');
    const synthesized = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const filename: string = Object.values<any>(synthesized.resource.aws_lambda_function)[0].filename;
    expect(fs.statSync(path.join(stackDir, filename)).size).toBeGreaterThan(0);
  });

  test('main() reads the config named by CFGUARD_CONFIG', () => {
    const dir = tempDir();
    const config = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG, 'utf8'));
    fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ ...config, name: 'other-edge' }));
    const outdir = tempDir();
    expect(main({ bundlePath: GUARD_BUNDLE, outdir, env: { CFGUARD_CONFIG: path.join(dir, 'other.json') }, stderr: () => undefined })).toBe(0);
    expect(fs.existsSync(path.join(outdir, 'stacks', 'other-edge', 'cdk.tf.json'))).toBe(true);
  });

  test('GIVEN a secondary origin in Lambda mode THEN main() writes the stack, its function guarding both instances (GUARDED_INSTANCE_IDS, primary first)', () => {
    const dir = tempDir();
    const raw = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG, 'utf8'));
    fs.writeFileSync(path.join(dir, 'cfguard.config.json'), JSON.stringify({ ...raw, secondaryOrigin: { instanceId: 'i-0fedcba9876543210', instanceSecurityGroupId: 'sg-0fedcba9876543210' } }));
    const outdir = tempDir();
    const lines: string[] = [];
    expect(main({ configPath: path.join(dir, 'cfguard.config.json'), bundlePath: GUARD_BUNDLE, outdir, env: {}, stderr: (l) => lines.push(l) })).toBe(0);
    expect(lines).toEqual([]);
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', raw.name, 'cdk.tf.json'), 'utf8'));
    const fn = Object.values<any>(stack.resource.aws_lambda_function).find((f) => f.environment?.variables?.INSTANCE_ID !== undefined);
    expect(fn.environment.variables.GUARDED_INSTANCE_IDS).toBe(`${raw.instanceId},i-0fedcba9876543210`);
  });

  test.each([
    ['a missing config', () => ({ env: { CFGUARD_CONFIG: path.join(tempDir(), 'missing.json') } }), 'does not exist'],
    [
      'an invalid value',
      () => {
        const file = path.join(tempDir(), 'bad.json');
        fs.writeFileSync(file, JSON.stringify({ name: 'x', region: 'eu-north-1', instanceId: 'i-1' }));
        return { configPath: file, env: {} };
      },
      "'instanceId' must look like 'i-0123456789abcdef0'",
    ],
  ])('GIVEN %s THEN main() prints one line with the message and code, no stack trace, and returns 1', (_name, options, message) => {
    const lines: string[] = [];
    expect(main({ ...options(), bundlePath: GUARD_BUNDLE, outdir: tempDir(), stderr: (l) => lines.push(l) })).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cfguard: .*\[CONFIG_INVALID\]$/);
    expect(lines[0]).toContain(message);
    expect(lines[0]).not.toMatch(/\n\s+at /);
  });
});
