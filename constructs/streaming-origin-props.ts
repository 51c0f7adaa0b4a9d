import type { TerraformProvider } from 'cdktf';
import type { GuardBlockSettingsProps } from '../lambda-src/config/settings-props';
import type { EdgeDistributionProps } from './edge-distribution';
import type { IngestRule } from '../lambda-src/config/ingest-rule-ids';
import type { OriginIpRangeGuardProps } from './origin-ip-range-guard';
import type { OriginSecretMode } from '../lambda-src/config/origin-secret';
import type { OriginSecretProps } from './origin-secret';
import type { EdgeMonitoringProps } from './edge-monitoring';
import type { StreamingSecondaryOriginProps } from './secondary-origin';

/* StreamingOrigin's props: the config file's shape, one interface per block. */

export type GuardMode = 'lambda' | 'prefix-list';

/** The guard block's keys that deploy the function (lambda mode): OriginIpRangeGuard's own props, passed to it as given. */
export const LAMBDA_GUARD_PROPS = ['schedule', 'timeoutSeconds', 'memorySizeMb', 'logRetentionDays', 'functionName', 'bundlePath', 'alerting', 'runtime', 'reservedConcurrency'] as const;

export type LambdaGuardProps = Pick<OriginIpRangeGuardProps, (typeof LAMBDA_GUARD_PROPS)[number]>;

/** The guard block of the config file: the reconciler's settings plus how the guard is deployed (LambdaGuardProps in lambda mode). */
export interface StreamingOriginGuardProps extends GuardBlockSettingsProps, LambdaGuardProps {
  /** `lambda`: the tutorial's reconciler; `prefix-list`: CloudFront's managed prefix list, no Lambda. @default 'lambda' */
  readonly mode?: GuardMode;
  /** Lambda mode: after each run, try TCP to the origin's address on each port (OriginDirectlyReachable, alarmed). @default true */
  readonly originProbe?: boolean;
  /** Prefix-list mode: groups already on the interface that stay there. @default 1 */
  readonly existingGroupsOnInterface?: number;
}

export interface StreamingOriginIngestProps {
  /** Open the ingest ports on the instance's own group. @default true */
  readonly enabled?: boolean;
  /** The openings. @default 1935/udp and 1945/tcp from 0.0.0.0/0 */
  readonly rules?: readonly IngestRule[];
}

/** The secret origin header (README, "Only our distribution reaches the origin"): OriginSecret's props, with its mode. */
export interface StreamingOriginSecretProps extends Pick<OriginSecretProps, 'headerName' | 'headerShape' | 'secretVersion' | 'instanceRoleName'> {
  /** `off`: no header; `on`: header sent, origin may not check it yet; `required`: the guard reports a bypass. @default 'on' */
  readonly mode?: OriginSecretMode;
  /** The SecureString parameter. @default '/cfguard/<stack name>/origin-secret' */
  readonly parameterName?: string;
  /** The path the `required`-mode bypass check (and verify-origin) requests. @default '/' */
  readonly verifyPath?: string;
}

export interface StreamingOriginProps {
  /** The instance's region (Origin Shield's table and the guard's REGION). */
  readonly region: string;
  /** The origin instance. */
  readonly instanceId: string;
  /** The instance's VPC. @default - the region's default VPC */
  readonly vpcId?: string;
  /**
   * The instance's own group, which receives the ingest rules; the guard function gets it too
   * (`INSTANCE_SECURITY_GROUP_ID`) and never writes it, even tagged. Required while ingest is enabled:
   * looked up, it could be a managed group, whose foreign rules the reconciler revokes.
   * @default - none (only allowed with `ingest.enabled: false`)
   */
  readonly instanceSecurityGroupId?: string;
  /** Adopt an existing Elastic IP allocation. @default - a new Elastic IP */
  readonly elasticIp?: { readonly allocationId?: string };
  /** The distribution, as EdgeDistribution's props; `originDomainName` replaces the EIP's public DNS. @default - EdgeDistribution's defaults */
  readonly distribution?: Partial<Omit<EdgeDistributionProps, 'originRegion' | 'tags'>>;
  /** The guard. @default - lambda mode with the reconciler's default settings */
  readonly guard?: StreamingOriginGuardProps;
  /** The ingest rules. @default - enabled with the tutorial's ports */
  readonly ingest?: StreamingOriginIngestProps;
  /** An AWS provider in us-east-1 (the AmazonIpSpaceChanged subscription). */
  readonly usEast1Provider: TerraformProvider;
  /** Tags on every resource that takes them. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** The secret origin header that only our distribution sends. @default - mode 'on', default header and parameter */
  readonly originSecret?: StreamingOriginSecretProps;
  /** A second instance behind a CloudFront origin group (primary, secondary). @default - one origin */
  readonly secondaryOrigin?: StreamingSecondaryOriginProps;
  /** Alarms (and optionally a dashboard and additional metrics) on what viewers get, in us-east-1. @default - the 5xx error-rate alarm on */
  readonly edgeMonitoring?: EdgeMonitoringProps;
}
