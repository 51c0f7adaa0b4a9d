import * as fs from 'fs';
import { referencePath } from '../../emulator/shared-data';

/** md5 of the reference file's exact bytes, as first copied in (see PROVENANCE.md). */
const PROVIDER_SCHEMA_MD5 = '837cdbc7e2c55bf8cf47e0b32dd29ece';

/**
 * Checks synthesized Terraform JSON against the hashicorp/aws provider schema, offline: the
 * reference file is `terraform providers schema -json` output for 6.25.0, the version
 * @cdktf/provider-aws 21.22.1 is generated from, vendored gzipped in __tests__/fixtures/reference.
 */
export const PROVIDER_SCHEMA_PATH = referencePath('aws-provider-schema-6.25.0.json', PROVIDER_SCHEMA_MD5);

interface SchemaAttribute {
  readonly type?: unknown;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
}
interface SchemaBlockType {
  readonly nesting_mode: 'single' | 'list' | 'set' | 'map' | 'group';
  readonly min_items?: number;
  readonly max_items?: number;
  readonly block: SchemaBlock;
}
interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, SchemaBlockType>;
}
export interface ProviderSchema {
  readonly resource_schemas: Record<string, { readonly block: SchemaBlock }>;
  readonly data_source_schemas: Record<string, { readonly block: SchemaBlock }>;
}

/** Terraform meta-arguments: legal in every resource and data source body, never in the schema. */
const META_ARGUMENTS = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection', '//']);

let cached: ProviderSchema | undefined;
export function loadProviderSchema(file = PROVIDER_SCHEMA_PATH): ProviderSchema {
  if (file !== PROVIDER_SCHEMA_PATH) return JSON.parse(fs.readFileSync(file, 'utf8')) as ProviderSchema;
  cached ??= JSON.parse(fs.readFileSync(file, 'utf8')) as ProviderSchema;
  return cached;
}

/** A whole value that Terraform resolves later (`${…}`): its shape cannot be checked at synth. */
function isExpression(value: unknown): boolean {
  return typeof value === 'string' && /^\$\{[\s\S]*\}$/.test(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Instances of a nested block as written: JSON allows one object or an array of them. */
function blockInstances(where: string, name: string, value: unknown, problems: string[]): unknown[] | undefined {
  if (value === null || value === undefined) return [];
  if (isExpression(value)) return undefined;
  if (Array.isArray(value)) return value;
  if (isPlainObject(value)) return [value];
  problems.push(`${where}: block '${name}' must be an object or a list of objects, got ${JSON.stringify(value)}`);
  return undefined;
}

function checkBlock(where: string, body: unknown, block: SchemaBlock, problems: string[], topLevel: boolean): void {
  if (!isPlainObject(body)) {
    if (!isExpression(body)) problems.push(`${where}: must be an object, got ${JSON.stringify(body)}`);
    return;
  }
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META_ARGUMENTS.has(key)) continue;
    const attribute = attributes[key];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required && value !== null && value !== undefined) {
        problems.push(`${where}: attribute '${key}' is computed-only and cannot be set`);
      }
      continue;
    }
    const blockType = blockTypes[key];
    if (!blockType) {
      problems.push(`${where}: unknown attribute or block '${key}'`);
      continue;
    }
    const instances = blockInstances(where, key, value, problems);
    if (!instances) continue;
    checkCount(where, key, instances.length, blockType, problems);
    instances.forEach((instance, i) => checkBlock(`${where}.${key}[${i}]`, instance, blockType.block, problems, false));
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && (body[key] === undefined || body[key] === null)) problems.push(`${where}: required attribute '${key}' is missing`);
  }
  for (const [key, blockType] of Object.entries(blockTypes)) {
    if ((blockType.min_items ?? 0) > 0 && (body[key] === undefined || body[key] === null)) {
      problems.push(`${where}: required block '${key}' is missing (min_items ${blockType.min_items})`);
    }
  }
}

function checkCount(where: string, key: string, count: number, blockType: SchemaBlockType, problems: string[]): void {
  const min = blockType.min_items ?? 0;
  const max = blockType.nesting_mode === 'single' ? 1 : (blockType.max_items ?? Infinity);
  if (count < min) problems.push(`${where}: block '${key}' has ${count} item(s), below min_items ${min}`);
  if (count > max) problems.push(`${where}: block '${key}' has ${count} item(s), above max_items ${max}`);
}

type Section = 'resource' | 'data';

function checkSection(json: Record<string, unknown>, section: Section, schema: ProviderSchema, problems: string[]): void {
  const byType = json[section];
  if (byType === undefined) return;
  const schemas = section === 'resource' ? schema.resource_schemas : schema.data_source_schemas;
  if (!isPlainObject(byType)) {
    problems.push(`${section}: must be an object of types`);
    return;
  }
  for (const [type, instances] of Object.entries(byType)) {
    const entry = schemas[type];
    if (!entry) {
      problems.push(`${section} ${type}: not in reference schema`);
      continue;
    }
    if (!isPlainObject(instances)) {
      problems.push(`${section} ${type}: must be an object of named instances`);
      continue;
    }
    for (const [name, body] of Object.entries(instances)) checkBlock(`${section} ${type}.${name}`, body, entry.block, problems, true);
  }
}

/**
 * Problems with every resource and data source in a synthesized stack (empty = valid): unknown
 * types, attributes or blocks; missing required attributes or blocks; computed-only attributes
 * set; block counts outside min/max. `${…}` values are accepted anywhere.
 */
export function validateAgainstProviderSchema(synthJson: object | string, schema: ProviderSchema = loadProviderSchema()): string[] {
  const json = (typeof synthJson === 'string' ? JSON.parse(synthJson) : synthJson) as Record<string, unknown>;
  const problems: string[] = [];
  checkSection(json, 'resource', schema, problems);
  checkSection(json, 'data', schema, problems);
  return problems;
}
