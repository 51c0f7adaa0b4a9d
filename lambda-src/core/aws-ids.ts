/*
 * AWS resource ids, in one place for the constructs, the config file, the settings table and the
 * function's variables. An id is a prefix, a hyphen and 8 or 17 lowercase hex characters: 8 before
 * January 2016, 17 for every resource created since ("Resource IDs", Amazon EC2 User Guide,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html). No zod and no cdktf here,
 * so the Lambda bundle and the constructs use the same test.
 */

const PREFIXES = { instance: 'i', securityGroup: 'sg', vpc: 'vpc', networkInterface: 'eni', eipAllocation: 'eipalloc' } as const;

export type AwsIdKind = keyof typeof PREFIXES;

const NOUNS: Record<AwsIdKind, string> = {
  instance: 'an instance id',
  securityGroup: 'a security group id',
  vpc: 'a VPC id',
  networkInterface: 'a network interface id',
  eipAllocation: 'an allocation id',
};

const PATTERNS = Object.fromEntries(Object.entries(PREFIXES).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)])) as Record<AwsIdKind, RegExp>;

export function isAwsId(kind: AwsIdKind, value: string): boolean {
  return PATTERNS[kind].test(value);
}

/** The id's pattern, for a schema's `regex`. */
export function awsIdPattern(kind: AwsIdKind): RegExp {
  return PATTERNS[kind];
}

/** `i-0123456789abcdef0`: the example every error shows. */
export function awsIdExample(kind: AwsIdKind): string {
  return `${PREFIXES[kind]}-0123456789abcdef0`;
}

/** `an instance id like 'i-0123456789abcdef0'`, for a "must be …" rule. */
export function awsIdRule(kind: AwsIdKind): string {
  return `${NOUNS[kind]} like '${awsIdExample(kind)}'`;
}

/** `look like 'i-0123456789abcdef0'`, for a "must …" rule. */
export function awsIdLooks(kind: AwsIdKind): string {
  return `look like '${awsIdExample(kind)}'`;
}
