import { settingLabel } from '../spelling';
import { writeIngestRules } from '../../lambda-src/aws/apply';
import { RaceError } from '../../lambda-src/aws/aws-errors';
import type { Ec2Shell, SecurityGroupRecord } from '../../lambda-src/aws/security-group-manager';
import { readManagedGroups } from '../../lambda-src/aws/ec2-state';
import { badValueMessage, guardError } from '../../lambda-src/core/errors';
import type { DesiredState, ManagedGroup } from '../../lambda-src/core/model';
import type { OpenIngestArgs } from '../commands/open-ingest';
import { ec2For, prepare } from '../context';
import { describeInstance } from '../../lambda-src/aws/ec2-reads';
import { isGuardGroup, resolveOwnGroup } from '../../lambda-src/aws/own-group';
import { usageError } from '../errors';
import { EXIT_CHANGES, EXIT_OK } from '../exit-codes';
import { expectedIngestRules } from '../ingest/expected';
import { cloudFrontPortsToClose, planIngest } from '../ingest/plan';
import { loadDesired } from '../ranges-source';
import { guardedInstanceList, partitionGroups, type GuardedInstanceSettings } from '../../lambda-src/core/ownership';
import { ownershipPolicy } from '../../lambda-src/core/plan';
import type { GuardSettings } from '../../lambda-src/config/settings';
import type { AppConfig } from '../../lambda-src/config/app-config';
import type { CliIo, Output as CliIoOutput } from '../output';
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

/** The guard's own groups in the VPC, by the one ownership decision: a tagged group it may not write opens nothing it can vouch for. */
async function ownedGroups(ec2: Ec2Shell, settings: GuardSettings, vpcId: string) {
  const tagged = await readManagedGroups(ec2, settings.prefixName, vpcId);
  const interfaces = await ec2.readInterfaces({ vpcId });
  const protectedIds = settings.instanceSecurityGroupId ? [settings.instanceSecurityGroupId] : undefined;
  return partitionGroups(tagged, interfaces, ownershipPolicy(settings, settings.ports, protectedIds)).owned;
}

/** One origin's ingest change: which instance and own group, and the plan for it. */
interface OriginIngest {
  readonly role: 'primary' | 'secondary';
  readonly instanceId?: string;
  readonly group: SecurityGroupRecord;
  readonly plan: ReturnType<typeof planIngest>;
}

/** Where the ingest rules go: the primary's own group, and with a secondary origin in the config, the secondary's own group too. */
function originTargets(settings: GuardSettings & GuardedInstanceSettings, config: AppConfig | undefined) {
  const primary = { role: 'primary' as const, instanceId: settings.instanceId, groupId: settings.instanceSecurityGroupId, groupIdFrom: settingLabel('instanceSecurityGroupId') };
  const secondary = config?.secondaryOrigin;
  // The config's secondary belongs to the config's primary: another instance given by flag has none.
  if (!secondary || guardedInstanceList(settings).length < 2) return [primary];
  return [primary, { role: 'secondary' as const, instanceId: secondary.instanceId, groupId: secondary.instanceSecurityGroupId, groupIdFrom: 'secondaryOrigin.instanceSecurityGroupId' }];
}

