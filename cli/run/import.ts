import { settingLabel } from '../spelling';
import { DEFAULT_INGEST_RULES } from '../../lambda-src/config/ingest-rule-ids';
import { ingestRulesOf } from '../ingest/expected';
import { distributionPath, eipPath, ingestRulePath, secondaryEipPath, secondaryIngestRulePath } from '../../lambda-src/config/import-paths';
import { tagManagedGroups } from '../../lambda-src/aws/apply';
import { badValueMessage, guardError } from '../../lambda-src/core/errors';
import { usageError } from '../errors';
import { isWorldSource, ruleKey } from '../../lambda-src/core/rules';
import { MANAGED_TAG_KEY } from '../../lambda-src/core/sync-token';
import { ADOPTED_TAG_KEY, guardedInstanceList, type GuardedInstanceSettings } from '../../lambda-src/core/ownership';
import { refusalFinding, type Finding } from '../../lambda-src/core/findings';
import { ownershipPolicy } from '../../lambda-src/core/plan';
import { planAdoption } from '../import/adopt';
import type { ImportArgs } from '../commands/import';
import { ec2For, prepare } from '../context';
import { describeInstance } from '../../lambda-src/aws/ec2-reads';
import type { Ec2Shell, SecurityGroupRecord } from '../../lambda-src/aws/security-group-manager';
import type { AppConfig } from '../../lambda-src/config/app-config';
import type { GuardSettings } from '../../lambda-src/config/settings';
import { EXIT_CHANGES, EXIT_OK } from '../exit-codes';
import { discover } from '../import/discover';
import { importsFilePath, mergeImports, readImports, writeImports } from '../import/imports-file';
import type { CliIo } from '../output';
import { entriesText, renderImport } from '../render/import';
import { ruleView } from '../render/rules';

/**
 * A CloudFront distribution id: `E` and 13 or 14 uppercase letters and digits, as the CloudFront API
 * Reference's examples show (`E1U5RQF7T870K0` for Distribution.Id, `EDFDVBD632BHDS5` for
 * DistributionSummary.Id). Checked before any AWS call: a typo would otherwise import nothing.
 */
export const DISTRIBUTION_ID = /^E[0-9A-Z]{13,14}$/;

