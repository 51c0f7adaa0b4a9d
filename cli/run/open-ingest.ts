import { settingLabel } from '../spelling';
import { writeIngestRules } from '../../lambda-src/aws/apply';
import { RaceError } from '../../lambda-src/aws/aws-errors';
import type { Ec2Shell } from '../../lambda-src/aws/security-group-manager';
import { readManagedGroups } from '../../lambda-src/aws/ec2-state';
import { badValueMessage, guardError } from '../../lambda-src/core/errors';
import type { Rule } from '../../lambda-src/core/model';
import type { OpenIngestArgs } from '../commands/open-ingest';
import { ec2For, prepare } from '../context';
import { describeInstance } from '../../lambda-src/aws/ec2-reads';
import { isGuardGroup, resolveOwnGroup } from '../../lambda-src/aws/own-group';
import { usageError } from '../errors';
import { EXIT_CHANGES, EXIT_OK } from '../exit-codes';
import { expectedIngestRules } from '../ingest/expected';
import { cloudFrontPortsToClose, planIngest } from '../ingest/plan';
import { loadDesired } from '../ranges-source';
import { partitionGroups } from '../../lambda-src/core/ownership';
import { ownershipPolicy } from '../../lambda-src/core/plan';
import type { GuardSettings } from '../../lambda-src/config/settings';
import type { CliIo } from '../output';
import { ruleView, someRules } from '../render/rules';

export const INGEST_RULE_DESCRIPTION = 'ingest (cfguard open-ingest)';

function closePortsOf(text: string | undefined): number[] {
  if (text === undefined) return [];
  // Every item must be a port: '22,,80' is a typo (a port left out?), not '22,80'.
  const items = text.split(',').map((s) => s.trim());
  const ports = items.map((item) => (/^\d+$/.test(item) ? Number(item) : NaN));
  if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw usageError(badValueMessage('--close-public', "must be a comma-separated list of ports 1-65535 like '22,80'", text, 'text', Infinity));
  }
  return [...new Set(ports)];
}

async function write(ec2: Ec2Shell, groupId: string, authorize: readonly Rule[], revoke: readonly Rule[]): Promise<void> {
  try {
    await writeIngestRules(ec2, groupId, { authorize, revoke, description: INGEST_RULE_DESCRIPTION });
  } catch (e) {
    if (e instanceof RaceError)
      throw guardError('AWS_ERROR', `${e.message}: ${groupId} changed while cfguard was writing; run 'cfguard open-ingest' again to see what is left`, 'external', { awsCode: e.awsCode });
    throw e;
  }
}

/** The guard's own groups in the VPC, by the one ownership decision: a tagged group it may not write opens nothing it can vouch for. */
async function ownedGroups(ec2: Ec2Shell, settings: GuardSettings, vpcId: string) {
  const tagged = await readManagedGroups(ec2, settings.prefixName, vpcId);
  const interfaces = await ec2.readInterfaces({ vpcId });
  const protectedIds = settings.instanceSecurityGroupId ? [settings.instanceSecurityGroupId] : undefined;
  return partitionGroups(tagged, interfaces, ownershipPolicy(settings, settings.ports, protectedIds)).owned;
}

export async function runOpenIngest(argv: OpenIngestArgs, io: CliIo): Promise<number> {
  const closePorts = closePortsOf(argv.closePublic);
  const ctx = prepare(argv, io);
  const { out, settings } = ctx;
  const config = ctx.loaded?.config;
  const wanted = expectedIngestRules(argv, config, true) ?? [];
  const ec2 = await ec2For(ctx);
  const instance = settings.instanceId ? await describeInstance(ec2, settings.instanceId) : undefined;
  // --group-id is the setting instanceSecurityGroupId (flag > CFGUARD_* > config), named as the user gave it.
  const groupIdFrom = settingLabel('instanceSecurityGroupId');
  const group = await resolveOwnGroup(ec2, { groupId: settings.instanceSecurityGroupId, groupIdFrom, instance, prefixName: settings.prefixName });
  if (isGuardGroup(group, settings.prefixName)) {
    throw guardError(
      'OWN_GROUP_NOT_FOUND',
      `'${groupIdFrom}' must name the instance's own group, got ${group.groupId} (${group.groupName}), which the guard manages; ingest rules there would be revoked`,
      'usage',
      { groupId: group.groupId },
    );
  }
  const enis = instance ? instance.enis : await ec2.readInterfaces({ groupId: group.groupId });
  const cloudfrontPorts = new Set<number>([80, ...settings.ports.flatMap((p) => (p.protocol === 'tcp' && p.fromPort === p.toPort ? [p.fromPort] : []))]);
  // Only a CloudFront port really closed needs the document and the guard's groups (read lazily: closing 22 needs neither).
  const mustCheck = cloudFrontPortsToClose(group, closePorts, cloudfrontPorts).length > 0;
  const managed = mustCheck ? await ownedGroups(ec2, settings, group.vpcId) : [];
  // with no group of the guard's there is nothing to check against: refused without fetching anything
  const document = mustCheck && managed.length > 0 ? (await loadDesired(argv.ipRanges, settings, out, io)).desired : undefined;
  // only the interfaces carrying the group being closed lose its world-open rule
  const plan = planIngest({
    group,
    wanted,
    closePorts,
    cloudfrontPorts,
    enis: enis.filter((e) => e.groupIds.includes(group.groupId)),
    managed,
    prefixName: settings.prefixName,
    published: document?.rules ?? [],
    documentSyncToken: document?.syncToken,
  });
  const changes = plan.authorize.length + plan.revoke.length > 0;
  if (argv.apply && changes) {
    out.progress(`writing ${group.groupId}: ${plan.authorize.length} to open, ${plan.revoke.length} to close`);
    await write(ec2, group.groupId, plan.authorize, plan.revoke);
  }
  const status = !changes ? 'in-sync' : argv.apply ? 'applied' : 'changes';
  const exitCode = status === 'changes' ? EXIT_CHANGES : EXIT_OK;
  for (const w of plan.warnings) out.warn(w);
  if (out.json) {
    out.document({
      command: 'open-ingest',
      status,
      exitCode,
      apply: argv.apply,
      groupId: group.groupId,
      groupName: group.groupName,
      ...(instance ? { instanceId: instance.instanceId } : {}),
      authorize: plan.authorize.map(ruleView),
      revoke: plan.revoke.map(ruleView),
      closePorts,
      warnings: plan.warnings,
    });
    return exitCode;
  }
  const where = `${group.groupId} (${group.groupName})`;
  if (!changes) {
    out.line(out.paint('green', `In sync: ${where} already has every ingest rule${closePorts.length ? ` and no world-open rule on ${closePorts.join(', ')}` : ''}.`));
    return exitCode;
  }
  out.table(['ACTION', 'GROUP', 'RULE'], [...plan.authorize.map((r) => ['open', group.groupId, someRules([r])]), ...plan.revoke.map((r) => ['close', group.groupId, someRules([r])])], (row, column) =>
    column === 0 ? (row[0] === 'open' ? 'green' : 'red') : undefined,
  );
  out.line(argv.apply ? out.paint('green', `Applied to ${where}.`) : out.paint('yellow', `Changes pending on ${where}: run again with --apply to make them.`));
  return exitCode;
}
