import { unknown, Unknown, type CtyValue } from './cty-msgpack';
import type { JsonBlock } from './schema-messages';

/*
 * What the stand-in answers, judging nothing: a plan is Terraform's proposed new state with every
 * computed attribute left null marked unknown ("known after apply"); a data source read is its
 * config with every computed attribute filled with a known value of the right type; an import is
 * an otherwise empty state holding the id.
 */

type Obj = { [key: string]: CtyValue };
const isObject = (v: CtyValue): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof Uint8Array);

/** Applies `each` to every instance of every nested block of `value`, whatever its nesting mode. */
function mapBlocks(block: JsonBlock, value: Obj, each: (inner: JsonBlock, instance: CtyValue) => CtyValue): Obj {
  const out: Obj = { ...value };
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const v = value[name];
    if (Array.isArray(v)) out[name] = v.map((i) => each(nested.block, i));
    else if (nested.nesting_mode === 'map' && isObject(v)) out[name] = Object.fromEntries(Object.entries(v).map(([k, i]) => [k, each(nested.block, i)]));
    else if (isObject(v)) out[name] = each(nested.block, v);
  }
  return out;
}

export function plannedState(block: JsonBlock, proposed: CtyValue): CtyValue {
  if (!isObject(proposed)) return proposed;
  const out = mapBlocks(block, proposed, plannedState);
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    // Terraform 1.11 refuses a plan that holds a write-only value: it is sent, never stored.
    if (attribute.write_only) out[name] = null;
    else if (attribute.computed && out[name] === null) out[name] = unknown();
  }
  return out;
}

/** Plausible known strings for the attributes other values are built from; anything else is a marker. */
const KNOWN_STRINGS: Record<string, string> = {
  account_id: '123456789012',
  partition: 'aws',
  dns_suffix: 'amazonaws.com',
  json: '{"Version":"2012-10-17","Statement":[]}',
  minified_json: '{"Version":"2012-10-17","Statement":[]}',
};

export function knownValueOf(name: string, type: unknown): CtyValue {
  if (type === 'string') return KNOWN_STRINGS[name] ?? `standin-${name}`;
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type)) {
    const [kind, inner] = type as [string, unknown];
    if (kind === 'list' || kind === 'set' || kind === 'tuple') return [];
    if (kind === 'map') return {};
    if (kind === 'object') return Object.fromEntries(Object.entries(inner as Record<string, unknown>).map(([k, t]) => [k, knownValueOf(k, t)]));
  }
  return null; // dynamic: null is a known value of any type
}

export function dataSourceState(block: JsonBlock, config: CtyValue): CtyValue {
  if (!isObject(config)) return config;
  const out = mapBlocks(block, config, dataSourceState);
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (attribute.computed && out[name] === null) out[name] = knownValueOf(name, attribute.type);
  }
  return out;
}

/** A state with every attribute null and every nested block empty, as a first read after import fills it. */
export function emptyState(block: JsonBlock): Obj {
  const out: Obj = {};
  for (const name of Object.keys(block.attributes ?? {})) out[name] = null;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const mode = nested.nesting_mode;
    out[name] = mode === 'list' || mode === 'set' ? [] : mode === 'map' ? {} : mode === 'group' ? emptyState(nested.block) : null;
  }
  return out;
}

export const importedState = (block: JsonBlock, id: string): Obj => ({ ...emptyState(block), id });
