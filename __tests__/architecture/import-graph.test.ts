/**
 * The layering, checked on the import graph of the sources (not on the folders' names):
 *
 * - lambda-src/core/ is pure: it imports only core files (type imports included), and nothing it
 *   loads at runtime reaches the AWS SDK, Node I/O, a schema library or cdktf;
 * - constructs/ never reaches the AWS shell (lambda-src/aws/) or the Lambda (lambda-src/function/);
 * - lambda-src/config/ never reaches cdktf, the shell or the Lambda;
 * - cli/ never imports an AWS service client itself: every EC2 (and SSM) call goes through lambda-src/aws/;
 * - the shell's run loop, checkpoints, apply, teardown and audit depend on the SecurityGroupManager
 *   interface, never on @aws-sdk/client-ec2: only the boundary files import the EC2 SDK;
 * - the product (main.ts, lambda-src/, constructs/, cli/) never imports __tests__/, bench/ or emulator/.
 *
 * Edges come from `import`/`export ... from`, `import()` and `require()` specifiers. A type-only
 * import (`import type`, or braces holding only `type` names) is erased by tsc: it counts for the
 * direct rules (the core may not even name another layer's types) but is not followed when asking
 * what a module loads at runtime.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const SOURCE_DIRS = ['lambda-src', 'constructs', 'cli'];

interface Edge {
  readonly from: string;
  readonly specifier: string;
  /** Project file (relative to the root) or package name (`fs`, `@aws-sdk/client-ec2`). */
  readonly to: string;
  readonly typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return rel.endsWith('.ts') && !rel.endsWith('.d.ts') ? [rel] : [];
  });
}

function resolveSpecifier(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) {
    const bare = specifier.replace(/^node:/, '');
    const parts = bare.split('/');
    return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  }
  const base = path.posix.join(path.posix.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    try {
      if (statSync(path.join(ROOT, candidate)).isFile()) return candidate;
    } catch {
      // try the next candidate
    }
  }
  throw new Error(`${from}: cannot resolve '${specifier}'`);
}

const STATIC = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
const SIDE_EFFECT = /(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

function isTypeOnly(typeKeyword: string | undefined, clause: string): boolean {
  if (typeKeyword) return true;
  const braces = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!braces) return false;
  const names = braces[1]
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  return names.length > 0 && names.every((n) => n.startsWith('type '));
}

function edgesOf(file: string): Edge[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean) => edges.push({ from: file, specifier, to: resolveSpecifier(file, specifier), typeOnly });
  for (const m of text.matchAll(STATIC)) add(m[4], isTypeOnly(m[2], m[3]));
  for (const m of text.matchAll(SIDE_EFFECT)) add(m[1], false);
  for (const m of text.matchAll(DYNAMIC)) add(m[1], false);
  return edges;
}

const files = ['main.ts', ...SOURCE_DIRS.flatMap(sourceFiles)];
const graph = new Map(files.map((f) => [f, edgesOf(f)]));

function isProjectFile(to: string): boolean {
  return graph.has(to) || to.endsWith('.json');
}

/** Every runtime path from `start` to a module matching `bad`, as "a -> b -> c" chains (shortest first). */
function runtimePathsTo(start: string, bad: (to: string) => boolean): string[] {
  const found: string[] = [];
  const seen = new Set([start]);
  const queue: string[][] = [[start]];
  while (queue.length > 0) {
    const trail = queue.shift()!;
    for (const edge of graph.get(trail[trail.length - 1]) ?? []) {
      if (edge.typeOnly) continue;
      if (bad(edge.to)) found.push([...trail, edge.to].join(' -> '));
      else if (graph.has(edge.to) && !seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push([...trail, edge.to]);
      }
    }
  }
  return found;
}

function under(dir: string): string[] {
  return files.filter((f) => f.startsWith(`${dir}/`));
}

const NODE_IO = new Set(['fs', 'http', 'https', 'http2', 'net', 'tls', 'dns', 'child_process', 'dgram', 'os', 'path', 'stream', 'zlib', 'worker_threads']);
const CDKTF = /^(cdktf|constructs|@cdktf\/.*)$/;
const CORE_FORBIDDEN = (to: string) => to.startsWith('@aws-sdk/') || to.startsWith('@smithy/') || NODE_IO.has(to) || to === 'zod' || CDKTF.test(to);

