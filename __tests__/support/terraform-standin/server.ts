import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { decodeCty, encodeCty, type CtyValue } from './cty-msgpack';
import { dataSourceState, importedState, plannedState } from './planned-values';
import { schemaMessage, standinSchemas, type JsonSchema } from './schema-messages';

/**
 * A schema-only stand-in for hashicorp/aws speaking plugin protocol 5 over gRPC on 127.0.0.1.
 * Terraform attaches to it through TF_REATTACH_PROVIDERS (so `terraform init` downloads nothing),
 * reads the vendored schema, and does all the judging itself: the stand-in validates nothing,
 * plans the proposed state, and never applies.
 */

export const PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/aws';

export interface Standin {
  /** The value of TF_REATTACH_PROVIDERS that points Terraform at this server. */
  readonly reattach: string;
  readonly calls: Map<string, number>;
  readonly stop: () => Promise<void>;
}

type Handler = (request: any) => object;
type DynamicValue = { msgpack?: Uint8Array; json?: Uint8Array };

const valueOf = (v: DynamicValue | undefined): CtyValue => (v?.json && v.json.length > 0 ? (JSON.parse(Buffer.from(v.json).toString('utf8')) as CtyValue) : decodeCty(v?.msgpack));
const dynamic = (value: CtyValue): DynamicValue => ({ msgpack: encodeCty(value) });

function schemaOf(table: Record<string, JsonSchema>, typeName: string): JsonSchema {
  const schema = table[typeName];
  // Terraform only asks about types the schema announced; anything else is a bug in the stand-in.
  if (!schema) throw new Error(`the stand-in has no schema for ${typeName}`);
  return schema;
}

function handlers(): Record<string, Handler> {
  const schemas = standinSchemas();
  const capabilities = { plan_destroy: false, get_provider_schema_optional: false, move_resource_state: false };
  const resourceMessages = Object.fromEntries(Object.entries(schemas.resources).map(([k, s]) => [k, schemaMessage(s)]));
  const dataMessages = Object.fromEntries(Object.entries(schemas.dataSources).map(([k, s]) => [k, schemaMessage(s)]));
  return {
    GetMetadata: () => ({
      server_capabilities: capabilities,
      resources: Object.keys(schemas.resources).map((type_name) => ({ type_name })),
      data_sources: Object.keys(schemas.dataSources).map((type_name) => ({ type_name })),
    }),
    GetSchema: () => ({ provider: schemaMessage(schemas.provider), resource_schemas: resourceMessages, data_source_schemas: dataMessages, server_capabilities: capabilities }),
    PrepareProviderConfig: (r) => ({ prepared_config: r.config }),
    ValidateResourceTypeConfig: () => ({}),
    ValidateDataSourceConfig: () => ({}),
    // The stand-in only ever sees states it wrote itself, in the current schema version.
    UpgradeResourceState: (r) => ({ upgraded_state: { json: r.raw_state?.json } }),
    GetResourceIdentitySchemas: () => ({ identity_schemas: {} }),
    Configure: () => ({}),
    ReadResource: (r) => ({ new_state: r.current_state, private: r.private }),
    PlanResourceChange: (r) => {
      const proposed = valueOf(r.proposed_new_state);
      // A destroy (proposed null) plans null; anything else is the proposed state, computed values unknown.
      return { planned_state: dynamic(plannedState(schemaOf(schemas.resources, r.type_name).block, proposed)), planned_private: r.prior_private };
    },
    ImportResourceState: (r) => ({ imported_resources: [{ type_name: r.type_name, state: dynamic(importedState(schemaOf(schemas.resources, r.type_name).block, r.id)) }] }),
    ReadDataSource: (r) => ({ state: dynamic(dataSourceState(schemaOf(schemas.dataSources, r.type_name).block, valueOf(r.config))) }),
    GetFunctions: () => ({ functions: {} }),
    Stop: () => ({ Error: '' }),
  };
}

function providerService(): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(path.join(__dirname, 'tfplugin5-subset.proto'), { keepCase: true, longs: Number, enums: String, defaults: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { tfplugin5: { Provider: grpc.ServiceClientConstructor } };
  return loaded.tfplugin5.Provider.service;
}

export async function startStandin(): Promise<Standin> {
  const server = new grpc.Server();
  const calls = new Map<string, number>();
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [name, handle] of Object.entries(handlers())) {
    implementation[name] = (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      try {
        callback(null, handle(call.request));
      } catch (e) {
        callback({ code: grpc.status.INTERNAL, details: (e as Error).message });
      }
    };
  }
  server.addService(providerService(), implementation);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  const reattach = JSON.stringify({
    [PROVIDER_ADDRESS]: { Protocol: 'grpc', ProtocolVersion: 5, Pid: process.pid, Test: true, Addr: { Network: 'tcp', String: `127.0.0.1:${port}` } },
  });
  const stop = () => new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  return { reattach, calls, stop };
}
