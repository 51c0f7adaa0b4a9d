import { ALLOWED_METHODS } from './edge-cache-behaviors';
import type { EdgeDistributionProps } from './edge-distribution';
import { checkOneOf, checkPattern, invalidProp, isUnresolved } from './validate';
import { DEFAULT_LIVE_SEGMENT_SECONDS, liveEdgeProblem } from '../lambda-src/config/live-edge-rules';
import { originGroupProblem } from '../lambda-src/config/origin-group-rules';

/** CloudFront quota "Alternate domain names (CNAMEs) per distribution" (default, adjustable). */
export const MAX_ALIASES_PER_DISTRIBUTION = 100;
/** CloudFront's limit on a distribution's comment. */
export const MAX_COMMENT_LENGTH = 128;

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DNS_NAME = new RegExp(`^(?=.{1,253}$)(?:${LABEL}\\.)+[a-z]{2,63}$`, 'i');
const ALIAS_NAME = new RegExp(`^(?=.{1,253}$)(?:\\*\\.)?(?:${LABEL}\\.)+[a-z]{2,63}$`, 'i');
const IPV4_LITERAL = /^\d{1,3}(\.\d{1,3}){3}$/;
const US_EAST_1_ACM_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const S3_BUCKET_DOMAIN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\.s3(\.[a-z0-9-]+)?\.amazonaws\.com$/;

/** CloudFront refuses IP addresses as custom origins; a URL is a common copy-paste slip. */
function checkOriginDomainName(prop: string, value: string, example: string): void {
  if (isUnresolved(value)) return;
  if (!DNS_NAME.test(value) || IPV4_LITERAL.test(value)) throw invalidProp(prop, example, value);
}

