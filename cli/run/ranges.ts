import { selectRanges } from '../../lambda-src/core/ip-ranges';
import { placeRules } from '../../lambda-src/core/placement';
import { formatPort, rulesFor } from '../../lambda-src/core/rules';
import { settingLabel } from '../spelling';
import type { RangesArgs } from '../commands/ranges';
import { prepare } from '../context';
import { EXIT_OK } from '../exit-codes';
import type { CliIo } from '../output';
import { documentFacts, loadRanges } from '../ranges-source';
import { plural } from '../render/rules';

/** Informational: always exit 0 (a quota that does not fit is a warning here; reconcile refuses it). */
export async function runRanges(argv: RangesArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io, { regionRequired: false });
  const { out, settings } = ctx;
  const loaded = await loadRanges(argv.ipRanges, settings, out, io);
  const selected = selectRanges(loaded.document, { services: settings.services, ipv6: settings.ipv6 });
  const rules = rulesFor([...selected.ipv4, ...selected.ipv6], settings.ports);
  const groupsNeeded = placeRules([], rules, settings.prefixName, settings.rulesPerGroup).newGroupNames.length;
  // The instance keeps at least one group of its own on each interface.
  const fits = groupsNeeded + 1 <= settings.groupsPerInterface;
  const ports = settings.ports.map(formatPort);
  const ruleCounts = { ipv4: selected.ipv4.length * ports.length, ipv6: selected.ipv6.length * ports.length, total: rules.length };
  if (!fits) {
    out.warn(
      `the ranges need ${groupsNeeded} managed groups, and with the instance's own group that is above ${settingLabel('groupsPerInterface')}=${settings.groupsPerInterface}; raise it or ${settingLabel('rulesPerGroup')} (and the EC2 quotas), or select fewer services or ports`,
    );
  }
  if (out.json) {
    out.document({
      command: 'ranges',
      status: 'ok',
      exitCode: EXIT_OK,
      document: documentFacts(loaded),
      services: selected.counts,
      selected: { ipv4: selected.ipv4.length, ipv6: selected.ipv6.length, ipv6Opened: settings.ipv6 },
      ports,
      rules: ruleCounts,
      quotas: { rulesPerGroup: settings.rulesPerGroup, groupsPerInterface: settings.groupsPerInterface },
      groupsNeeded,
      fits,
      ...(argv.cidrs ? { cidrs: { ipv4: selected.ipv4, ipv6: selected.ipv6 } } : {}),
    });
    return EXIT_OK;
  }
  out.line(`ip-ranges.json syncToken ${loaded.document.syncToken} (${loaded.document.createDate}), md5 ${loaded.md5}`);
  out.table(
    ['SERVICE', 'IPV4', 'IPV6'],
    Object.entries(selected.counts).map(([service, c]) => [service, String(c.v4), String(c.v6)]),
  );
  const v6 = settings.ipv6 ? `${selected.ipv6.length} IPv6` : 'IPv6 not opened (--ipv6 to open)';
  out.line(`Selected after de-duplication: ${selected.ipv4.length} IPv4, ${v6}.`);
  out.line(`Rules on ${ports.join(', ')}: ${ruleCounts.ipv4} IPv4 + ${ruleCounts.ipv6} IPv6 = ${ruleCounts.total}.`);
  out.line(
    `Groups needed at ${settings.rulesPerGroup} rules per group: ${groupsNeeded} (of ${settings.groupsPerInterface} per interface, one kept for the instance's own): ${fits ? out.paint('green', 'fits') : out.paint('red', 'does not fit')}.`,
  );
  if (argv.cidrs) for (const cidr of [...selected.ipv4, ...selected.ipv6]) out.line(cidr);
  else out.line(`(${plural(selected.ipv4.length + selected.ipv6.length, 'CIDR')}: --cidrs lists them)`);
  return EXIT_OK;
}