describe('the import graph', () => {
  test('the walk sees every layer, runtime and type-only edges and dynamic imports', () => {
    const all = [...graph.values()].flat();
    for (const dir of ['lambda-src/core', 'lambda-src/config', 'lambda-src/aws', 'lambda-src/function', 'constructs', 'cli']) expect(under(dir).length).toBeGreaterThan(0);
    expect(all.some((e) => e.typeOnly)).toBe(true);
    expect(all.some((e) => e.from.startsWith('cli/commands/') && e.to.startsWith('cli/run/') && !e.typeOnly)).toBe(true);
    expect(all.some((e) => e.to === 'cdktf')).toBe(true);
  });

  test('the pure core imports only core files and no package, type imports included', () => {
    const offending = under('lambda-src/core')
      .flatMap((f) => graph.get(f)!)
      .filter((e) => !e.to.startsWith('lambda-src/core/'))
      .map((e) => `${e.from} imports '${e.specifier}' (${e.to})${e.typeOnly ? ' [type-only]' : ''}: the core may import only lambda-src/core/`);
    expect(offending).toEqual([]);
  });

  test('nothing the core loads at runtime reaches the AWS SDK, Node I/O, zod or cdktf', () => {
    const offending = under('lambda-src/core').flatMap((f) => runtimePathsTo(f, CORE_FORBIDDEN));
    expect(offending).toEqual([]);
  });

  test('constructs/ never reaches the AWS shell or the Lambda, directly or at runtime', () => {
    const shell = (to: string) => to.startsWith('lambda-src/aws/') || to.startsWith('lambda-src/function/') || to.startsWith('@aws-sdk/');
    const direct = under('constructs')
      .flatMap((f) => graph.get(f)!)
      .filter((e) => shell(e.to))
      .map((e) => `${e.from} imports '${e.specifier}'${e.typeOnly ? ' [type-only]' : ''}: constructs may import the core and config, never the shell`);
    expect(direct).toEqual([]);
    expect(under('constructs').flatMap((f) => runtimePathsTo(f, shell))).toEqual([]);
  });

  test('lambda-src/config never reaches cdktf, the shell, the Lambda or the CLI', () => {
    const bad = (to: string) => CDKTF.test(to) || /^(lambda-src\/(aws|function)|cli|constructs)\//.test(to);
    const direct = under('lambda-src/config')
      .flatMap((f) => graph.get(f)!)
      .filter((e) => bad(e.to))
      .map((e) => `${e.from} imports '${e.specifier}'${e.typeOnly ? ' [type-only]' : ''}: config stands beside the core, below the shell and cdktf`);
    expect(direct).toEqual([]);
    expect(under('lambda-src/config').flatMap((f) => runtimePathsTo(f, bad))).toEqual([]);
  });

  test('cli/ never imports an AWS service client itself: its EC2 (and SSM) calls go through lambda-src/aws/', () => {
    const direct = under('cli')
      .flatMap((f) => graph.get(f)!)
      .filter((e) => e.to.startsWith('@aws-sdk/client-'))
      .map((e) => `${e.from} imports '${e.specifier}'${e.typeOnly ? ' [type-only]' : ''}: use lambda-src/aws/ (security-group-manager, ec2-reads, apply, ssm-secret-store)`);
    expect(direct).toEqual([]);
  });

  test("the shell's reconcile loop, checkpoints and apply depend on the EC2 interface, not on @aws-sdk/client-ec2", () => {
    const ec2Sdk = (to: string) => to === '@aws-sdk/client-ec2';
    const loop = ['reconcile', 'checkpoint', 'apply', 'teardown-run', 'ec2-state', 'exposure-audit', 'security-group-manager'].map((f) => `lambda-src/aws/${f}.ts`);
    for (const f of loop) expect(graph.has(f)).toBe(true);
    const direct = loop.flatMap((f) => graph.get(f)!).filter((e) => ec2Sdk(e.to) || e.to === 'lambda-src/aws/ec2-client.ts');
    expect(direct.map((e) => `${e.from} imports '${e.specifier}'${e.typeOnly ? ' [type-only]' : ''}: depend on SecurityGroupManager (aws/security-group-manager.ts)`)).toEqual([]);
    expect(loop.flatMap((f) => runtimePathsTo(f, ec2Sdk))).toEqual([]);
    // The boundary: the EC2 SDK is imported by these files and no other, so AWS errors are described in one place.
    const importers = files.filter((f) => graph.get(f)!.some((e) => ec2Sdk(e.to))).sort();
    expect(importers).toEqual([
      'lambda-src/aws/call-counter.ts',
      'lambda-src/aws/ec2-client.ts',
      'lambda-src/aws/ec2-permissions.ts',
      'lambda-src/aws/ec2-reads.ts',
      'lambda-src/aws/ec2-security-group-manager.ts',
    ]);
  });

  test('the product never imports tests, bench or the emulator, so none of them is compiled into dist/', () => {
    const offending = [...graph.values()]
      .flat()
      .filter((e) => /^(__tests__|bench|emulator)\//.test(e.to))
      .map((e) => `${e.from} imports '${e.specifier}': ${e.to.split('/')[0]}/ is not product code`);
    expect(offending).toEqual([]);
  });

  test('every relative import resolves to a project file', () => {
    const dangling = [...graph.values()].flat().filter((e) => e.specifier.startsWith('.') && !isProjectFile(e.to));
    expect(dangling).toEqual([]);
  });
});
