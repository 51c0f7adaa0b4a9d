import type { Service } from '../core/ip-ranges';

/*
 * The reconciler's settings as typed props (the constructs' and the config file's `guard` block).
 * Each field is one row of the settings table (settings.ts), which parses and defaults it;
 * the JSDoc here repeats the row's doc and default (a test keeps the two in step).
 */

/** The settings the config file's `guard` block holds. */
export interface GuardBlockSettingsProps {
  /** Ports opened to CloudFront: `80/tcp`, `1935/udp`, `8000-8010/tcp` (a bare `80` is tcp, as text or a number in the list), as a list or a comma-separated string. @default 80/tcp */
  readonly ports?: string | readonly (string | number)[];
  /** ip-ranges.json services whose ranges are opened. @default CLOUDFRONT_ORIGIN_FACING */
  readonly services?: readonly Service[];
  /** Value of the `PREFIX_NAME` tag that marks managed groups, and their name prefix. @default AUTOUPDATE_CF */
  readonly prefixName?: string;
  /** EC2 quota "Inbound or outbound rules per security group", counted per address family, 1-1000. @default 60 */
  readonly rulesPerGroup?: number;
  /** EC2 quota "Security groups per network interface", 1-16; times `rulesPerGroup` at most 1,000. @default 5 */
  readonly groupsPerInterface?: number;
  /** Blast-radius guard: a plan revoking more than this fraction (0, 1] of the managed rules holds the revocations. @default 0.5 */
  readonly maxRevokeFraction?: number;
  /** The only SNS topic whose notifications are accepted. @default arn:aws:sns:us-east-1:806199016981:AmazonIpSpaceChanged */
  readonly snsTopicArn?: string;
  /** http(s) URLs the document may be fetched from, besides the official one. @default none */
  readonly ipRangesAllowedUrls?: readonly string[];
  /** The Lambda also logs the plan's steps. @default false */
  readonly debug?: boolean;
}

/** Every reconciler setting, as OriginIpRangeGuard takes them. */
export interface GuardSettingsProps extends GuardBlockSettingsProps {
  /** The region of the instance and its groups. */
  readonly region: string;
  /** The origin instance, whose network interfaces receive the managed groups (the function's policy is scoped to it). */
  readonly instanceId: string;
  /** The VPC of the instance and the managed groups. @default the region's default VPC */
  readonly vpcId?: string;
  /** Open the IPv6 ranges too (only when CloudFront reaches the origin over IPv6). @default false */
  readonly ipv6?: boolean;
  /** The instance's own security group: the guard never writes it, even tagged `PREFIX_NAME`. @default none */
  readonly instanceSecurityGroupId?: string;
  /** The ingest rules expected on the instance's own group (`1935/udp`, `1945/tcp@203.0.113.0/24`), never an exposure finding; may be empty. @default 1935/udp,1945/tcp */
  readonly ingestRules?: string | readonly string[];
}
