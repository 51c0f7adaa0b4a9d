import { badValueMessage, guardError } from '../lambda-src/core/errors';
import { Construct } from 'constructs';
import { TerraformDataSource, TerraformResource, type TerraformElement, type TerraformProvider } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import type { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { FUNCTION_DEFAULTS, resolveGuardSettings, type GuardSettings } from '../lambda-src/config/settings';
import type { GuardSettingsProps } from '../lambda-src/config/settings-props';
import { DEFAULT_GUARD_RUNTIME, GUARD_RUNTIMES, LOG_RETENTION_DAYS, type GuardRuntime } from '../lambda-src/config/app-config';
import { guardFunctionRegion } from '../lambda-src/core/regions';
import { guardedInstanceIdsEnvironment, guardedInstanceIdsRule } from '../lambda-src/config/guarded-instances';
import { originProbeEnvironment, renderOriginProbeAlarms, type OriginProbeProps } from './origin-probe-alarms';
import { renderGuardAlarms, validateAlerting, type GuardAlertingProps } from './guard-alarms';
import { renderEventInvokeConfig, renderFailedEventsQueue } from './guard-failed-events';
import { MAX_FUNCTION_NAME_LENGTH, defaultFunctionName, renderGuardFunction, resolveBundlePath } from './guard-function';
import { renderGuardRuns } from './guard-runs';
import { checkIntRange, checkOneOf, checkPattern, invalidProp } from './validate';

/** Once a day, so drift (a rule removed by hand, a missed notification) heals within a day. */
export const SCHEDULE_EXPRESSION = 'rate(1 day)';

export interface OriginIpRangeGuardProps {
  /** The reconciler's settings, validated by the Lambda's own parsers (literals, not tokens). */
  readonly settings: GuardSettingsProps;
  /** An AWS provider in us-east-1, where the AmazonIpSpaceChanged topic lives. */
  readonly usEast1Provider: TerraformProvider;
  /** The function's name (also names its role and log group). @default - derived from the construct path */
  readonly functionName?: string;
  /** Function timeout, 3-900 seconds (one run fetches a ~2.5 MB document and makes a few EC2 calls). @default 120 */
  readonly timeoutSeconds?: number;
  /** Function memory, 128-10240 MB. @default 256 */
  readonly memorySizeMb?: number;
  /** Retention of the function's log group, one of CloudWatch's values. @default 30 */
  readonly logRetentionDays?: number;
  /** Run once a day as well, to heal drift. @default true */
  readonly schedule?: boolean;
  /** Folder holding the bundled handler `index.js`. @default - `dist/lambda` of this package */
  readonly bundlePath?: string;
  /** Alarms on failed, refused and missing runs, and whom they notify. @default - every alarm on, notifying a new topic */
  readonly alerting?: GuardAlertingProps;
  /** The function's Node.js runtime. @default 'nodejs24.x' */
  readonly runtime?: GuardRuntime;
  /**
   * Concurrency reserved for the function. Lambda refuses a reservation that leaves the account fewer
   * than 10 unreserved executions, so on a new account (quota 10) any value fails the deploy.
   * @default - none (runs draw on the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
  /** Try the door after each run: TCP to the origin's address on each port, and the bypass check in `required` mode. @default - no origin checks */
  readonly originProbe?: OriginProbeProps;
  /** Every instance the guard locks, primary first (GUARDED_INSTANCE_IDS), when there is more than `settings.instanceId`. @default - none: the guard locks `settings.instanceId` */
  readonly guardedInstanceIds?: readonly string[];
  /**
   * The other guarded instances' own groups (GUARDED_OWN_GROUP_IDS: the secondary origin's): never written,
   * and the only groups besides the guard's and `settings.instanceSecurityGroupId` their ENIs may hold.
   * @default - none
   */
  readonly guardedOwnGroupIds?: readonly string[];
  /** Tags on every resource that takes them. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The tutorial's system: a Lambda subscribed to AmazonIpSpaceChanged that keeps security groups
 * tagged `PREFIX_NAME=<prefix>` equal to CloudFront's published ranges, run once at deploy so the
 * groups exist right away, and daily to heal drift. Day two: alarms when it fails, a queue that keeps
 * every failed event, and a teardown of the managed groups on destroy.
 */
export class OriginIpRangeGuard extends Construct {
  public readonly functionName: string;
  /** Where the function, its logs, alarms and queue run: us-east-1 for an instance in an opt-in region, else the instance's. */
  public readonly functionRegion: string;
  public readonly functionArn: string;
  public readonly roleArn: string;
  public readonly logGroupName: string;
  /** The resolved settings: exactly what the function's environment carries. */
  public readonly settings: GuardSettings;
  /** The deploy-time run (lifecycle scope CRUD): reconciles on create, tears the managed groups down on destroy. */
  public readonly firstRun: LambdaInvocation;
  /** Runs again when the settings or the code change. */
  public readonly rerunOnChange: LambdaInvocation;
  /** The queue keeping events that failed after Lambda's retries. */
  public readonly failedEventsQueueArn: string;
  public readonly failedEventsQueueUrl: string;
  /** The topic the alarms notify; undefined when every alarm is off. */
  public readonly alarmTopicArn?: string;
  public readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: OriginIpRangeGuardProps) {
    super(scope, id);
    const settings = resolveGuardSettings({ ...props.settings }, (name) => `settings.${name}`);
    if (!props.settings.region) throw invalidProp('settings.region', "set to the instance's region (the guard manages groups there)", props.settings.region);
    if (!settings.instanceId) {
      throw invalidProp('settings.instanceId', "set: the function's policy only lets it change that instance's network interfaces", props.settings.instanceId);
    }
    // The same rule the function applies to GUARDED_INSTANCE_IDS (config/guarded-instances), at synth: primary first, each once.
    const instancesRule = props.guardedInstanceIds && guardedInstanceIdsRule(props.guardedInstanceIds, settings.instanceId, 'settings.instanceId');
    if (instancesRule) throw guardError('CONFIG_INVALID', badValueMessage('guardedInstanceIds', `must ${instancesRule}`, props.guardedInstanceIds, 'text'), 'usage', { prop: 'guardedInstanceIds' });
    if (!/^arn:aws[a-z-]*:sns:us-east-1:/.test(settings.snsTopicArn)) {
      throw invalidProp('settings.snsTopicArn', 'a topic in us-east-1 (the subscription is made with usEast1Provider)', settings.snsTopicArn);
    }
    const functionName = props.functionName ?? defaultFunctionName(this.node.path);
    checkPattern('functionName', functionName, new RegExp(`^[A-Za-z0-9_-]{1,${MAX_FUNCTION_NAME_LENGTH}}$`), `1-${MAX_FUNCTION_NAME_LENGTH} letters, digits, - or _`);
    checkIntRange('timeoutSeconds', props.timeoutSeconds, 3, 900, "an integer from 3 to 900 (Lambda's limit)");
    checkIntRange('memorySizeMb', props.memorySizeMb, 128, 10240, "an integer from 128 to 10240 (Lambda's limit)");
    const logRetentionDays = props.logRetentionDays ?? FUNCTION_DEFAULTS.logRetentionDays;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
      throw invalidProp('logRetentionDays', `one of CloudWatch's retentions ${LOG_RETENTION_DAYS.join(', ')}`, logRetentionDays);
    }
    const runtime = props.runtime ?? DEFAULT_GUARD_RUNTIME;
    checkOneOf('runtime', runtime, GUARD_RUNTIMES);
    checkIntRange('reservedConcurrency', props.reservedConcurrency, 1, 100_000, 'a whole number of at least 1 (or unset: none reserved)');
    const schedule = props.schedule ?? FUNCTION_DEFAULTS.schedule;
    const alerting = props.alerting ?? {};
    validateAlerting(alerting, schedule);

    // Without a configured VPC the reconciler uses the default VPC; the policy names it all the same.
    const defaultVpc = settings.vpcId ? undefined : new DataAwsVpc(this, 'default-vpc', { default: true });
    const vpcId = settings.vpcId ?? defaultVpc!.id;
    const queue = renderFailedEventsQueue(this, functionName, props.tags);
    const parts = renderGuardFunction(this, {
      ...props,
      functionName,
      settings,
      vpcId,
      instanceId: settings.instanceId,
      bundlePath: resolveBundlePath(props.bundlePath),
      logRetentionDays,
      runtime,
      failedEventsQueueArn: queue.arn,
      extraEnvironment: {
        ...(props.originProbe ? originProbeEnvironment(props.originProbe, settings.ports) : {}),
        ...(props.guardedInstanceIds ? guardedInstanceIdsEnvironment(props.guardedInstanceIds, props.guardedOwnGroupIds) : {}),
      },
    });
    const fn = parts.fn;
    renderEventInvokeConfig(this, fn.functionName, queue, [parts.policy]);

    // The permissions live in the function's region; the subscription in the topic's (us-east-1).
    const invokePermission = (id: string, statementId: string, principal: string, sourceArn: string) =>
      new LambdaPermission(this, id, { statementId, action: 'lambda:InvokeFunction', functionName: fn.functionName, principal, sourceArn });
    const snsPermission = invokePermission('sns-permission', 'AllowAmazonIpSpaceChanged', 'sns.amazonaws.com', settings.snsTopicArn);
    const rule = schedule
      ? new CloudwatchEventRule(this, 'schedule', {
          name: `${functionName}-daily`,
          description: `Daily drift-healing run of ${functionName}`,
          scheduleExpression: SCHEDULE_EXPRESSION,
          tags: props.tags ? { ...props.tags } : undefined,
        })
      : undefined;
    const schedulePermission = rule ? invokePermission('schedule-permission', 'AllowDailySchedule', 'events.amazonaws.com', rule.arn) : undefined;

    const runs = renderGuardRuns(this, fn.functionName, settings, parts.asset.assetHash, [parts.policy, snsPermission, ...(schedulePermission ? [schedulePermission] : []), parts.logGroup]);

    // What triggers runs waits for the first run, so on destroy it is gone before the teardown:
    // no notification or schedule can rebuild a group after it was torn down.
    new SnsTopicSubscription(this, 'subscription', {
      provider: props.usEast1Provider,
      topicArn: settings.snsTopicArn,
      protocol: 'lambda',
      endpoint: fn.arn,
      dependsOn: [snsPermission, runs.firstRun],
    });
    if (rule) new CloudwatchEventTarget(this, 'schedule-target', { rule: rule.name, targetId: 'guard', arn: fn.arn, dependsOn: [runs.firstRun] });

    const alarms = renderGuardAlarms(this, {
      functionName,
      functionNameRef: fn.functionName,
      prefixName: settings.prefixName,
      schedule,
      alerting,
      firstRun: runs.firstRun,
      tags: props.tags,
    });

    // Before the placement below: the probe's alarms live with the guard's other alarms.
    const probeAlarms = props.originProbe
      ? renderOriginProbeAlarms(this, { functionName, prefixName: settings.prefixName, probe: props.originProbe, topicArn: alarms.topicArn, tags: props.tags })
      : [];

    this.functionRegion = guardFunctionRegion(settings.region);
    if (this.functionRegion !== settings.region) placeInRegionOf(this, props.usEast1Provider, defaultVpc);

    this.firstRun = runs.firstRun;
    this.rerunOnChange = runs.rerunOnChange;
    this.failedEventsQueueArn = queue.arn;
    this.failedEventsQueueUrl = queue.url;
    this.alarmTopicArn = alarms.topicArn;
    this.alarms = [...alarms.alarms, ...probeAlarms];
    this.functionName = fn.functionName;
    this.functionArn = fn.arn;
    this.roleArn = parts.role.arn;
    this.logGroupName = parts.logGroup.name;
    this.settings = settings;
  }
}

/**
 * Moves everything the guard rendered onto `provider` (the function's region), except what must be
 * read in the instance's region (the default VPC lookup). Ids are unchanged; only the provider differs.
 */
function placeInRegionOf(scope: Construct, provider: TerraformProvider, keepInInstanceRegion: TerraformElement | undefined): void {
  for (const c of scope.node.findAll()) {
    if (c === keepInInstanceRegion) continue;
    if (TerraformResource.isTerraformResource(c) || c instanceof TerraformDataSource) (c as TerraformResource | TerraformDataSource).provider = provider;
  }
}
