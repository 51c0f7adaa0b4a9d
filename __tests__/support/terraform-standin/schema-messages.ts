import { loadProviderSchema } from '../provider-schema';

/** The vendored schema's JSON shapes (`terraform providers schema -json`), as much as the stand-in reads. */
export interface JsonAttribute {
  readonly type: unknown;
  readonly description?: string;
  readonly description_kind?: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
  readonly write_only?: boolean;
}
export interface JsonBlockType {
  readonly nesting_mode: 'single' | 'list' | 'set' | 'map' | 'group';
  readonly min_items?: number;
  readonly max_items?: number;
  readonly block: JsonBlock;
}
export interface JsonBlock {
  readonly attributes?: Record<string, JsonAttribute>;
  readonly block_types?: Record<string, JsonBlockType>;
  readonly description?: string;
  readonly description_kind?: string;
  readonly deprecated?: boolean;
}
export interface JsonSchema {
  readonly version?: number;
  readonly block: JsonBlock;
}

/**
 * The vendored reference holds resources and data sources only, not the provider block's own
 * schema: this is the part of hashicorp/aws 6.25.0's provider schema the stacks write (region,
 * profile, assume_role) plus the common settings a user adds, with the real types.
 */
export const PROVIDER_CONFIG_SCHEMA: JsonSchema = {
  block: {
    attributes: {
      region: { type: 'string', optional: true },
      profile: { type: 'string', optional: true },
      access_key: { type: 'string', optional: true },
      secret_key: { type: 'string', optional: true },
      token: { type: 'string', optional: true },
      allowed_account_ids: { type: ['set', 'string'], optional: true },
      forbidden_account_ids: { type: ['set', 'string'], optional: true },
      shared_config_files: { type: ['list', 'string'], optional: true },
      shared_credentials_files: { type: ['list', 'string'], optional: true },
      skip_credentials_validation: { type: 'bool', optional: true },
      skip_requesting_account_id: { type: 'bool', optional: true },
      skip_metadata_api_check: { type: 'string', optional: true },
      max_retries: { type: 'number', optional: true },
    },
    block_types: {
      assume_role: {
        nesting_mode: 'list',
        block: {
          attributes: {
            duration: { type: 'string', optional: true },
            external_id: { type: 'string', optional: true },
            policy: { type: 'string', optional: true },
            policy_arns: { type: ['set', 'string'], optional: true },
            role_arn: { type: 'string', optional: true },
            session_name: { type: 'string', optional: true },
            source_identity: { type: 'string', optional: true },
            tags: { type: ['map', 'string'], optional: true },
            transitive_tag_keys: { type: ['set', 'string'], optional: true },
          },
        },
      },
      default_tags: { nesting_mode: 'list', max_items: 1, block: { attributes: { tags: { type: ['map', 'string'], optional: true } } } },
      endpoints: { nesting_mode: 'set', block: { attributes: Object.fromEntries(['cloudfront', 'ec2', 'iam', 'lambda', 'sts'].map((s) => [s, { type: 'string', optional: true }])) } },
    },
  },
};

export interface StandinSchemas {
  readonly provider: JsonSchema;
  readonly resources: Record<string, JsonSchema>;
  readonly dataSources: Record<string, JsonSchema>;
}

export function standinSchemas(): StandinSchemas {
  const vendored = loadProviderSchema() as unknown as { resource_schemas: Record<string, JsonSchema>; data_source_schemas: Record<string, JsonSchema> };
  return { provider: PROVIDER_CONFIG_SCHEMA, resources: vendored.resource_schemas, dataSources: vendored.data_source_schemas };
}

const kind = (k: string | undefined) => (k === 'markdown' ? 'MARKDOWN' : 'PLAIN');

function blockMessage(block: JsonBlock): object {
  return {
    version: 0,
    attributes: Object.entries(block.attributes ?? {}).map(([name, a]) => ({
      name,
      // The protocol carries an attribute's cty type as its JSON serialization, the same JSON the schema file holds.
      type: Buffer.from(JSON.stringify(a.type)),
      description: a.description ?? '',
      description_kind: kind(a.description_kind),
      required: a.required === true,
      optional: a.optional === true,
      computed: a.computed === true,
      sensitive: a.sensitive === true,
      deprecated: a.deprecated === true,
      write_only: a.write_only === true,
    })),
    block_types: Object.entries(block.block_types ?? {}).map(([type_name, b]) => ({
      type_name,
      block: blockMessage(b.block),
      nesting: b.nesting_mode.toUpperCase(),
      min_items: b.min_items ?? 0,
      max_items: b.max_items ?? 0,
    })),
    description: block.description ?? '',
    description_kind: kind(block.description_kind),
    deprecated: block.deprecated === true,
  };
}

export const schemaMessage = (schema: JsonSchema): object => ({ version: schema.version ?? 0, block: blockMessage(schema.block) });
