import { guardError, type GuardError } from '../lambda-src/core/errors';
import { Construct } from 'constructs';
import { DataAwsInstance } from '@cdktf/provider-aws/lib/data-aws-instance';
import { FUNCTION_DEFAULTS, parseSetting, resolveGuardSettings, SETTINGS } from '../lambda-src/config/settings';
import { EdgeDistribution, type EdgeDistributionProps } from './edge-distribution';
import { IngestRules } from './ingest-rules';
import { ingestRulesSetting } from '../lambda-src/config/ingest-rule-ids';
import { DISTRIBUTION_ID, ELASTIC_IP_ID, GUARD_ID, INGEST_ID, SECONDARY_ORIGIN_ID } from '../lambda-src/config/import-paths';
import { OriginElasticIp } from './origin-elastic-ip';
import type { GuardAlertingProps } from './guard-alarms';
import { OriginIpRangeGuard } from './origin-ip-range-guard';
import { OriginPrefixListGuard } from './origin-prefix-list-guard';
import { invalidProp } from './validate';
import { TerraformStack, Token } from 'cdktf';
import { guardPortsForOrigin } from '../lambda-src/config/origin-port';
import { formatPort } from '../lambda-src/core/rules';
import { OriginSecret } from './origin-secret';
import { EdgeMonitoring } from './edge-monitoring';
import { SecondaryOrigin } from './secondary-origin';
import { defaultFunctionName } from './guard-function';
import type { OriginProbeProps } from './origin-probe-alarms';
import { defaultOriginSecretParameterName, type OriginSecretMode } from '../lambda-src/config/origin-secret';
import { LAMBDA_GUARD_PROPS, type LambdaGuardProps, type StreamingOriginGuardProps, type StreamingOriginProps } from './streaming-origin-props';
import type { GuardBlockSettingsProps } from '../lambda-src/config/settings-props';
export type { GuardMode, StreamingOriginGuardProps, StreamingOriginIngestProps, StreamingOriginProps, StreamingOriginSecretProps } from './streaming-origin-props';

/**
 * The whole edge from one props object (the config file's shape): Elastic IP, CloudFront
 * distribution in front of it, the guard that locks the origin to CloudFront, the ingest openings.
 * The guard opens IPv6 exactly when the distribution may reach the origin over IPv6.
 */
export class StreamingOrigin extends Construct {
  public readonly elasticIp: OriginElasticIp;
  public readonly distribution: EdgeDistribution;
  /** The Lambda guard, in lambda mode. */
  public readonly ipRangeGuard?: OriginIpRangeGuard;
  /** The prefix-list guard, in prefix-list mode. */
  public readonly prefixListGuard?: OriginPrefixListGuard;
  public readonly ingest?: IngestRules;
  /** The secret origin header's parameter and value; undefined in mode `off`. */
  public readonly originSecret?: OriginSecret;
  /** The secret origin header's mode. */
  public readonly originSecretMode: OriginSecretMode;
  /** The managed groups' name prefix and `PREFIX_NAME` tag value. */
  public readonly managedGroupPrefix: string;
  /** The second origin instance's address and ingest rules; undefined without `secondaryOrigin`. */
  public readonly secondary?: SecondaryOrigin;
  /** The edge's alarms, dashboard and additional metrics (construct id `edge-monitoring`, us-east-1). */
  public readonly edgeMonitoring: EdgeMonitoring;

