import type { IpPermission } from '@aws-sdk/client-ec2';
import type { Rule } from '../core/model';
import { isGroupSource, isPrefixListSource, ruleFamily } from '../core/rules';
import { GUARD_RULE_DESCRIPTION } from '../core/ownership';

/** EC2 permissions -> normalized rules, one per (protocol, ports, source). Sources are kept verbatim so revokes match. */
export function rulesFromPermissions(permissions: readonly IpPermission[] | undefined): Rule[] {
  const rules: Rule[] = [];
  for (const p of permissions ?? []) {
    const protocol = (p.IpProtocol ?? '-1').toLowerCase();
    const fromPort = p.FromPort ?? -1;
    const toPort = p.ToPort ?? -1;
    const push = (source: string | undefined, description?: string) => source && rules.push({ protocol, fromPort, toPort, source, ...(description ? { description } : {}) });
    for (const r of p.IpRanges ?? []) push(r.CidrIp, r.Description);
    for (const r of p.Ipv6Ranges ?? []) push(r.CidrIpv6, r.Description);
    for (const r of p.UserIdGroupPairs ?? []) push(r.GroupId);
    for (const r of p.PrefixListIds ?? []) push(r.PrefixListId);
  }
  return rules;
}

/**
 * Rules -> the fewest EC2 permissions: one per (protocol, ports), every source inside. CIDR sources
 * carry GUARD_RULE_DESCRIPTION (so a human reading the console knows whose they are), or `describe` when it is a string, or none when it is false (revokes).
 */
export function permissionsFromRules(rules: readonly Rule[], describe: boolean | string = true): IpPermission[] {
  const byPort = new Map<string, IpPermission>();
  for (const rule of rules) {
    const key = `${rule.protocol}|${rule.fromPort}|${rule.toPort}`;
    let p = byPort.get(key);
    if (!p) {
      p = rule.protocol === '-1' ? { IpProtocol: '-1' } : { IpProtocol: rule.protocol, FromPort: rule.fromPort, ToPort: rule.toPort };
      byPort.set(key, p);
    }
    const Description = describe === true ? GUARD_RULE_DESCRIPTION : describe || undefined;
    if (isGroupSource(rule.source)) (p.UserIdGroupPairs ??= []).push({ GroupId: rule.source });
    else if (isPrefixListSource(rule.source)) (p.PrefixListIds ??= []).push({ PrefixListId: rule.source });
    else if (ruleFamily(rule) === 'ipv6') (p.Ipv6Ranges ??= []).push({ CidrIpv6: rule.source, Description });
    else (p.IpRanges ??= []).push({ CidrIp: rule.source, Description });
  }
  return [...byPort.values()];
}