function checkRegion(prop: string, value: string | undefined): void {
  checkPattern(prop, value, /^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region like 'eu-north-1'");
}

function checkOriginPort(prop: string, value: number | undefined): void {
  if (value === undefined || isUnresolved(value)) return;
  if (!(value === 80 || value === 443 || (Number.isInteger(value) && value >= 1024 && value <= 65535))) {
    throw invalidProp(prop, '80, 443 or 1024-65535 (the ports CloudFront accepts for a custom origin)', value);
  }
}

function checkOriginShield(props: EdgeDistributionProps): void {
  const on = props.originShield !== false;
  if (!on && props.originShieldRegion !== undefined) throw invalidProp('originShieldRegion', "absent when 'originShield' is false (there is no Origin Shield to place)", props.originShieldRegion);
  if (on && props.originRegion === undefined && props.originShieldRegion === undefined) {
    throw invalidProp('originRegion', "set to the instance's region (or set 'originShieldRegion') so Origin Shield has a region", undefined);
  }
  checkRegion('originRegion', props.originRegion);
}

function checkAliasesAndCertificate(aliases: readonly string[] | undefined, certificateArn: string | undefined): void {
  const list = aliases !== undefined && !isUnresolved(aliases) ? aliases : undefined;
  if (list) {
    if (list.length > MAX_ALIASES_PER_DISTRIBUTION) {
      throw invalidProp(
        'aliases',
        `at most ${MAX_ALIASES_PER_DISTRIBUTION} names (CloudFront quota 'Alternate domain names (CNAMEs) per distribution'; raise it in Service Quotas, then this limit)`,
        `${list.length} names`,
      );
    }
    const seen = new Set<string>();
    list.forEach((alias, i) => {
      checkPattern(`aliases[${i}]`, alias, ALIAS_NAME, "a domain name like 'live.example.com' or '*.example.com'");
      if (seen.has(alias.toLowerCase())) throw invalidProp(`aliases[${i}]`, 'listed once', alias);
      seen.add(alias.toLowerCase());
    });
  }
  const hasAliases = aliases !== undefined && (isUnresolved(aliases) || aliases.length > 0);
  if (hasAliases && certificateArn === undefined) {
    throw invalidProp('certificateArn', "set when 'aliases' is: CloudFront serves an alternate domain name only with an ACM certificate (us-east-1) covering it", undefined);
  }
  if (!hasAliases && certificateArn !== undefined) {
    throw invalidProp('aliases', "at least one domain name the certificate covers when 'certificateArn' is set", aliases ?? undefined);
  }
  checkPattern(
    'certificateArn',
    certificateArn,
    US_EAST_1_ACM_ARN,
    "an ACM certificate ARN in us-east-1 (CloudFront only uses certificates from us-east-1), like 'arn:aws:acm:us-east-1:123456789012:certificate/…'",
  );
}

function checkLogging(logging: EdgeDistributionProps['logging']): void {
  if (logging === undefined) return;
  checkPattern('logging.bucket', logging.bucket, S3_BUCKET_DOMAIN, "the log bucket's domain name, like 'my-logs.s3.amazonaws.com'");
  checkPattern('logging.prefix', logging.prefix, /^(?!\/)/, "a key prefix not starting with '/', like 'cf/'");
}

function checkComment(comment: string | undefined): void {
  if (comment === undefined || isUnresolved(comment)) return;
  if (comment.length > MAX_COMMENT_LENGTH) throw invalidProp('comment', `at most ${MAX_COMMENT_LENGTH} characters (CloudFront's limit)`, comment);
}

/** Playlist TTLs, error caching, CORS and origin timeouts: the rules the config file applies too. */
function checkLiveEdge(props: EdgeDistributionProps): void {
  const problem = liveEdgeProblem(props, (value) => !isUnresolved(value));
  if (problem) throw invalidProp(problem.key, problem.rule, problem.value);
}

/** CloudFront's origin-group rules (origin-group-rules.ts), with the secondary's DNS name checked as the primary's. */
function checkSecondaryOrigin(props: EdgeDistributionProps): void {
  const secondary = props.secondaryOrigin;
  if (secondary === undefined) return;
  checkOriginDomainName('secondaryOrigin.domainName', secondary.domainName, "a DNS name without scheme or path (not an IP address), like 'media-b.example.com'");
  checkRegion('secondaryOrigin.region', secondary.region);
  const problem = originGroupProblem(
    secondary,
    {
      // Unset, the default methods (GET_HEAD or GET_HEAD_OPTIONS) are both allowed.
      allowedMethods: props.allowedMethods,
      liveSegmentSeconds: props.liveSegmentSeconds ?? DEFAULT_LIVE_SEGMENT_SECONDS,
      primaryDomainName: props.originDomainName,
      secondaryDomainName: secondary.domainName,
    },
    (v) => !isUnresolved(v),
  );
  if (problem) {
    const prop = problem.key.startsWith('distribution.') ? problem.key.slice('distribution.'.length) : `secondaryOrigin.${problem.key === 'originDomainName' ? 'domainName' : problem.key}`;
    throw invalidProp(prop, problem.rule, problem.value);
  }
}

/** Every EdgeDistribution prop rule, so the constructor fails at synth, not at apply. */
export function validateEdgeDistributionProps(props: EdgeDistributionProps): void {
  checkOriginDomainName(
    'originDomainName',
    props.originDomainName,
    "a DNS name without scheme or path, like 'ec2-203-0-113-10.eu-north-1.compute.amazonaws.com' or 'media.example.com' (not an IP address)",
  );
  checkOriginShield(props);
  checkOneOf('originProtocolPolicy', props.originProtocolPolicy, ['http-only', 'https-only']);
  checkOriginPort('originHttpPort', props.originHttpPort);
  checkOriginPort('originHttpsPort', props.originHttpsPort);
  checkOneOf('originIpAddressType', props.originIpAddressType, ['ipv4', 'dualstack', 'ipv6']);
  checkOneOf('priceClass', props.priceClass, ['PriceClass_All', 'PriceClass_200', 'PriceClass_100']);
  checkOneOf('allowedMethods', props.allowedMethods, ALLOWED_METHODS);
  checkLiveEdge(props);
  checkAliasesAndCertificate(props.aliases, props.certificateArn);
  checkLogging(props.logging);
  checkComment(props.comment);
  checkSecondaryOrigin(props);
}