  constructor(scope: Construct, id: string, props: StreamingOriginProps) {
    super(scope, id);
    const tags = props.tags && Object.keys(props.tags).length > 0 ? props.tags : undefined;
    const { mode = FUNCTION_DEFAULTS.mode, existingGroupsOnInterface, originProbe = true, ...block } = props.guard ?? {};
    const { lambda, given } = splitGuardBlock(block);
    const alerting = lambda.alerting;
    const settings = { ...given, ports: guardPorts(given.ports, props.distribution), ingestRules: expectedIngest(props.ingest) };
    if (mode !== 'lambda' && mode !== 'prefix-list') throw invalidProp('guard.mode', "'lambda' or 'prefix-list'", mode);

    this.elasticIp = new OriginElasticIp(this, ELASTIC_IP_ID, { instanceId: props.instanceId, allocationId: props.elasticIp?.allocationId, tags });
    const ingestOn = props.ingest?.enabled ?? true;
    if (props.secondaryOrigin) {
      if (ingestOn && props.secondaryOrigin.instanceSecurityGroupId === undefined) throw missingOwnGroup('secondaryOrigin.instanceSecurityGroupId');
      this.secondary = new SecondaryOrigin(this, SECONDARY_ORIGIN_ID, {
        ...props.secondaryOrigin,
        ingestRules: ingestOn ? (props.ingest?.rules ?? 'default') : undefined,
        primarySecurityGroupId: props.instanceSecurityGroupId,
        tags,
      });
    }
    const { mode: secretMode = 'on', verifyPath = '/', ...secretProps } = props.originSecret ?? {};
    if (!['off', 'on', 'required'].includes(secretMode)) throw invalidProp('originSecret.mode', "'off', 'on' or 'required'", secretMode);
    this.originSecretMode = secretMode;
    if (secretMode !== 'off') {
      this.originSecret = new OriginSecret(this, 'origin-secret', {
        ...secretProps,
        parameterName: secretProps.parameterName ?? defaultOriginSecretParameterName(TerraformStack.of(this).node.id),
        tags,
      });
    }
    this.distribution = new EdgeDistribution(this, DISTRIBUTION_ID, {
      ...props.distribution,
      originCustomHeaders: this.originSecret ? [{ name: this.originSecret.headerName, value: this.originSecret.headerValue }] : undefined,
      originDomainName: props.distribution?.originDomainName ?? this.elasticIp.publicDns,
      originRegion: props.region,
      secondaryOrigin: this.secondaryOriginForDistribution(props),
      tags,
    });
    const ipv6 = this.distribution.opensIpv6;

    if (mode === 'lambda') {
      this.ipRangeGuard = new OriginIpRangeGuard(this, GUARD_ID, {
        settings: { ...settings, region: props.region, instanceId: props.instanceId, vpcId: props.vpcId, ipv6, instanceSecurityGroupId: props.instanceSecurityGroupId },
        usEast1Provider: props.usEast1Provider,
        ...lambda,
        tags,
        originProbe: originProbe ? this.originProbeProps(props, secretMode, verifyPath) : undefined,
        guardedInstanceIds: this.secondary ? [props.instanceId, this.secondary.instanceId] : undefined,
        guardedOwnGroupIds: this.secondary && props.secondaryOrigin?.instanceSecurityGroupId ? [props.secondaryOrigin.instanceSecurityGroupId] : undefined,
      });
      this.managedGroupPrefix = this.ipRangeGuard.settings.prefixName;
    } else {
      if (alerting !== undefined) {
        throw invalidProp('guard.alerting', "absent in prefix-list mode (there is no function to watch: CloudFront's managed prefix list needs no run)", alerting);
      }
      // The same parsers as the Lambda's, named as the config file spells them; typed values from here on.
      const resolved = resolveGuardSettings({ ...settings, ipv6 }, (name) => SETTINGS[name].configPath);
      if (resolved.services.some((s) => s !== 'CLOUDFRONT_ORIGIN_FACING')) {
        throw invalidProp('guard.services', "['CLOUDFRONT_ORIGIN_FACING'] in prefix-list mode (the managed prefix list holds the origin-facing ranges only)", resolved.services);
      }
      this.prefixListGuard = new OriginPrefixListGuard(this, GUARD_ID, {
        ports: resolved.ports,
        prefixName: resolved.prefixName,
        vpcId: props.vpcId,
        ipv6,
        // The data source's `network_interface_id` is the primary (device index 0) interface.
        networkInterfaceId: new DataAwsInstance(this, 'instance', { instanceId: props.instanceId }).networkInterfaceId,
        secondaryNetworkInterfaceId: this.secondary?.networkInterfaceId(),
        rulesPerGroup: resolved.rulesPerGroup,
        groupsPerInterface: resolved.groupsPerInterface,
        existingGroupsOnInterface,
        tags,
      });
      this.managedGroupPrefix = resolved.prefixName;
    }

    if (ingestOn) {
      if (props.instanceSecurityGroupId === undefined) throw missingOwnGroup();
      this.ingest = new IngestRules(this, INGEST_ID, { securityGroupId: props.instanceSecurityGroupId, rules: props.ingest?.rules, tags });
    }
    this.edgeMonitoring = this.renderEdgeMonitoring(props, alerting, tags);
  }