export async function runImport(argv: ImportArgs, io: CliIo): Promise<number> {
  if (argv.distributionId !== undefined && !DISTRIBUTION_ID.test(argv.distributionId)) {
    throw usageError(
      badValueMessage(
        '--distribution-id',
        "must be a CloudFront distribution id: 'E' and 13 or 14 uppercase letters and digits, like 'E2QWRUHEXAMPLE' (the console's ID column)",
        argv.distributionId,
        'text',
      ),
    );
  }
  const ctx = prepare(argv, io);
  const { out, settings, loaded } = ctx;
  if (!loaded) {
    throw guardError(
      'CONFIG_INVALID',
      "'import' needs the config file: its 'name' and 'ingest.rules' name the construct paths the imports file maps. Create cfguard.config.json (the repository's one is an example) or pass --config",
      'usage',
    );
  }
  const config = loaded.config;
  const ec2 = await ec2For(ctx);
  out.progress(`looking for the tutorial's resources in ${settings.region}`);
  // --group-id is the setting instanceSecurityGroupId (flag > CFGUARD_* > config), named as the user gave it.
  const found = await discover(ec2, settings, { id: settings.instanceSecurityGroupId, from: settingLabel('instanceSecurityGroupId') });
  const warnings: Finding[] = [];
  const entries: Record<string, string> = {};

  const elasticIp = settings.instanceId
    ? importElasticIp(found.elasticIp, { instanceId: settings.instanceId, at: eipPath(config), setting: 'elasticIp.allocationId', configured: config.elasticIp?.allocationId }, entries, warnings)
    : null;
  if (argv.distributionId) entries[distributionPath(config)] = argv.distributionId;

  const ingestRules = config.ingest.enabled ? importIngestRules(config, found.ownRuleIds, ingestRulePath, entries) : [];
  if (found.ownGroupProblem) warnings.push({ code: 'INGEST_RULES_UNREAD', subject: settings.instanceId ?? found.vpcId, details: { problem: found.ownGroupProblem } });
  else if (found.ownGroup && !config.instanceSecurityGroupId) warnings.push({ code: 'OWN_GROUP_UNSET', subject: found.ownGroup.groupId, details: {} });
  const publicRules = (found.ownGroup?.ingress ?? []).filter((r) => isWorldSource(r.source) && !ingestRules.some((i) => i.rule === ruleView(r).rule));
  const publicViews = publicRules.map(ruleView);
  if (publicRules.length > 0) {
    warnings.push({ code: 'OWN_GROUP_OPEN_TO_WORLD', subject: found.ownGroup!.groupId, details: { rules: publicViews.map((v) => v.rule), ports: [...new Set(publicRules.map((r) => r.fromPort))] } });
  }

  const secondary = await importSecondary(ec2, config, settings, entries, warnings);

  const file = importsFilePath(argv.importsFile, io.cwd, config, loaded.path);
  const merged = mergeImports(config, readImports(file), entries);
  const written = writeImports(file, merged);
  out.progress(`${written ? 'wrote' : 'unchanged:'} ${file} (${entriesText(Object.keys(merged).length)})`);

  const orphans = found.orphanedGroups;
  const interfaces = await ec2.readInterfaces({ vpcId: found.vpcId });
  const policy = ownershipPolicy(settings, settings.ports, found.ownGroup ? [found.ownGroup.groupId] : undefined);
  const adoption = planAdoption([...found.managedGroups, ...orphans], interfaces, policy);
  for (const r of adoption.refused) warnings.push(refusalFinding(r, settings.prefixName));
  const adopt = adoption.adopt.map((g) => g.groupId);
  // An orphan is tagged only when it is adopted too: a tag for a group the guard may not write would only be refused.
  const retag = orphans.map((g) => g.groupId).filter((id) => adopt.includes(id));
  if (argv.apply && retag.length > 0) {
    out.progress(`tagging ${retag.join(', ')} ${MANAGED_TAG_KEY}=${settings.prefixName}`);
    await tagManagedGroups(ec2, retag, settings.prefixName);
  }
  if (argv.apply && adopt.length > 0) {
    out.progress(`adopting ${adopt.join(', ')}: tagging ${ADOPTED_TAG_KEY}=${settings.prefixName}`);
    await ec2.tag(adopt, ADOPTED_TAG_KEY, settings.prefixName);
  }
  const status = adopt.length === 0 ? 'in-sync' : argv.apply ? 'applied' : 'changes';
  const exitCode = status === 'changes' ? EXIT_CHANGES : EXIT_OK;
  const attachedTo = (g: SecurityGroupRecord) => (found.instance?.enis ?? []).filter((e) => e.groupIds.includes(g.groupId)).map((e) => e.eniId);
  const groupView = (g: SecurityGroupRecord) => ({ groupId: g.groupId, groupName: g.groupName, rules: g.ingress.length, attachedTo: attachedTo(g) });
  const report = {
    command: 'import',
    status,
    exitCode,
    apply: argv.apply,
    vpcId: found.vpcId,
    prefixName: settings.prefixName,
    ...(settings.instanceId ? { instanceId: settings.instanceId } : {}),
    managedGroups: found.managedGroups.map(groupView),
    orphanedGroups: orphans.map((g) => ({ ...groupView(g), tags: { [MANAGED_TAG_KEY]: settings.prefixName }, retagged: argv.apply && adopt.includes(g.groupId) })),
    adoptedGroups: adoption.adopt.map((g) => ({ groupId: g.groupId, groupName: g.groupName, adopted: argv.apply })),
    notAdopted: adoption.refused.map((r) => ({ groupId: r.groupId, groupName: r.groupName, code: r.code, reason: r.reason })),
    otherPrefixGroups: found.otherPrefixGroups.map((g) => ({ groupId: g.groupId, groupName: g.groupName, prefixName: g.tags[MANAGED_TAG_KEY] })),
    ownGroup: found.ownGroup ? { groupId: found.ownGroup.groupId, groupName: found.ownGroup.groupName, publicRules: publicViews } : null,
    elasticIp,
    distribution: argv.distributionId ? { path: distributionPath(config), id: argv.distributionId } : null,
    ingestRules,
    ...(secondary ? { secondaryOrigin: secondary } : {}),
    importsFile: { path: file, written, entries: merged },
    warnings,
  };
  if (out.json) out.document(report);
  else renderImport(out, report);
  return exitCode;
}

