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

/** The first few rules in words, for a table cell; the JSON output lists them all. */
export function someRules(rules: readonly Rule[], shown = 3): string {
  const head = rules.slice(0, shown).map(formatRule).join(', ');
  return rules.length > shown ? `${head} (+${rules.length - shown} more; --json lists all)` : head;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
