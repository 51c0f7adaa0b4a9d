import { createHash } from 'crypto';
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { resolveGuardSettings, settingsToEnv, type GuardSettings, type GuardSettingsInput } from '../lambda-src/reconciler/settings';
import { LOG_RETENTION_DAYS } from './config';
import {
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_MEMORY_SIZE_MB,
  DEFAULT_TIMEOUT_SECONDS,
  MAX_FUNCTION_NAME_LENGTH,
  defaultFunctionName,
  renderGuardFunction,
  resolveBundlePath,
} from './guard-function';
import { checkIntRange, checkPattern, invalidProp } from './validate';

/** The handler's direct-run event (lambda-src/handler.ts). */
export const DIRECT_RUN_EVENT = { source: 'cfguard', action: 'reconcile' } as const;
/** Once a day, so drift (a rule removed by hand, a missed notification) heals within a day. */
export const SCHEDULE_EXPRESSION = 'rate(1 day)';

export interface OriginIpRangeGuardProps {
  /**
   * The reconciler's settings, in the shape of its environment (`guardSettingsInput`), validated as the
   * Lambda validates them. `region` and `instanceId` are required here; values must be literals.
   */
  readonly settings: GuardSettingsInput;
  /** An AWS provider in us-east-1, where the AmazonIpSpaceChanged topic lives. */
  readonly usEast1Provider: TerraformProvider;
  /** The function's name (also names its role and log group). @default - derived from the construct path */
  readonly functionName?: string;
  /** Function timeout. @default 120 */
  readonly timeoutSeconds?: number;
  /** Function memory. @default 256 */
  readonly memorySizeMb?: number;
  /** Retention of the function's log group, one of CloudWatch's values. @default 30 */
  readonly logRetentionDays?: number;
  /** Run once a day as well, to heal drift. @default true */
  readonly schedule?: boolean;
  /** Folder holding the bundled handler `index.js`. @default - `dist/lambda` of this package */
  readonly bundlePath?: string;
  /** Tags on the role, function, log group and schedule. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The tutorial's system: a Lambda subscribed to AmazonIpSpaceChanged that keeps security groups
 * tagged `PREFIX_NAME=<prefix>` equal to CloudFront's published ranges, run once at deploy so the
 * groups exist right away, and daily to heal drift.
 */
export class OriginIpRangeGuard extends Construct {
  public readonly functionName: string;
  public readonly functionArn: string;
  public readonly roleArn: string;
  public readonly logGroupName: string;
  /** The resolved settings: exactly what the function's environment carries. */
  public readonly settings: GuardSettings;
  /** The deploy-time run; depends on everything the run needs. */
  public readonly firstRun: LambdaInvocation;

  constructor(scope: Construct, id: string, props: OriginIpRangeGuardProps) {
    super(scope, id);
    const settings = resolveGuardSettings({ ...props.settings }, (name) => `settings.${name}`);
    if (!props.settings.region) throw invalidProp('settings.region', "set to the instance's region (the guard manages groups there)", props.settings.region);
    if (!settings.instanceId) {
      throw invalidProp('settings.instanceId', "set: the function's policy only lets it change that instance's network interfaces", props.settings.instanceId);
    }
    if (!/^arn:aws[a-z-]*:sns:us-east-1:/.test(settings.snsTopicArn)) {
      throw invalidProp('settings.snsTopicArn', 'a topic in us-east-1 (the subscription is made with usEast1Provider)', settings.snsTopicArn);
    }
    const functionName = props.functionName ?? defaultFunctionName(this.node.path);
    checkPattern('functionName', functionName, new RegExp(`^[A-Za-z0-9_-]{1,${MAX_FUNCTION_NAME_LENGTH}}$`), `1-${MAX_FUNCTION_NAME_LENGTH} letters, digits, - or _`);
    checkIntRange('timeoutSeconds', props.timeoutSeconds, 3, 900, "an integer from 3 to 900 (Lambda's limit)");
    checkIntRange('memorySizeMb', props.memorySizeMb, 128, 10240, "an integer from 128 to 10240 (Lambda's limit)");
    const logRetentionDays = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
      throw invalidProp('logRetentionDays', `one of CloudWatch's retentions ${LOG_RETENTION_DAYS.join(', ')}`, logRetentionDays);
    }

    // Without a configured VPC the reconciler uses the default VPC; the policy names it all the same.
    const vpcId = settings.vpcId ?? new DataAwsVpc(this, 'default-vpc', { default: true }).id;
    const parts = renderGuardFunction(this, {
      functionName,
      settings,
      vpcId,
      instanceId: settings.instanceId,
      bundlePath: resolveBundlePath(props.bundlePath),
      timeoutSeconds: props.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      memorySizeMb: props.memorySizeMb ?? DEFAULT_MEMORY_SIZE_MB,
      logRetentionDays,
      tags: props.tags,
    });
    const fn = parts.fn;

    // The permission lives in the function's region; the subscription in the topic's (us-east-1).
    const snsPermission = new LambdaPermission(this, 'sns-permission', {
      statementId: 'AllowAmazonIpSpaceChanged',
      action: 'lambda:InvokeFunction',
      functionName: fn.functionName,
      principal: 'sns.amazonaws.com',
      sourceArn: settings.snsTopicArn,
    });
    new SnsTopicSubscription(this, 'subscription', {
      provider: props.usEast1Provider,
      topicArn: settings.snsTopicArn,
      protocol: 'lambda',
      endpoint: fn.arn,
      dependsOn: [snsPermission],
    });

    if (props.schedule ?? true) {
      const rule = new CloudwatchEventRule(this, 'schedule', {
        name: `${functionName}-daily`,
        description: `Daily drift-healing run of ${functionName}`,
        scheduleExpression: SCHEDULE_EXPRESSION,
        tags: props.tags ? { ...props.tags } : undefined,
      });
      new LambdaPermission(this, 'schedule-permission', {
        statementId: 'AllowDailySchedule',
        action: 'lambda:InvokeFunction',
        functionName: fn.functionName,
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      });
      new CloudwatchEventTarget(this, 'schedule-target', { rule: rule.name, targetId: 'guard', arn: fn.arn });
    }

    this.firstRun = renderFirstRun(this, fn.functionName, settings, parts.asset.assetHash, [parts.policy, snsPermission, parts.logGroup]);
    this.functionName = fn.functionName;
    this.functionArn = fn.arn;
    this.roleArn = parts.role.arn;
    this.logGroupName = parts.logGroup.name;
    this.settings = settings;
  }
}

/**
 * The groups must exist right after deploy, not at AWS's next range change: invoke once with the
 * direct-run event, again whenever the settings or the code change. A failed run fails the apply.
 * Seam: switching to `lifecycleScope: 'CRUD'` (a run on destroy too) belongs here and only here.
 */
function renderFirstRun(scope: Construct, functionName: string, settings: GuardSettings, codeHash: string, after: ITerraformDependable[]): LambdaInvocation {
  const settingsHash = createHash('sha256').update(JSON.stringify(settingsToEnv(settings))).digest('hex');
  return new LambdaInvocation(scope, 'first-run', {
    functionName,
    input: JSON.stringify(DIRECT_RUN_EVENT),
    triggers: { settings: settingsHash, code: codeHash },
    dependsOn: after,
  });
}
