import { guardError } from './errors';
import type { AddressFamily, PortSpec, Rule } from './model';
import { sourceFamily } from './cidr';

/** The canonical identity of a rule; descriptions are deliberately not part of it. */
export function ruleKey(rule: Rule): string {
  return `${rule.protocol}|${rule.fromPort}|${rule.toPort}|${rule.source}`;
}

export function ruleFamily(rule: Rule): AddressFamily {
  return sourceFamily(rule.source);
}

/** Both address families, in the order plans list them; each has its own rules quota. */
export const ADDRESS_FAMILIES: readonly AddressFamily[] = ['ipv4', 'ipv6'];

/** Rules per address family, as EC2 counts them against a group's quota. */
export function countByFamily(rules: readonly Rule[]): Record<AddressFamily, number> {
  const counts: Record<AddressFamily, number> = { ipv4: 0, ipv6: 0 };
  for (const r of rules) counts[ruleFamily(r)]++;
  return counts;
}

/** `0.0.0.0/0` and `::/0`: the whole internet, in each family. */
export const WORLD_SOURCES: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0']);

/** The source is the whole internet of one family. */
export const isWorldSource = (source: string): boolean => WORLD_SOURCES.has(source);

/** The source is a managed prefix list (`pl-…`, EC2's PrefixListIds). */
export const isPrefixListSource = (source: string): boolean => source.startsWith('pl-');

/** The source is a security group (`sg-…`, EC2's UserIdGroupPairs). */
export const isGroupSource = (source: string): boolean => source.startsWith('sg-');

/**
 * True when the rule lets in all of `port`: all traffic (`-1`), or `port`'s protocol (tcp or udp
 * when it names none) over a range that holds the whole of `port`'s.
 */
export function admits(rule: Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>, port: { readonly protocol?: string; readonly fromPort: number; readonly toPort: number }): boolean {
  if (rule.protocol === '-1') return true;
  const protocol = port.protocol === undefined ? rule.protocol === 'tcp' || rule.protocol === 'udp' : rule.protocol === port.protocol;
  return protocol && rule.fromPort <= port.fromPort && port.toPort <= rule.toPort;
}

/** EC2's default egress on a new group (all traffic to 0.0.0.0/0, and ::/0 in a dual-stack VPC): not somebody's rule. */
export const isDefaultEgress = (rule: Rule): boolean => rule.protocol === '-1' && isWorldSource(rule.source);

/** True when the rule is exactly one of the ports (protocol, from and to): one port match for ownership and the verdicts. */
export function onPort(rule: Rule, ports: readonly Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>[]): boolean {
  return ports.some((p) => p.protocol === rule.protocol && p.fromPort === rule.fromPort && p.toPort === rule.toPort);
}

export function formatRule(rule: Rule): string {
  return `${formatPort(rule)} from ${rule.source}`;
}

/** `80/tcp`, `8000-8010/udp`; a rule's protocol may be any EC2 reports (`-1`, `icmp`). */
export function formatPort(port: Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>): string {
  return port.fromPort === port.toPort ? `${port.fromPort}/${port.protocol}` : `${port.fromPort}-${port.toPort}/${port.protocol}`;
}

/** Orders rules by family, protocol, ports, then source, so plans and logs are deterministic. */
export function compareRules(a: Rule, b: Rule): number {
  const fa = ruleFamily(a);
  const fb = ruleFamily(b);
  if (fa !== fb) return fa < fb ? -1 : 1;
  if (a.protocol !== b.protocol) return a.protocol < b.protocol ? -1 : 1;
  if (a.fromPort !== b.fromPort) return a.fromPort - b.fromPort;
  if (a.toPort !== b.toPort) return a.toPort - b.toPort;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

/** Parses one port setting, `80/tcp`, `1935/udp`, `8000-8010/tcp` (a bare `80` means tcp), or returns undefined; never throws. */
export function tryParsePort(text: string): PortSpec | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp))?$/i.exec(text.trim());
  const fromPort = m ? Number(m[1]) : NaN;
  const toPort = m && m[2] ? Number(m[2]) : fromPort;
  if (!m || fromPort < 1 || toPort > 65535 || toPort < fromPort) return undefined;
  return { protocol: (m[3] ?? 'tcp').toLowerCase() as PortSpec['protocol'], fromPort, toPort };
}

/** One port setting (see tryParsePort); `name` is the setting being parsed, so the error names it. */
export function parsePort(text: string, name = 'PORTS'): PortSpec {
  const port = tryParsePort(text);
  if (!port) {
    throw guardError('CONFIG_INVALID', `'${name}' must be a comma-separated list like '80/tcp,443/tcp' (ports 1-65535, protocol tcp or udp), got '${text}'`, 'usage', { setting: name, value: text });
  }
  return port;
}

export function parsePorts(value: string | readonly string[], name = 'PORTS'): PortSpec[] {
  const items = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) {
    throw guardError('CONFIG_INVALID', `'${name}' must name at least one port like '80/tcp', got '${String(value)}'`, 'usage', { setting: name });
  }
  const seen = new Map<string, PortSpec>();
  for (const item of items) {
    const port = parsePort(item, name);
    seen.set(formatPort(port), port);
  }
  return [...seen.values()];
}

/** Desired rules: every range on every port. */
export function rulesFor(cidrs: readonly string[], ports: readonly PortSpec[]): Rule[] {
  const rules: Rule[] = [];
  for (const port of ports) {
    for (const source of cidrs) rules.push({ protocol: port.protocol, fromPort: port.fromPort, toPort: port.toPort, source });
  }
  return rules;
}
