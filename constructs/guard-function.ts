import { existsSync, statSync } from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { AssetType, Fn, TerraformAsset } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { FUNCTION_DEFAULTS, settingsToEnv, type GuardSettings } from '../lambda-src/config/settings';
import type { GuardRuntime } from '../lambda-src/config/app-config';
import type { OriginIpRangeGuardProps } from './origin-ip-range-guard';
import { ownGroupIdsOf } from '../lambda-src/core/ownership';
import { buildGuardPolicy } from './guard-iam';
import { invalidProp } from './validate';

/*
 * The guard's function and what it runs as: role, least-privilege policy, log group, code asset.
 * Rendered into the OriginIpRangeGuard's own scope (not a child construct) so construct ids stay flat.
 */

export const GUARD_HANDLER = 'index.handler';
/** Leaves room for the role's `-role` suffix inside IAM's 64-character limit. */
export const MAX_FUNCTION_NAME_LENGTH = 58;

/** The package root: the nearest folder with a package.json above this file (works from constructs/ and dist/constructs/). */
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** The folder holding the bundled handler `index.js`; a missing bundle says how to build it. */
export function resolveBundlePath(bundlePath?: string): string {
  const dir = path.resolve(bundlePath ?? path.join(packageRoot(), 'dist', 'lambda'));
  const entry = path.join(dir, 'index.js');
  if (!existsSync(entry) || !statSync(entry).isFile()) {
    throw invalidProp('bundlePath', "a folder holding the bundled Lambda 'index.js'; run 'npm run bundle' to build dist/lambda/index.js", dir);
  }
  return dir;
}

/** `streaming-origin/origin/guard` -> `streaming-origin-origin-guard`, hashed down when too long. */
export function defaultFunctionName(constructPath: string): string {
  const name = constructPath.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  if (name.length <= MAX_FUNCTION_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(constructPath).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_FUNCTION_NAME_LENGTH - 9)}-${hash}`;
}

/** OriginIpRangeGuard's function props as given (the defaults are applied here), and what the guard resolved. */
export interface GuardFunctionOptions extends Pick<OriginIpRangeGuardProps, 'guardedInstanceIds' | 'guardedOwnGroupIds' | 'timeoutSeconds' | 'memorySizeMb' | 'reservedConcurrency' | 'tags'> {
  readonly functionName: string;
  readonly settings: GuardSettings;
  /** The managed groups' VPC: the configured one or the default VPC's id token. */
  readonly vpcId: string;
  /** `settings.instanceId`, known to be set. */
  readonly instanceId: string;
  readonly bundlePath: string;
  readonly logRetentionDays: number;
  readonly runtime: GuardRuntime;
  /** The on-failure destination the role may send to. */
  readonly failedEventsQueueArn: string;
  /** Variables beside the settings (the origin checks' ORIGIN_*). */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
}

export interface GuardFunctionParts {
  readonly fn: LambdaFunction;
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
  readonly asset: TerraformAsset;
}

export function renderGuardFunction(scope: Construct, o: GuardFunctionOptions): GuardFunctionParts {
  const tags = o.tags ? { ...o.tags } : undefined;
  const partition = new DataAwsPartition(scope, 'partition');
  const account = new DataAwsCallerIdentity(scope, 'account');
  const functionRegion = new DataAwsRegion(scope, 'function-region');

  const role = new IamRole(scope, 'role', {
    name: `${o.functionName}-role`,
    description: `Runs ${o.functionName}: keeps the ${o.settings.prefixName} security groups in step with CloudFront's ranges`,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
    tags,
  });

  const document = buildGuardPolicy({
    partition: partition.partition,
    accountId: account.accountId,
    region: o.settings.region,
    functionRegion: functionRegion.region,
    functionName: o.functionName,
    prefixName: o.settings.prefixName,
    vpcId: o.vpcId,
    instanceId: o.instanceId,
    // The function reads the same ids (INSTANCE_SECURITY_GROUP_ID, GUARDED_OWN_GROUP_IDS): what IAM lets it keep on an ENI, the code keeps.
    ownGroupIds: ownGroupIdsOf({ instanceSecurityGroupId: o.settings.instanceSecurityGroupId, guardedOwnGroupIds: o.guardedOwnGroupIds }),
    ...(o.guardedInstanceIds ? { instanceIds: o.guardedInstanceIds } : {}),
    failedEventsQueueArn: o.failedEventsQueueArn,
  });
  const policy = new IamRolePolicy(scope, 'policy', { name: 'least-privilege', role: role.id, policy: JSON.stringify(document) });

  // Terraform owns the log group, so its retention applies; the function must not create it first.
  const logGroup = new CloudwatchLogGroup(scope, 'log-group', {
    name: `/aws/lambda/${o.functionName}`,
    retentionInDays: o.logRetentionDays,
    tags,
  });

  const asset = new TerraformAsset(scope, 'bundle', { path: o.bundlePath, type: AssetType.ARCHIVE });
  const fn = new LambdaFunction(scope, 'function', {
    functionName: o.functionName,
    description: 'cloudfront-origin-guard: reconciles the origin security groups with CloudFront ip-ranges',
    role: role.arn,
    filename: asset.path,
    sourceCodeHash: Fn.filebase64sha256(asset.path),
    handler: GUARD_HANDLER,
    runtime: o.runtime,
    architectures: ['arm64'],
    timeout: o.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds,
    memorySize: o.memorySizeMb ?? FUNCTION_DEFAULTS.memorySizeMb,
    // None by default: a new account's concurrency quota can be 10, and Lambda refuses any
    // reservation that leaves fewer than 10 unreserved. Overlapping runs are safe without it.
    reservedConcurrentExecutions: o.reservedConcurrency,
    environment: { variables: { ...settingsToEnv(o.settings), ...o.extraEnvironment } },
    tags,
    dependsOn: [logGroup],
  });
  return { fn, role, policy, logGroup, asset };
}
