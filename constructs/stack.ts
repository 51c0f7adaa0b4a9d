import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import type { Construct } from 'constructs';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { guardError } from '../lambda-src/core/errors';
import { DEFAULT_IMPORTS_FILE, type AppConfig } from '../lambda-src/config/app-config';
import { importablePaths, STREAMING_ORIGIN_ID } from '../lambda-src/config/import-paths';
import { StreamingOrigin } from './streaming-origin';

/** Credentials for deploying into another account: both providers assume this role. */
export interface StackAssumeRole {
  /** The role to assume, e.g. `arn:aws:iam::111111111111:role/cfguard-deploy`. */
  readonly roleArn: string;
  /** Session name shown in CloudTrail. @default 'cfguard' */
  readonly sessionName?: string;
  /** External id the role's trust policy requires. @default - none */
  readonly externalId?: string;
}

export interface OriginGuardStackProps {
  /** The validated configuration (`loadAppConfig`); its `name` is the stack's construct id. */
  readonly config: AppConfig;
  /** Folder of the config file: the imports file and a relative local state path resolve against it. @default - the working directory */
  readonly configDir?: string;
  /** Construct path -> cloud id to import. @default - the imports file's content, when the file exists */
  readonly imports?: Readonly<Record<string, string>>;
  /** Assume this role in both providers, to reuse the module across accounts. @default - the ambient credentials */
  readonly assumeRole?: StackAssumeRole;
  /** Named AWS profile for both providers. @default - the ambient credentials */
  readonly profile?: string;
  /** Folder holding the bundled guard handler. @default - `dist/lambda` of this package */
  readonly bundlePath?: string;
  /** Where TF_CLOUD_ORGANIZATION / TF_WORKSPACE are read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Every synthesized stack declares the Terraform it needs (`terraform { required_version }`). */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11';

/**
 * One deployment of the edge, from one config file. The construct id is the config's `name`, so
 * construct paths, and with them the imports file's keys (import-paths.ts), follow from the config.
 */
export class OriginGuardStack extends TerraformStack {
  public readonly origin: StreamingOrigin;
  public readonly provider: AwsProvider;
  /** The aliased provider in us-east-1 (`aws.us_east_1`). */
  public readonly usEast1Provider: AwsProvider;

  constructor(scope: Construct, props: OriginGuardStackProps) {
    const { config } = props;
    super(scope, config.name);
    const configDir = path.resolve(props.configDir ?? process.cwd());
    const assumeRole = props.assumeRole ? [{ roleArn: props.assumeRole.roleArn, sessionName: props.assumeRole.sessionName ?? 'cfguard', externalId: props.assumeRole.externalId }] : undefined;

    this.provider = new AwsProvider(this, 'aws', { region: config.region, assumeRole, profile: props.profile });
    this.usEast1Provider = new AwsProvider(this, 'aws-us-east-1', { alias: 'us_east_1', region: 'us-east-1', assumeRole, profile: props.profile });
    // The origin secret's write-only `value_wo` needs Terraform 1.11; an older binary must say so at init, not fail oddly at apply.
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    renderBackend(this, config, configDir, props.env ?? process.env);

    // The config's blocks are StreamingOrigin's props, one for one; the rest is the stack's.
    const { name, backend, importsFile, guard, ...origin } = config;
    this.origin = new StreamingOrigin(this, STREAMING_ORIGIN_ID, { ...origin, guard: { ...guard, bundlePath: props.bundlePath }, usEast1Provider: this.usEast1Provider });
    this.renderOutputs();

    const imports = props.imports ?? readImportsFile(config, configDir);
    applyImports(this, config, imports);
  }

