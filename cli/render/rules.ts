import type { Rule } from '../../lambda-src/core/model';
import { formatRule } from '../../lambda-src/core/rules';

/** A rule as the JSON reports carry it: the readable form plus its fields. */
export interface RuleView {
  readonly rule: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly source: string;
}

export function ruleView(rule: Rule): RuleView {
  return { rule: formatRule(rule), protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort, source: rule.source };
}

/** A rule in words: `80/tcp from 1.2.3.0/24`, and EC2's protocol -1 (ports -1/-1) as `all traffic`. */
export function describeRule(rule: Rule, direction: 'ingress' | 'egress' = 'ingress'): string {
  const preposition = direction === 'egress' ? 'to' : 'from';
  if (rule.protocol === '-1') return `all traffic ${preposition} ${rule.source}`;
  return direction === 'egress' ? formatRule(rule).replace(/ from /, ' to ') : formatRule(rule);
}

/** The first few rules in words, for a table cell; the JSON output lists them all. */
export function someRules(rules: readonly Rule[], shown = 3, direction: 'ingress' | 'egress' = 'ingress'): string {
  const head = rules
    .slice(0, shown)
    .map((r) => describeRule(r, direction))
    .join(', ');
  return rules.length > shown ? `${head} (+${rules.length - shown} more; --json lists all)` : head;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
