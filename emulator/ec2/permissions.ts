import { isIpv4Cidr, isIpv6Cidr } from './cidr';
import { apiError, invalidValue, missingParameter } from './errors';
import type { QueryParams } from './query';
import type { EmuRule, SeedRule } from './types';

/**
 * IpPermissions <-> rules. EC2 speaks in permissions (one protocol and port range, many sources)
 * but stores, counts and matches single rules (one source each); this is the translation.
 */

const PROTOCOL_BY_NUMBER: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };
const PORTED = new Set(['tcp', 'udp']);
const TYPED = new Set(['icmp', 'icmpv6']);

/** Protocols whose rules carry ports (or ICMP type/code) in Describe output. */
export function hasPorts(protocol: string): boolean {
  return PORTED.has(protocol) || TYPED.has(protocol);
}

export function normalizeProtocol(raw: string): string {
  const p = raw.trim().toLowerCase();
  if (PROTOCOL_BY_NUMBER[p]) return PROTOCOL_BY_NUMBER[p];
  if (p === '-1' || PORTED.has(p) || TYPED.has(p)) return p;
  if (/^\d{1,3}$/.test(p) && Number(p) <= 255) return String(Number(p));
  throw invalidValue('ipProtocol', raw, "Expecting 'tcp', 'udp', 'icmp', 'icmpv6', '-1' or a protocol number 0-255.");
}

function resolvePorts(protocol: string, from: number | undefined, to: number | undefined): [number, number] {
  if (PORTED.has(protocol)) {
    if (from === undefined || to === undefined) {
      throw invalidValue('portRange', `${from ?? 'null'}-${to ?? 'null'}`, `Must specify both from and to ports with TCP/UDP.`);
    }
    if (from < 0 || to > 65535 || from > to) {
      throw invalidValue('portRange', `${from}-${to}`, 'Ports must be 0-65535 with fromPort <= toPort.');
    }
    return [from, to];
  }
  if (TYPED.has(protocol)) {
    const [type, code] = [from ?? -1, to ?? -1];
    if (type < -1 || type > 255 || code < -1 || code > 255) throw invalidValue('icmpTypeCode', `${type}/${code}`, 'ICMP type and code must be -1-255.');
    return [type, code];
  }
  return [-1, -1];
}

function checkSource(source: string, kind: 'ipv4' | 'ipv6' | 'group' | 'prefixList'): void {
  if (kind === 'ipv4' && !isIpv4Cidr(source)) throw invalidValue('cidrIp', source, 'This is not a valid CIDR block.');
  if (kind === 'ipv6' && !isIpv6Cidr(source)) throw invalidValue('cidrIpv6', source, 'This is not a valid IPv6 CIDR block.');
  if (kind === 'group' && !/^sg-[0-9a-f]+$/.test(source)) throw apiError('InvalidGroupId.Malformed', `Invalid id: "${source}" (expecting "sg-...")`);
  if (kind === 'prefixList' && !/^pl-[0-9a-f]+$/.test(source)) throw apiError('InvalidPrefixListId.Malformed', `Invalid id: "${source}" (expecting "pl-...")`);
}

/** EC2 allows only this ASCII subset in rule descriptions, up to 255 characters. */
const RULE_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

function withDescription(rule: EmuRule, description: string | undefined): EmuRule {
  if (description === undefined || description === '') return rule;
  if (!RULE_DESCRIPTION.test(description)) {
    throw invalidValue('description', description, 'Descriptions are at most 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*');
  }
  return { ...rule, description };
}

