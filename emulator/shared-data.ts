/** The real ip-ranges.json history in ../shared, read independently of the product's parser. */
import { existsSync, readFileSync } from 'fs';
import path from 'path';

/** The repo root, found from here whether this runs from source (jest) or compiled into dist/ (bench). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** `../shared` beside the repo, as CI lays it out. */
export const SHARED_DIR = path.resolve(repoRoot(), '..', 'shared');
export const RANGES_DIR = path.join(SHARED_DIR, 'ip-ranges');

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

export const rangesPath = (file: string) => path.join(RANGES_DIR, file);

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
