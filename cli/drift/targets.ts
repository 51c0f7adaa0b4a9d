import { readFileSync } from 'fs';
import { badValueMessage, guardError } from '../../lambda-src/core/errors';

const KEYS = ['name', 'region', 'vpcId', 'instanceId', 'profile', 'roleArn', 'endpointUrl', 'prefixName'] as const;

/** `--targets FILE`: the accounts and regions `drift` checks in one run; every key a string, `name` and `region` required. */
export type TargetSpec = Readonly<Partial<Record<(typeof KEYS)[number], string>> & { name: string; region: string }>;
const SHAPE = '[{"name","region","vpcId"?,"instanceId"?,"profile"?,"roleArn"?,"endpointUrl"?,"prefixName"?}]';

function invalid(file: string, at: string, rule: string, value: unknown): never {
  throw guardError('CONFIG_INVALID', `${file}: ${badValueMessage(at, `must be ${rule}`, value, 'json', Infinity)}; the targets file is ${SHAPE}`, 'usage', { path: at });
}

/**
 * Reads and checks the file's shape. Values that are reconciler settings (region, vpcId,
 * instanceId, prefixName) are validated later by the Lambda's own validator, named as here.
 */
export function readTargetsFile(file: string): TargetSpec[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `is not readable JSON (${(e as Error).message})`;
    throw guardError('CONFIG_INVALID', `'--targets' must be a readable JSON file ${SHAPE}, but '${file}' ${why}`, 'usage', { path: file });
  }
  if (!Array.isArray(raw) || raw.length === 0) invalid(file, '(root)', 'a non-empty array of targets', raw);
  const names = new Set<string>();
  return raw.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) invalid(file, `[${i}]`, 'an object', entry);
    const t = entry as Record<string, unknown>;
    const unknownKey = Object.keys(t).find((k) => !(KEYS as readonly string[]).includes(k));
    if (unknownKey !== undefined) invalid(file, `[${i}].${unknownKey}`, `absent (known keys: ${KEYS.join(', ')})`, t[unknownKey]);
    for (const key of KEYS) {
      if (t[key] !== undefined && (typeof t[key] !== 'string' || t[key] === '')) invalid(file, `[${i}].${key}`, 'a non-empty string', t[key]);
    }
    if (t.name === undefined) invalid(file, `[${i}].name`, 'set to a name for the report', t.name);
    if (t.region === undefined) invalid(file, `[${i}].region`, "set to an AWS region like 'eu-north-1'", t.region);
    if (names.has(t.name as string)) invalid(file, `[${i}].name`, 'unique among the targets', t.name);
    names.add(t.name as string);
    if (t.roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(t.roleArn as string))
      invalid(file, `[${i}].roleArn`, "an IAM role ARN like 'arn:aws:iam::123456789012:role/cfguard-read'", t.roleArn);
    if (t.endpointUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(t.endpointUrl as string)) invalid(file, `[${i}].endpointUrl`, 'an http(s) URL', t.endpointUrl);
    return t as unknown as TargetSpec;
  });
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