export async function runOpenIngest(argv: OpenIngestArgs, io: CliIo): Promise<number> {
  const closePorts = closePortsOf(argv.closePublic);
  const ctx = prepare(argv, io);
  const { out, settings } = ctx;
  const config = ctx.loaded?.config;
  const wanted = expectedIngestRules(argv, config, true) ?? [];
  const ec2 = await ec2For(ctx);
  const cloudfrontPorts = new Set<number>([80, ...settings.ports.flatMap((p) => (p.protocol === 'tcp' && p.fromPort === p.toPort ? [p.fromPort] : []))]);
  let managedRead: Promise<ManagedGroup[]> | undefined;
  let documentRead: Promise<DesiredState> | undefined;
  const origins: OriginIngest[] = [];
  // Every origin is planned before any is written: a bad own group on the secondary changes nothing on the primary.
  for (const target of originTargets(settings, config)) {
    const instance = target.instanceId ? await describeInstance(ec2, target.instanceId) : undefined;
    // --group-id is the setting instanceSecurityGroupId (flag > CFGUARD_* > config), named as the user gave it.
    const group = await resolveOwnGroup(ec2, { groupId: target.groupId, groupIdFrom: target.groupIdFrom, instance, prefixName: settings.prefixName });
    if (isGuardGroup(group, settings.prefixName)) {
      throw guardError(
        'OWN_GROUP_NOT_FOUND',
        `'${target.groupIdFrom}' must name the instance's own group, got ${group.groupId} (${group.groupName}), which the guard manages; ingest rules there would be revoked`,
        'usage',
        { groupId: group.groupId },
      );
    }
    // Two instances sharing one own group: it is written once.
    if (origins.some((o) => o.group.groupId === group.groupId)) continue;
    const enis = instance ? instance.enis : await ec2.readInterfaces({ groupId: group.groupId });
    // Only a CloudFront port really closed needs the document and the guard's groups (read lazily, once: closing 22 needs neither).
    const mustCheck = cloudFrontPortsToClose(group, closePorts, cloudfrontPorts).length > 0;
    const managed = mustCheck ? await (managedRead ??= ownedGroups(ec2, settings, group.vpcId)) : [];
    // with no group of the guard's there is nothing to check against: refused without fetching anything
    const document = mustCheck && managed.length > 0 ? await (documentRead ??= loadDesired(argv.ipRanges, settings, out, io).then((l) => l.desired)) : undefined;
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
    origins.push({ role: target.role, ...(instance ? { instanceId: instance.instanceId } : {}), group, plan });
  }
  const changed = origins.filter((o) => o.plan.authorize.length + o.plan.revoke.length > 0);
  if (argv.apply) {
    for (const o of changed) {
      out.progress(`writing ${o.group.groupId}: ${o.plan.authorize.length} to open, ${o.plan.revoke.length} to close`);
      const { groupId } = o.group;
      await writeIngestRules(ec2, groupId, { authorize: o.plan.authorize, revoke: o.plan.revoke, description: INGEST_RULE_DESCRIPTION }).catch((e) => {
        if (e instanceof RaceError)
          throw guardError('AWS_ERROR', `${e.message}: ${groupId} changed while cfguard was writing; run 'cfguard open-ingest' again to see what is left`, 'external', { awsCode: e.awsCode });
        throw e;
      });
    }
  }
  const statusOf = (n: number) => (n === 0 ? 'in-sync' : argv.apply ? 'applied' : 'changes');
  const status = statusOf(changed.length);
  const exitCode = status === 'changes' ? EXIT_CHANGES : EXIT_OK;
  const several = origins.length > 1;
  for (const o of origins) for (const w of o.plan.warnings) out.warn(several && o.instanceId ? `${o.instanceId}: ${w}` : w);
  const [first] = origins;
  if (out.json) {
    const view = (o: OriginIngest) => ({
      groupId: o.group.groupId,
      groupName: o.group.groupName,
      ...(o.instanceId ? { instanceId: o.instanceId } : {}),
      authorize: o.plan.authorize.map(ruleView),
      revoke: o.plan.revoke.map(ruleView),
    });
    out.document({
      command: 'open-ingest',
      status,
      exitCode,
      apply: argv.apply,
      ...view(first),
      closePorts,
      warnings: first.plan.warnings,
      // With a secondary origin: each origin's own group and change, primary first (the top-level fields are the primary's).
      ...(several ? { origins: origins.map((o) => ({ role: o.role, status: statusOf(o.plan.authorize.length + o.plan.revoke.length), ...view(o), warnings: o.plan.warnings })) } : {}),
    });
    return exitCode;
  }
  for (const o of origins) renderOrigin(out, o, argv.apply, closePorts, several);
  return exitCode;
}

function renderOrigin(out: CliIoOutput, o: OriginIngest, apply: boolean, closePorts: readonly number[], several: boolean): void {
  const where = `${o.group.groupId} (${o.group.groupName})${several && o.instanceId ? ` on the ${o.role} ${o.instanceId}` : ''}`;
  const { plan, group } = o;
  if (plan.authorize.length + plan.revoke.length === 0) {
    out.line(out.paint('green', `In sync: ${where} already has every ingest rule${closePorts.length ? ` and no world-open rule on ${closePorts.join(', ')}` : ''}.`));
    return;
  }
  out.table(['ACTION', 'GROUP', 'RULE'], [...plan.authorize.map((r) => ['open', group.groupId, someRules([r])]), ...plan.revoke.map((r) => ['close', group.groupId, someRules([r])])], (row, column) =>
    column === 0 ? (row[0] === 'open' ? 'green' : 'red') : undefined,
  );
  out.line(apply ? out.paint('green', `Applied to ${where}.`) : out.paint('yellow', `Changes pending on ${where}: run again with --apply to make them.`));
}
