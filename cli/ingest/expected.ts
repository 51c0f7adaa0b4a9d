import type { AppConfig } from '../../lambda-src/config/app-config';
import { DEFAULT_INGEST_RULES, ingestRuleIds, type IngestRule } from '../../lambda-src/config/ingest-rule-ids';
import { tryParseCidr } from '../../lambda-src/core/cidr';
import { badValueMessage, guardError } from '../../lambda-src/core/errors';
import type { Rule } from '../../lambda-src/core/model';
import { parsePorts } from '../../lambda-src/core/rules';
import type { IngestArgs } from '../options';

/**
 * The ingest openings wanted on the instance's own group: `--ingest-ports` (with `--ingest-cidrs`),
 * else the config's `ingest.rules`, else the tutorial's 1935/udp and 1945/tcp from anywhere.
 * Computed with the stack's own `ingestRuleIds`, so the CLI and the stack agree rule for rule.
 */

function cidrsFrom(text: string): string[] {
  const cidrs = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (cidrs.length === 0) throw guardError('CONFIG_INVALID', badValueMessage('--ingest-cidrs', "must list at least one CIDR like '0.0.0.0/0'", text, 'text', Infinity), 'usage');
  return cidrs.map((c) => {
    const parsed = tryParseCidr(c);
    if (!parsed) throw guardError('CONFIG_INVALID', badValueMessage('--ingest-cidrs', "must be IPv4 or IPv6 CIDRs like '203.0.113.0/24' or '::/0'", c, 'text', Infinity), 'usage', { value: c });
    return parsed.text;
  });
}

/** The stack's own rules for `rules` (ingestRuleIds), as the guard's Rule. */
export function ingestRulesOf(rules: readonly IngestRule[], propName: string): Rule[] {
  return ingestRuleIds(rules, propName).map((e) => ({ protocol: e.protocol, fromPort: e.fromPort, toPort: e.toPort, source: e.cidr }));
}

/**
 * `undefined` means "not configured, do not check" (drift without a config or flags); `open-ingest`
 * passes `fallBackToDefaults` so it always has something to open.
 */
export function expectedIngestRules(argv: Partial<IngestArgs>, config: AppConfig | undefined, fallBackToDefaults: boolean): Rule[] | undefined {
  const cidrs = argv.ingestCidrs !== undefined ? cidrsFrom(argv.ingestCidrs) : undefined;
  const withCidrs = (rules: readonly IngestRule[]) => (cidrs ? rules.map((r) => ({ ...r, cidrs })) : rules);
  if (argv.ingestPorts !== undefined) {
    const ports = parsePorts(argv.ingestPorts, '--ingest-ports');
    return ingestRulesOf(withCidrs(ports.map((p) => ({ port: p.fromPort, toPort: p.toPort, protocol: p.protocol }))), '--ingest-ports');
  }
  if (config && (config.ingest.enabled || fallBackToDefaults)) return ingestRulesOf(withCidrs(config.ingest.rules ?? DEFAULT_INGEST_RULES), 'ingest.rules');
  return fallBackToDefaults || cidrs ? ingestRulesOf(withCidrs(DEFAULT_INGEST_RULES), 'ingest.rules') : undefined;
}

/**
 * The ingest rules the exposure audit never counts when `--ingest-ports`/`--ingest-cidrs` name them;
 * `undefined` without those flags: then the `ingestRules` setting decides, for drift, status and the
 * Lambda alike (--ingest-rules, CFGUARD_INGEST_RULES / INGEST_RULES, the config's ingest.rules, the stack's default).
 */
export function ingestFromFlags(argv: IngestArgs, config: AppConfig | undefined): Rule[] | undefined {
  return argv.ingestPorts !== undefined || argv.ingestCidrs !== undefined ? expectedIngestRules(argv, config, true) : undefined;
}
