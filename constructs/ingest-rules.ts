import { Construct } from 'constructs';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { formatPort } from '../lambda-src/core/rules';
import { DEFAULT_INGEST_RULES, ingestRuleIds, type IngestRule } from '../lambda-src/config/ingest-rule-ids';
import { checkAwsId } from './validate';

export interface IngestRulesProps {
  /** The instance's own security group, which receives the ingest rules (not a guard-managed group). */
  readonly securityGroupId: string;
  /** Ports, protocols and source CIDRs to open; literals, since they name the construct ids. @default 1935/udp and 1945/tcp from 0.0.0.0/0 */
  readonly rules?: readonly IngestRule[];
  /** Tags on every rule. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Ingest openings (RTMP/SRT and the like) that CloudFront cannot proxy, so they stay open to the
 * encoders directly: one `aws_vpc_security_group_ingress_rule` per (rule, CIDR), as EC2 stores them,
 * so a rule made by hand can be imported one to one.
 */
export class IngestRules extends Construct {
  /** Construct ids of the rules, in order (`udp-1935-0`, ...). */
  public readonly ruleIds: readonly string[];
  /** The rendered rules, by construct id. */
  public readonly rules: Readonly<Record<string, VpcSecurityGroupIngressRule>>;

  constructor(scope: Construct, id: string, props: IngestRulesProps) {
    super(scope, id);
    checkAwsId('securityGroupId', props.securityGroupId, 'securityGroup');
    const entries = ingestRuleIds(props.rules ?? DEFAULT_INGEST_RULES);
    const rules: Record<string, VpcSecurityGroupIngressRule> = {};
    for (const entry of entries) {
      rules[entry.id] = new VpcSecurityGroupIngressRule(this, entry.id, {
        securityGroupId: props.securityGroupId,
        ipProtocol: entry.protocol,
        fromPort: entry.fromPort,
        toPort: entry.toPort,
        ...(entry.family === 'ipv4' ? { cidrIpv4: entry.cidr } : { cidrIpv6: entry.cidr }),
        description: `cfguard ingest ${formatPort(entry)}`,
        tags: props.tags ? { ...props.tags } : undefined,
      });
    }
    this.ruleIds = entries.map((e) => e.id);
    this.rules = rules;
  }
}
