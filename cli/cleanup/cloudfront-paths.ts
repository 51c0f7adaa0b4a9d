import { guardError } from '../../lambda-src/core/errors';
import type { Plan, Rule } from '../../lambda-src/core/model';
import { admits, formatPort, isGroupSource, isPrefixListSource, isWorldSource } from '../../lambda-src/core/rules';
import type { GroupRules } from '../ingest/plan';

/*
 * cleanup's guard, pure: removing the managed groups must not leave an interface of the origin with
 * no path from CloudFront to a port the managed groups open. It is the mirror of open-ingest's
 * CLOSE_WOULD_CUT_CLOUDFRONT: after `open-ingest --close-public 80`, the managed groups are the
 * only way in on port 80, and a teardown would silently take the origin off the air.
 */

/** A port (or range) on a protocol, as the managed groups open it. */
type PortOpening = Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>;

export interface CutOff {
  readonly eniId: string;
  readonly port: string;
}

export interface CutOffInput {
  readonly plan: Pick<Plan, 'steps'>;
  /** The managed groups, with their ingress. */
  readonly managed: readonly GroupRules[];
  /** The groups each interface keeps, with their ingress. */
  readonly kept: readonly GroupRules[];
  /** Only this instance's interfaces are the origin; without one, every interface the teardown changes. */
  readonly instanceEnis?: ReadonlySet<string>;
}

function openingsOf(groups: readonly GroupRules[]): PortOpening[] {
  const seen = new Map<string, PortOpening>();
  for (const rule of groups.flatMap((g) => g.ingress)) {
    if (isGroupSource(rule.source) || isPrefixListSource(rule.source)) continue;
    seen.set(`${rule.protocol}|${rule.fromPort}|${rule.toPort}`, { protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort });
  }
  return [...seen.values()];
}

const shownPort = (p: PortOpening) => (p.protocol === '-1' ? 'all traffic' : formatPort(p));

/** Every (interface, port) a teardown plan would leave without a path from CloudFront. */
export function cloudfrontCutOffs(input: CutOffInput): CutOff[] {
  const managed = new Map(input.managed.map((g) => [g.groupId, g]));
  const kept = new Map(input.kept.map((g) => [g.groupId, g]));
  const cutOffs: CutOff[] = [];
  for (const step of input.plan.steps) {
    if (step.kind !== 'detach' || (input.instanceEnis && !input.instanceEnis.has(step.eniId))) continue;
    const removed = step.removed.flatMap((id) => managed.get(id) ?? []);
    const staying = step.groupIds.flatMap((id) => kept.get(id)?.ingress ?? []);
    for (const port of openingsOf(removed)) {
      // A kept rule lets CloudFront in when it opens the whole port to the world or to a prefix list (CloudFront's managed one).
      if (!staying.some((rule) => admits(rule, port) && (isWorldSource(rule.source) || isPrefixListSource(rule.source)))) cutOffs.push({ eniId: step.eniId, port: shownPort(port) });
    }
  }
  return cutOffs;
}

export function assertNoCutOff(cutOffs: readonly CutOff[], prefixName: string): void {
  if (cutOffs.length === 0) return;
  const where = cutOffs.map((c) => `${c.port} on ${c.eniId}`).join(', ');
  throw guardError(
    'CLEANUP_WOULD_CUT_CLOUDFRONT',
    `removing the managed groups (PREFIX_NAME=${prefixName}) would cut CloudFront off the origin: nothing else opens ${where}. Open it on the instance's own group first (or put a CloudFront prefix-list rule there), or run 'cfguard cleanup --apply --force' if the origin is meant to go dark. Nothing was changed.`,
    'usage',
    { cutOffs: cutOffs.map((c) => ({ ...c })) },
  );
}
