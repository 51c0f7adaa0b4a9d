import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { buildStack, main } from '../../main';
import { EXAMPLE_CONFIG, GUARD_BUNDLE, REPO_ROOT, tempDir } from '../support/app-fixtures';

/** Machine- and bundle-independent JSON: the checkout path and the asset hash are masked. */
function normalize(json: string, assetHash: string): string {
  return json.split(REPO_ROOT).join('<repo>').split(assetHash).join('<asset-hash>');
}

describe('the example app', () => {
  test('its synthesized JSON is stable (snapshot)', () => {
    const stack = buildStack(Testing.app(), { configPath: EXAMPLE_CONFIG, bundlePath: GUARD_BUNDLE, env: {} });
    const assetHash = stack.origin
      .ipRangeGuard!.node.findAll()
      .map((c) => (c as { assetHash?: string }).assetHash)
      .find((h): h is string => typeof h === 'string')!;
    expect(assetHash).toMatch(/^[0-9A-F]{32}$/);
    const json = normalize(Testing.synth(stack), assetHash);
    expect(json).not.toContain(REPO_ROOT);
    expect(JSON.parse(json)).toMatchSnapshot();
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