  private renderOutputs(): void {
    const o = this.origin;
    new TerraformOutput(this, 'distribution_domain_name', { value: o.distribution.distributionDomainName, description: 'Viewers use this name (or an alias pointing at it)' });
    new TerraformOutput(this, 'distribution_id', { value: o.distribution.distributionId, description: 'The CloudFront distribution id' });
    new TerraformOutput(this, 'origin_public_ip', { value: o.elasticIp.publicIp, description: "The origin's Elastic IP" });
    new TerraformOutput(this, 'origin_public_dns', { value: o.elasticIp.publicDns, description: "The origin's public DNS (the default CloudFront origin)" });
    const guard = o.ipRangeGuard;
    if (guard) {
      new TerraformOutput(this, 'guard_function_name', { value: guard.functionName, description: 'The reconciler Lambda' });
      new TerraformOutput(this, 'failed_events_queue_url', { value: guard.failedEventsQueueUrl, description: 'Events the guard still failed on after retries, kept 14 days for reading and replay' });
      if (guard.alarmTopicArn) new TerraformOutput(this, 'alarm_topic_arn', { value: guard.alarmTopicArn, description: "The SNS topic the guard's alarms notify" });
    }
    const secret = o.originSecret;
    if (secret) {
      new TerraformOutput(this, 'origin_secret_parameter', { value: secret.parameterName, description: 'The SecureString parameter the origin reads its accepted header values from' });
      new TerraformOutput(this, 'origin_secret_header', { value: secret.headerValue, sensitive: true, description: `The ${secret.headerName} value CloudFront sends to the origin` });
    }
    if (o.secondary) {
      new TerraformOutput(this, 'secondary_origin_public_ip', { value: o.secondary.elasticIp.publicIp, description: "The secondary origin's Elastic IP" });
      new TerraformOutput(this, 'secondary_origin_public_dns', { value: o.secondary.elasticIp.publicDns, description: "The secondary origin's public DNS (its default CloudFront origin)" });
    }
    const edge = o.edgeMonitoring;
    if (edge.createdTopic && edge.topicArn) new TerraformOutput(this, 'edge_alarm_topic_arn', { value: edge.topicArn, description: "The SNS topic (us-east-1) the edge's alarms notify" });
    new TerraformOutput(this, 'managed_group_prefix', { value: o.managedGroupPrefix, description: 'Name prefix and PREFIX_NAME tag of the managed security groups' });
  }
}

function renderBackend(stack: TerraformStack, config: AppConfig, configDir: string, env: Readonly<Record<string, string | undefined>>): void {
  const backend = config.backend;
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: path.resolve(configDir, backend.path ?? `terraform.${config.name}.tfstate`) });
      return;
    case 'cloud': {
      const organization = backend.organization ?? env.TF_CLOUD_ORGANIZATION;
      if (!organization) {
        throw guardError('CONFIG_INVALID', `'backend.organization' must be set for a Terraform Cloud backend, got nothing; set it in the config or export TF_CLOUD_ORGANIZATION`, 'usage', {
          path: 'backend.organization',
        });
      }
      const workspace = backend.workspace ?? env.TF_WORKSPACE ?? config.name;
      new CloudBackend(stack, { hostname: backend.hostname, organization, workspaces: new NamedCloudWorkspace(workspace) });
      return;
    }
    case 's3':
      new S3Backend(stack, { bucket: backend.bucket, key: backend.key, region: backend.region, dynamodbTable: backend.dynamodbTable, encrypt: backend.encrypt });
      // S3-native locking (Terraform >= 1.11; cdktf 0.21's S3Backend has no prop for it). `dynamodb_table`
      // is deprecated there and kept only when the config names a table, alongside the lock file.
      if (backend.useLockfile) stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
  }
}

/** The imports file's content; `{}` when the default file is absent. An explicitly named file must exist. */
export function readImportsFile(config: AppConfig, configDir: string): Record<string, string> {
  const file = path.resolve(configDir, config.importsFile ?? DEFAULT_IMPORTS_FILE);
  if (!existsSync(file)) {
    if (config.importsFile === undefined) return {};
    throw guardError('CONFIG_INVALID', `'importsFile' must name an existing file, got '${config.importsFile}' (${file} does not exist); run 'cfguard import' to write it, or remove the key`, 'usage', {
      path: 'importsFile',
      file,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw guardError('CONFIG_INVALID', `imports file '${file}' must be valid JSON, got a syntax error (${(e as Error).message}); fix it or write it again with 'cfguard import'`, 'usage', { file });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || Object.values(raw).some((v) => typeof v !== 'string' || v.length === 0)) {
    throw guardError('CONFIG_INVALID', `imports file '${file}' must be a JSON object of "<construct path>": "<cloud id>" strings, got ${JSON.stringify(raw).slice(0, 80)}`, 'usage', { file });
  }
  return raw as Record<string, string>;
}

/** Adopts hand-made resources: `import` blocks for each `{path: id}`; an unknown path is an error naming the known ones. */
function applyImports(stack: TerraformStack, config: AppConfig, imports: Readonly<Record<string, string>>): void {
  const entries = Object.entries(imports);
  if (entries.length === 0) return;
  const byPath = new Map<string, TerraformResource>();
  for (const c of stack.node.findAll()) if (TerraformResource.isTerraformResource(c)) byPath.set(c.node.path, c);
  for (const [constructPath, id] of entries) {
    const resource = byPath.get(constructPath);
    if (!resource) {
      const known = importablePaths(config);
      throw guardError(
        'CONFIG_INVALID',
        `imports: '${constructPath}' must be the construct path of a resource in stack '${config.name}', got no such resource; known paths: ${known.map((p) => `${p.path} (${p.resourceType})`).join(', ')}`,
        'usage',
        { path: constructPath, known: known.map((p) => p.path) },
      );
    }
    resource.importFrom(id, resource.provider);
  }
}
