import { Construct } from 'constructs';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { EipAssociation } from '@cdktf/provider-aws/lib/eip-association';
import { DataAwsEip } from '@cdktf/provider-aws/lib/data-aws-eip';
import { checkAwsId } from './validate';

export interface OriginElasticIpProps {
  /** The origin instance the address is associated with. */
  readonly instanceId: string;
  /** Adopt this existing allocation (read, associated, never destroyed) instead of allocating one. @default - a new Elastic IP is allocated */
  readonly allocationId?: string;
  /** Tags on a newly allocated address (an adopted one keeps its own). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A stable public address and DNS name for the origin: CloudFront's origin is the EIP's public DNS,
 * which would change on every stop/start without it. The association is a separate resource so the
 * address survives replacing the instance, and so an adopted allocation is only ever associated.
 */
export class OriginElasticIp extends Construct {
  /** The public IPv4 address. */
  public readonly publicIp: string;
  /** The public DNS name (`ec2-….compute.amazonaws.com`): the distribution's default origin. */
  public readonly publicDns: string;
  /** The allocation id (`eipalloc-…`). */
  public readonly allocationId: string;
  /** The allocated address; undefined when an existing allocation is adopted. */
  public readonly eip?: Eip;
  /** Binds the address to the instance; separate so replacing the instance keeps the address. */
  public readonly association: EipAssociation;

  constructor(scope: Construct, id: string, props: OriginElasticIpProps) {
    super(scope, id);
    checkAwsId('instanceId', props.instanceId, 'instance');
    checkAwsId('allocationId', props.allocationId, 'eipAllocation');

    // Construct id `eip` is the import path `<stack>/origin/elastic-ip/eip`: never rename it.
    this.eip = props.allocationId === undefined ? new Eip(this, 'eip', { domain: 'vpc', tags: props.tags ? { ...props.tags } : undefined }) : undefined;
    const address = this.eip ?? new DataAwsEip(this, 'existing', { id: props.allocationId });
    this.publicIp = address.publicIp;
    this.publicDns = address.publicDns;
    this.allocationId = this.eip?.allocationId ?? props.allocationId!;
    this.association = new EipAssociation(this, 'association', { allocationId: this.allocationId, instanceId: props.instanceId });
  }
}
