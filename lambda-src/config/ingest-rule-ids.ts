import { badValueMessage, guardError } from '../core/errors';
import { tryParseCidr } from '../core/cidr';
import type { AddressFamily, Protocol } from '../core/model';
import { formatPort } from '../core/rules';

/*
 * Pure (no cdktf import) so the config loader, the import paths and the CLI can compute the same
 * construct ids as IngestRules without loading cdktf.
 */

/** One ingest opening on the instance's own group, e.g. RTMP 1935/udp from anywhere. */
export interface IngestRule {
  /** First (or only) port, 1-65535. */
  readonly port: number;
  /** Last port of a range. @default - same as `port` */
  readonly toPort?: number;
  /** IP protocol. */
  readonly protocol: Protocol;
  /** Source CIDRs, IPv4 or IPv6, canonical (host bits clear). @default ['0.0.0.0/0'] */
  readonly cidrs?: readonly string[];
}

/** One rendered rule: one (protocol, port range, CIDR), as EC2 counts and stores rules. */
export interface IngestRuleEntry {
  /** Construct id, e.g. `udp-1935-0`; part of the import path, so it must stay stable. */
  readonly id: string;
  readonly protocol: Protocol;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr: string;
  readonly family: AddressFamily;
}

export const DEFAULT_INGEST_CIDRS: readonly string[] = ['0.0.0.0/0'];

/** The tutorial's ingest ports: 1935/udp and 1945/tcp, IPv4 only (the EIP is IPv4). */
export const DEFAULT_INGEST_RULES: readonly IngestRule[] = [
  { port: 1935, protocol: 'udp', cidrs: DEFAULT_INGEST_CIDRS },
  { port: 1945, protocol: 'tcp', cidrs: DEFAULT_INGEST_CIDRS },
];

function invalid(prop: string, rule: string, value: unknown): Error {
  return guardError('CONFIG_INVALID', badValueMessage(prop, `must be ${rule}`, value, 'text', Infinity), 'usage', { prop, value });
}

function checkPort(prop: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw invalid(prop, "an integer port from 1 to 65535 (a literal: ports name the rules' construct ids)", value);
  }
  return value;
}

function checkCidr(prop: string, value: unknown): { text: string; family: AddressFamily } {
  const parsed = typeof value === 'string' ? tryParseCidr(value) : undefined;
  if (!parsed) throw invalid(prop, "an IPv4 or IPv6 CIDR like '203.0.113.0/24' or '::/0'", value);
  if (parsed.text !== value) throw invalid(prop, `a canonical CIDR with the host bits clear ('${parsed.text}')`, value);
  return parsed;
}

/**
 * Validates ingest rules and names each (rule, CIDR) pair: `<protocol>-<port>[-<toPort>]-<n>`,
 * where n counts the CIDRs of that protocol and port range in list order. Ids depend only on the
 * list, never on tokens, so the CLI's `import` command writes the same keys the stack reads.
 */
export function ingestRuleIds(rules: readonly IngestRule[] = DEFAULT_INGEST_RULES, propName = 'rules'): IngestRuleEntry[] {
  const entries: IngestRuleEntry[] = [];
  const perKey = new Map<string, number>();
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `${propName}[${i}]`;
    const fromPort = checkPort(`${at}.port`, rule.port);
    const toPort = rule.toPort === undefined ? fromPort : checkPort(`${at}.toPort`, rule.toPort);
    if (toPort < fromPort) throw invalid(`${at}.toPort`, `at least 'port' (${fromPort})`, toPort);
    if (rule.protocol !== 'tcp' && rule.protocol !== 'udp') throw invalid(`${at}.protocol`, "'tcp' or 'udp'", rule.protocol);
    const cidrs = rule.cidrs ?? DEFAULT_INGEST_CIDRS;
    if (cidrs.length === 0) throw invalid(`${at}.cidrs`, 'at least one CIDR (omit it for 0.0.0.0/0)', cidrs);
    const key = fromPort === toPort ? `${rule.protocol}-${fromPort}` : `${rule.protocol}-${fromPort}-${toPort}`;
    cidrs.forEach((cidrText, j) => {
      const cidr = checkCidr(`${at}.cidrs[${j}]`, cidrText);
      // EC2 refuses a second identical rule (InvalidPermission.Duplicate); say so before apply.
      const identity = `${key}|${cidr.text}`;
      if (seen.has(identity)) throw invalid(`${at}.cidrs[${j}]`, `listed once per protocol and port range (${key} already has it)`, cidrText);
      seen.add(identity);
      const n = perKey.get(key) ?? 0;
      perKey.set(key, n + 1);
      entries.push({ id: `${key}-${n}`, protocol: rule.protocol, fromPort, toPort, cidr: cidr.text, family: cidr.family });
    });
  });
  return entries;
}

/** The rules as the `ingestRules` setting (INGEST_RULES) spells them: `1935/udp@0.0.0.0/0`, one per (rule, CIDR). */
export function ingestRulesSetting(rules: readonly IngestRule[] = DEFAULT_INGEST_RULES, propName = 'rules'): string[] {
  return ingestRuleIds(rules, propName).map((e) => `${formatPort(e)}@${e.cidr}`);
}