/** One `IpPermissions.N` struct -> its rules, one per source. */
function rulesOfPermission(p: QueryParams): EmuRule[] {
  const rawProtocol = p.get('IpProtocol');
  if (rawProtocol === undefined) throw missingParameter('ipPermissions.ipProtocol');
  const protocol = normalizeProtocol(rawProtocol);
  const [fromPort, toPort] = resolvePorts(protocol, p.int('FromPort'), p.int('ToPort'));
  const base = { protocol, fromPort, toPort };
  const rules: EmuRule[] = [];
  const add = (source: string | undefined, kind: 'ipv4' | 'ipv6' | 'group' | 'prefixList', description: string | undefined): void => {
    if (source === undefined) throw missingParameter(`ipPermissions source (${kind})`);
    checkSource(source, kind);
    rules.push(withDescription({ ...base, source }, description));
  };
  for (const r of p.structs('IpRanges')) add(r.get('CidrIp'), 'ipv4', r.get('Description'));
  for (const r of p.structs('Ipv6Ranges')) add(r.get('CidrIpv6'), 'ipv6', r.get('Description'));
  for (const r of p.structs('Groups')) add(r.get('GroupId'), 'group', r.get('Description'));
  for (const r of p.structs('PrefixListIds')) add(r.get('PrefixListId'), 'prefixList', r.get('Description'));
  if (rules.length === 0) {
    throw apiError('InvalidRequest', `The permission for ${protocol} ${fromPort}-${toPort} names no source: give at least one of IpRanges, Ipv6Ranges, UserIdGroupPairs or PrefixListIds.`);
  }
  return rules;
}

/**
 * All rules of an Authorize/Revoke request: `IpPermissions.N`, or the legacy top-level
 * `IpProtocol`/`FromPort`/`ToPort`/`CidrIp` form. Refuses an empty request, as EC2 does.
 */
export function rulesOfRequest(params: QueryParams): EmuRule[] {
  const permissions = params.structs('IpPermissions');
  if (permissions.length > 0) return permissions.flatMap(rulesOfPermission);
  const legacyCidr = params.get('CidrIp');
  const legacyProtocol = params.get('IpProtocol');
  if (legacyCidr !== undefined || legacyProtocol !== undefined) {
    if (legacyCidr === undefined || legacyProtocol === undefined) throw missingParameter(legacyCidr === undefined ? 'cidrIp' : 'ipProtocol');
    const protocol = normalizeProtocol(legacyProtocol);
    const [fromPort, toPort] = resolvePorts(protocol, params.int('FromPort'), params.int('ToPort'));
    checkSource(legacyCidr, 'ipv4');
    return [{ protocol, fromPort, toPort, source: legacyCidr }];
  }
  throw missingParameter('ipPermissions');
}

/** A seeded rule, validated with the same checks as the API (seeding bugs fail loudly). */
export function ruleOfSeed(seed: SeedRule): EmuRule {
  const protocol = normalizeProtocol(seed.protocol);
  const [fromPort, toPort] = resolvePorts(protocol, seed.fromPort, seed.toPort);
  const sources = [seed.cidr, seed.groupId, seed.prefixListId].filter((s) => s !== undefined) as string[];
  if (sources.length !== 1) throw new Error(`SeedRule must have exactly one of cidr, groupId, prefixListId, got ${JSON.stringify(seed)}`);
  const source = sources[0];
  checkSource(source, seed.groupId ? 'group' : seed.prefixListId ? 'prefixList' : source.includes(':') ? 'ipv6' : 'ipv4');
  return withDescription({ protocol, fromPort, toPort, source }, seed.description);
}

/** Identity as EC2 matches it: descriptions are not part of it, IPv6 text is case-insensitive. */
export function ruleIdentity(rule: EmuRule): string {
  return `${rule.protocol}|${rule.fromPort}|${rule.toPort}|${rule.source.toLowerCase()}`;
}

/** IPv4 CIDRs, group references and prefix lists count as IPv4 for the per-family quota. */
export function ruleFamily(rule: EmuRule): 'ipv4' | 'ipv6' {
  return rule.source.includes(':') ? 'ipv6' : 'ipv4';
}

/** How EC2 names a rule in its Duplicate message. */
export function describeRule(rule: EmuRule): string {
  const ports = rule.protocol === '-1' ? 'ALL' : `${rule.protocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}`;
  return `peer: ${rule.source}, ${ports}, ALLOW`;
}

export interface Permission {
  protocol: string;
  fromPort: number;
  toPort: number;
  rules: EmuRule[];
}

/** Rules -> permissions, one per (protocol, ports), in order of first appearance, as EC2 reports them. */
export function permissionsOf(rules: readonly EmuRule[]): Permission[] {
  const byPorts = new Map<string, Permission>();
  for (const rule of rules) {
    const key = `${rule.protocol}|${rule.fromPort}|${rule.toPort}`;
    const permission = byPorts.get(key) ?? { protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort, rules: [] };
    permission.rules.push(rule);
    byPorts.set(key, permission);
  }
  return [...byPorts.values()];
}
