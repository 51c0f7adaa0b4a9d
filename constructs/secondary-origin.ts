import { Construct } from 'constructs';
import { DataAwsInstance } from '@cdktf/provider-aws/lib/data-aws-instance';
import type { EdgeSecondaryOriginProps } from './edge-distribution';
import type { IngestRule } from '../lambda-src/config/ingest-rule-ids';
import { IngestRules } from './ingest-rules';
import { OriginElasticIp } from './origin-elastic-ip';
import { ELASTIC_IP_ID, INGEST_ID } from '../lambda-src/config/import-paths';
import { checkAwsId } from './validate';

/** The second origin instance: `secondaryOrigin` in the config, StreamingOrigin's `secondaryOrigin` prop; the failover settings are the origin group's, as given. */
export interface StreamingSecondaryOriginProps extends Pick<EdgeSecondaryOriginProps, 'failoverStatusCodes' | 'connectionAttempts' | 'connectionTimeoutSeconds'> {
  /** The secondary instance, in the same region and VPC as the primary (normally another Availability Zone). */
  readonly instanceId: string;
  /** The secondary's own group, which receives the same ingest rules. @default - none (only allowed with `ingest.enabled: false`) */
  readonly instanceSecurityGroupId?: string;
  /** Adopt an existing Elastic IP allocation for the secondary. @default - a new Elastic IP */
  readonly elasticIp?: { readonly allocationId?: string };
  /** The secondary's DNS name at CloudFront. @default - its Elastic IP's public DNS */
  readonly originDomainName?: string;
}

export interface SecondaryOriginProps extends StreamingSecondaryOriginProps {
  /** The ingest rules to open on the secondary's own group; undefined when ingest is off. */
  readonly ingestRules?: readonly IngestRule[] | 'default';
  /** The primary's own group: when it is the secondary's too, its ingest rules are already there. */
  readonly primarySecurityGroupId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * What the second instance needs besides the distribution's origin group: its own stable address and
 * the ingest openings on its own group, as the primary has them.
 */
export class SecondaryOrigin extends Construct {
  public readonly elasticIp: OriginElasticIp;
  public readonly ingest?: IngestRules;
  public readonly instanceId: string;
  private instanceLookup?: DataAwsInstance;

  constructor(scope: Construct, id: string, props: SecondaryOriginProps) {
    super(scope, id);
    checkAwsId('secondaryOrigin.instanceId', props.instanceId, 'instance');
    checkAwsId('secondaryOrigin.instanceSecurityGroupId', props.instanceSecurityGroupId, 'securityGroup');
    this.instanceId = props.instanceId;
    this.elasticIp = new OriginElasticIp(this, ELASTIC_IP_ID, { instanceId: props.instanceId, allocationId: props.elasticIp?.allocationId, tags: props.tags });
    const sharedGroup = props.instanceSecurityGroupId !== undefined && props.instanceSecurityGroupId === props.primarySecurityGroupId;
    if (props.ingestRules !== undefined && props.instanceSecurityGroupId !== undefined && !sharedGroup) {
      this.ingest = new IngestRules(this, INGEST_ID, {
        securityGroupId: props.instanceSecurityGroupId,
        rules: props.ingestRules === 'default' ? undefined : props.ingestRules,
        tags: props.tags,
      });
    }
  }

  /** The secondary's primary interface (looked up once, only when a guard attaches to it). */
  public networkInterfaceId(): string {
    this.instanceLookup ??= new DataAwsInstance(this, 'instance', { instanceId: this.instanceId });
    return this.instanceLookup.networkInterfaceId;
  }
}
