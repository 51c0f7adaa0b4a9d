/**
 * The package as another team gets it: `npm pack` (from the built dist/, as `npm test` leaves it),
 * then the tarball unpacked into a temporary CDKTF app's node_modules, next to the peer and runtime
 * dependencies only (symlinked from this repository's install: no network), and a StreamingOrigin
 * synthesized there from the public API in a fresh node process, finding the Lambda bundle inside
 * the installed package.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { inflateRawSync } from 'zlib';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

let work: string;
let tarball: string;
let packed: string[];
/** Symlinks into this repository's node_modules, unlinked one by one before the temporary folder goes. */
const links: string[] = [];

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'cfguard-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, info.filename);
  packed = info.files.map((f) => f.path).sort();
});

afterAll(() => {
  for (const link of links) unlinkSync(link);
  rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('holds the built product, its bin launcher, the README and the license, and nothing else', () => {
    const launchers = Object.values(manifest.bin as Record<string, string>);
    expect(packed).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/lambda/index.js',
        'dist/constructs/index.js',
        'dist/constructs/index.d.ts',
        'dist/cli/main.js',
        'dist/cli/bundle/cfguard.mjs',
        ...launchers,
      ]),
    );
    const outside = packed.filter(
      (f) =>
        !/^(LICENSE|README\.md|package\.json)$/.test(f) &&
        !/^dist\/(constructs|lambda-src|cli)\/.+\.(js|d\.ts|json)$/.test(f) &&
        !/^dist\/cli\/bundle\/(chunks\/)?[\w-]+\.mjs(\.map)?$/.test(f) &&
        f !== 'dist/lambda/index.js' &&
        !launchers.includes(f),
    );
    expect(outside).toEqual([]);
    // No sources, tests, bench, emulator or examples.
    expect(packed.filter((f) => /(^|\/)(__tests__|bench|emulator|examples)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
  });

  test('declares cdktf, constructs and the AWS provider as peers, so an app keeps one copy of each', () => {
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['@cdktf/provider-aws', 'cdktf', 'constructs']);
    for (const peer of Object.keys(manifest.peerDependencies)) {
      expect(manifest.dependencies[peer]).toBeUndefined();
      expect(manifest.devDependencies[peer]).toBeDefined();
    }
  });

  test('installed into an app with only the peers, it synthesizes a StreamingOrigin with the bundle it ships', () => {
    const app = path.join(work, 'app');
    const installed = path.join(app, 'node_modules', manifest.name);
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    // The app's node_modules: the peers (as the app would have them) and the package's own dependencies (as npm would install them).
    for (const dep of [...Object.keys(manifest.peerDependencies), ...Object.keys(manifest.dependencies)]) {
      mkdirSync(path.dirname(path.join(app, 'node_modules', dep)), { recursive: true });
      symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(app, 'node_modules', dep), 'dir');
      links.push(path.join(app, 'node_modules', dep));
    }
    writeFileSync(
      path.join(app, 'main.js'),
      [
        "const { App, TerraformStack } = require('cdktf');",
        "const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');",
        "const { StreamingOrigin } = require('cloudfront-origin-guard');",
        'const app = new App({ outdir: process.argv[2] });',
        "const stack = new TerraformStack(app, 'media');",
        "new AwsProvider(stack, 'aws', { region: 'eu-north-1' });",
        "const usEast1 = new AwsProvider(stack, 'us-east-1', { region: 'us-east-1', alias: 'us-east-1' });",
        "new StreamingOrigin(stack, 'origin', { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', instanceSecurityGroupId: 'sg-0123456789abcdef0', usEast1Provider: usEast1 });",
        'app.synth();',
        "process.stdout.write(require.resolve('cloudfront-origin-guard'));",
      ].join('\n'),
    );
    const outdir = path.join(app, 'cdktf.out');
    const resolved = execFileSync(process.execPath, ['main.js', outdir], { cwd: app, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    expect(resolved).toBe(path.join(installed, 'dist', 'constructs', 'index.js'));

    const stackDir = path.join(outdir, 'stacks', 'media');
    const synthesized = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const functions = Object.values(synthesized.resource.aws_lambda_function) as { filename: string }[];
    expect(functions).toHaveLength(1);
    expect(synthesized.resource.aws_cloudfront_distribution).toBeDefined();
    // The function's archive holds the bundle from the installed package, byte for byte.
    const archive = path.join(stackDir, functions[0].filename);
    expect(unzip(archive)).toEqual([{ name: 'index.js', content: readFileSync(path.join(installed, 'dist', 'lambda', 'index.js')) }]);
  });
});

/** The entries of a zip archive (the asset Terraform uploads), read from its central directory. */
function unzip(file: string): { name: string; content: Buffer }[] {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: { name: string; content: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressedSize);
    entries.push({ name, content: method === 8 ? inflateRawSync(data) : Buffer.from(data) });
    at += 46 + skip;
  }
  return entries;
}