/**
 * The secondary origin's resources (config `secondaryOrigin`, when the command runs for the config's
 * primary): its Elastic IP, and the ingest rules on its own group when that is not the primary's,
 * mapped to the paths SecondaryOrigin renders (import-paths secondaryImportablePaths).
 */
async function importSecondary(ec2: Ec2Shell, config: AppConfig, settings: GuardSettings & GuardedInstanceSettings, entries: Record<string, string>, warnings: Finding[]) {
  const s = config.secondaryOrigin;
  if (!s || guardedInstanceList(settings).length < 2) return undefined;
  const instance = await describeInstance(ec2, s.instanceId);
  const secondaryEip = { instanceId: s.instanceId, at: secondaryEipPath(config), setting: 'secondaryOrigin.elasticIp.allocationId', configured: s.elasticIp?.allocationId, role: 'secondary' as const };
  const elasticIp = importElasticIp(await ec2.readInstanceAddress(instance.instanceId), secondaryEip, entries, warnings);
  // A secondary sharing the primary's group has no rules of its own to import (they are the primary's).
  const ownGroupId = config.ingest.enabled && s.instanceSecurityGroupId !== config.instanceSecurityGroupId ? s.instanceSecurityGroupId : undefined;
  const ingestRules = ownGroupId ? importIngestRules(config, await ec2.readIngressRuleIds(ownGroupId), secondaryIngestRulePath, entries) : [];
  return {
    instanceId: s.instanceId,
    elasticIp,
    ...(ownGroupId ? { ownGroupId } : {}),
    ingestRules,
  };
}

/** An origin's Elastic IP: mapped unless the config adopts one already; an adopted one that differs, or none at all, is a warning. */
function importElasticIp(
  eip: { readonly allocationId: string; readonly publicIp: string } | undefined,
  origin: { readonly instanceId: string; readonly at: string; readonly setting: string; readonly configured?: string; readonly role?: 'secondary' },
  entries: Record<string, string>,
  warnings: Finding[],
) {
  const role = origin.role ? { role: origin.role } : {};
  if (eip && origin.configured === undefined) entries[origin.at] = eip.allocationId;
  if (eip && origin.configured !== undefined && origin.configured !== eip.allocationId) {
    warnings.push({ code: 'ELASTIC_IP_MISMATCH', subject: origin.instanceId, details: { configured: origin.configured, found: eip.allocationId, setting: origin.setting, ...role } });
  }
  if (!eip) warnings.push({ code: 'ELASTIC_IP_MISSING', subject: origin.instanceId, details: role });
  return eip ? { ...eip, imported: origin.at in entries } : null;
}

/** The config's ingest rules at their construct paths, each with the `sgr-…` found for it (mapped in `entries`), or null: the stack creates it. */
function importIngestRules(config: AppConfig, ruleIds: ReadonlyMap<string, string>, pathOf: (config: AppConfig, index: number) => string, entries: Record<string, string>) {
  return ingestRulesOf(config.ingest.rules ?? DEFAULT_INGEST_RULES, 'ingest.rules').map((rule, i) => {
    const ruleId = ruleIds.get(ruleKey(rule)) ?? null;
    const at = pathOf(config, i);
    if (ruleId) entries[at] = ruleId;
    return { path: at, ...ruleView(rule), ruleId };
  });
}
