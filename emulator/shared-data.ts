/**
 * The real ip-ranges.json history vendored in __tests__/fixtures/reference (gzipped; see its
 * PROVENANCE.md), read independently of the product's parser.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import path from 'path';
import { gunzipSync } from 'zlib';

/** The repo root, found from here whether this runs from source (jest) or compiled into dist/ (bench). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** The vendored reference data: the ip-ranges history, the provider schema, the Origin Shield table. */
export const REFERENCE_DIR = path.join(repoRoot(), '__tests__', 'fixtures', 'reference');
export const RANGES_DIR = path.join(REFERENCE_DIR, 'ip-ranges');
/**
 * Where the gzipped fixtures are expanded once, bit for bit: inside the repo's own node_modules
 * cache (ignored by git, never the temp directory, so a test run leaves nothing behind).
 */
const EXPANDED_DIR = path.join(repoRoot(), 'node_modules', '.cache', 'cfguard-reference');

/**
 * The path of a vendored file as its original bytes: `name.gz` is expanded into the cache the first
 * time, checked against `md5` when given, and written atomically (jest workers may race here).
 */
export function referencePath(relative: string, md5?: string): string {
  const plain = path.join(REFERENCE_DIR, relative);
  if (existsSync(plain)) return plain;
  const out = path.join(EXPANDED_DIR, relative);
  if (existsSync(out)) return out;
  const bytes = gunzipSync(readFileSync(`${plain}.gz`));
  const got = createHash('md5').update(bytes).digest('hex');
  if (md5 !== undefined && got !== md5) throw new Error(`${relative}.gz expands to md5 ${got}, but the manifest says ${md5}: the vendored copy is damaged`);
  mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.${process.pid}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, out);
  return out;
}

export interface ManifestEntry {
  readonly file: string;
  readonly syncToken: string;
  readonly createDate: string;
  readonly md5: string;
  readonly bytes: number;
  readonly CLOUDFRONT: { v4: number; v6: number };
  readonly CLOUDFRONT_ORIGIN_FACING: { v4: number; v6: number };
}

export const MANIFEST: readonly ManifestEntry[] = JSON.parse(readFileSync(path.join(RANGES_DIR, 'MANIFEST.json'), 'utf8')).versions;

/** The path of one version's exact original bytes (expanded from the vendored `.gz`, md5-checked). */
export const rangesPath = (file: string) => referencePath(path.join('ip-ranges', file), MANIFEST.find((m) => m.file === file)?.md5);

const cache = new Map<string, { prefixes: { ip_prefix: string; service: string }[]; ipv6_prefixes: { ipv6_prefix: string; service: string }[] }>();

/** Expected rule keys (`proto|from|to|cidr`) for a version: the services' ranges x the ports, straight from the JSON. */
export function expectedRuleKeys(file: string, opts: { services: string[]; ipv6: boolean; ports: { protocol: string; port: number }[] }): string[] {
  let doc = cache.get(file);
  if (!doc) {
    doc = JSON.parse(readFileSync(rangesPath(file), 'utf8'));
    cache.set(file, doc!);
  }
  const cidrs = new Set<string>();
  for (const p of doc!.prefixes) if (opts.services.includes(p.service)) cidrs.add(p.ip_prefix);
  if (opts.ipv6) for (const p of doc!.ipv6_prefixes) if (opts.services.includes(p.service)) cidrs.add(p.ipv6_prefix);
  const keys: string[] = [];
  for (const port of opts.ports) for (const c of cidrs) keys.push(`${port.protocol}|${port.port}|${port.port}|${c}`);
  return keys.sort();
}