  /** The edge alarms notify the guard's topic when it is in us-east-1, else a topic there with the same e-mail subscriptions. */
  private renderEdgeMonitoring(props: StreamingOriginProps, alerting: GuardAlertingProps | undefined, tags: Readonly<Record<string, string>> | undefined): EdgeMonitoring {
    const guard = this.ipRangeGuard;
    const guardTopic = guard?.alarmTopicArn ? { arn: guard.alarmTopicArn, region: guard.functionRegion } : undefined;
    // An existing guard topic's subscriptions are not ours to know; a created one has exactly `emails`.
    const emails = guardTopic && alerting?.topicArn === undefined ? (alerting?.emails ?? []) : [];
    return new EdgeMonitoring(this, 'edge-monitoring', {
      ...props.edgeMonitoring,
      distributionId: this.distribution.distributionId,
      usEast1Provider: props.usEast1Provider,
      namePrefix: defaultFunctionName(`${this.node.path}/edge`),
      guardTopic,
      emails,
      guardMetrics: guard ? { region: guard.functionRegion, prefixName: guard.settings.prefixName } : undefined,
      tags,
    });
  }

  /** The distribution's secondary: the instance's EIP DNS unless named, the failover settings as given. */
  private secondaryOriginForDistribution(props: StreamingOriginProps): EdgeDistributionProps['secondaryOrigin'] {
    if (!props.secondaryOrigin || !this.secondary) return undefined;
    const { instanceId, instanceSecurityGroupId, elasticIp, originDomainName, ...failover } = props.secondaryOrigin;
    return { domainName: originDomainName ?? this.secondary.elasticIp.publicDns, region: props.region, ...failover };
  }

  /** The Lambda's origin checks: the EIP's address, and in `required` mode the URL CloudFront would request. */
  private originProbeProps(props: StreamingOriginProps, secretMode: OriginSecretMode, verifyPath: string): OriginProbeProps {
    const d = props.distribution ?? {};
    const host = d.originDomainName ?? this.elasticIp.publicDns;
    const https = d.originProtocolPolicy === 'https-only';
    const checkUrl = https ? `https://${host}:${d.originHttpsPort ?? 443}${verifyPath}` : `http://${host}:${d.originHttpPort ?? 80}${verifyPath}`;
    return {
      address: this.elasticIp.publicIp,
      ...(this.secondary ? { secondaryAddress: this.secondary.elasticIp.publicIp } : {}),
      secretMode,
      checkUrl: secretMode === 'required' ? checkUrl : undefined,
    };
  }
}

/** The guard block's function props (LAMBDA_GUARD_PROPS) apart from the reconciler's settings. */
function splitGuardBlock(block: Omit<StreamingOriginGuardProps, 'mode' | 'existingGroupsOnInterface' | 'originProbe'>): { lambda: LambdaGuardProps; given: GuardBlockSettingsProps } {
  const lambda: Record<string, unknown> = {};
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(block)) ((LAMBDA_GUARD_PROPS as readonly string[]).includes(key) ? lambda : given)[key] = value;
  return { lambda, given };
}

/** The ingest rules the function's audit expects: the ones this stack opens (none with ingest off; the default while unset). */
function expectedIngest(ingest: StreamingOriginProps['ingest']): readonly string[] | undefined {
  if (ingest?.enabled === false) return [];
  return ingest?.rules ? ingestRulesSetting(ingest.rules, 'ingest.rules') : undefined;
}

/**
 * The guard's ports follow the distribution's origin port (one fact, one place); explicit ones must
 * include it. An origin port still a token is not known here, so explicit (or default) ports stand.
 */
function guardPorts(ports: StreamingOriginGuardProps['ports'], d: StreamingOriginProps['distribution'] = {}): StreamingOriginGuardProps['ports'] {
  if ([d.originHttpPort, d.originHttpsPort, d.originProtocolPolicy].some((v) => Token.isUnresolved(v))) return ports;
  const explicit = ports === undefined ? undefined : parseSetting('ports', ports, SETTINGS.ports.configPath);
  return guardPortsForOrigin(explicit, d, { ports: SETTINGS.ports.configPath, distribution: 'distribution.' }).map(formatPort);
}

/**
 * Guessing the instance's own group is unsafe: once the guard has attached its managed groups, a
 * guess could land the ingest rules in one of them, and the reconciler would revoke them.
 */
export function missingOwnGroup(setting = 'instanceSecurityGroupId'): GuardError {
  return guardError(
    'CONFIG_INVALID',
    `'${setting}' must be set while ingest rules are enabled: the media server's own security group (not a managed AUTOUPDATE_CF-* group), which \`cfguard import\` prints; or set 'ingest.enabled' to false`,
    'usage',
    { setting },
  );
}
