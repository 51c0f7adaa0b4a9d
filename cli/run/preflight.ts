import { describeInstance } from '../../lambda-src/aws/ec2-reads';
import type { InstanceRecord } from '../../lambda-src/aws/security-group-manager';
import { callerIdentity, lambdaConcurrency, newAccountClients, readQuota, regionStatus } from '../../lambda-src/aws/account-reads';
import { guardError, isGuardError } from '../../lambda-src/core/errors';
import { selectRanges } from '../../lambda-src/core/ip-ranges';
import { PREFLIGHT_QUOTAS, preflightReport, type PreflightFacts, type QuotaKey, type QuotaReading } from '../../lambda-src/core/preflight';
import { guardFunctionRegion, isOptInRegion, TOPIC_REGION } from '../../lambda-src/core/regions';
import { rulesFor } from '../../lambda-src/core/rules';
import { MANAGED_TAG_KEY } from '../../lambda-src/core/sync-token';
import originShieldTable from '../../constructs/data/origin-shield-regions.json';
import { commandUserAgentAppId, credentialsFor, explainFailures } from '../aws';
import type { PreflightArgs } from '../commands/preflight';
import { ec2For, prepare, type RunContext } from '../context';
import { EXIT_CHANGES, EXIT_OK } from '../exit-codes';
import { SETTINGS, type GuardSettingName } from '../../lambda-src/config/settings';
import { cliEnvOf, flagOf } from '../options';
import type { CliIo } from '../output';
import { documentFacts, loadRanges } from '../ranges-source';
import { renderPreflight, type PreflightDocument } from '../render/preflight';

/** How the findings name a setting: the config key when a config file is in use, else the flag. */
function settingName(ctx: RunContext, setting: string): string {
  if (setting === 'reservedConcurrency') return 'guard.reservedConcurrency';
  if (setting === 'originShieldRegion') return 'distribution.originShieldRegion';
  const known = setting in SETTINGS ? (setting as GuardSettingName) : undefined;
  if (!known) return setting;
  return ctx.loaded ? SETTINGS[known].configPath : `${flagOf(known)} / ${cliEnvOf(known)}`;
}

function instanceView(instance: InstanceRecord | undefined): PreflightDocument['instance'] {
  return instance ? { instanceId: instance.instanceId, vpcId: instance.vpcId, enis: instance.enis.map((e) => ({ eniId: e.eniId, groupIds: e.groupIds })) } : null;
}

/** Read-only. Exit 0: the deploy will work and the ranges fit; 2: findings; 1: error. */
export async function runPreflight(argv: PreflightArgs, io: CliIo): Promise<number> {
  const ctx = prepare(argv, io);
  const { out, settings } = ctx;
  const config = ctx.loaded?.config;
  if (!settings.instanceId) {
    throw guardError('CONFIG_INVALID', "preflight needs the origin instance: set 'instanceId' in the config file, or pass --instance-id", 'usage', { setting: 'instanceId' });
  }
  const region = settings.region;
  const functionRegion = guardFunctionRegion(region);
  const lambdaMode = (config?.guard.mode ?? 'lambda') === 'lambda';
  const loaded = await loadRanges(argv.ipRanges, settings, out, io);
  const selected = selectRanges(loaded.document, { services: settings.services, ipv6: settings.ipv6 });
  const desired = rulesFor([...selected.ipv4, ...selected.ipv6], settings.ports);

  const target = { region, profile: argv.profile, endpointUrl: argv.endpointUrl };
  // STS answers in every enabled region (IAM User Guide, "Manage AWS STS in an AWS Region"): ask the
  // deployment's own, so nothing goes to us-east-1 for an eu-north-1 stack; an opt-in region may be
  // disabled, and its endpoint would not answer, so it asks the always-enabled us-east-1.
  const stsRegion = isOptInRegion(region) ? TOPIC_REGION : region;
  const clients = newAccountClients({
    region,
    functionRegion,
    stableRegion: stsRegion,
    endpoints: { sts: io.env.AWS_ENDPOINT_URL_STS, quotas: io.env.AWS_ENDPOINT_URL_SERVICE_QUOTAS, lambda: io.env.AWS_ENDPOINT_URL_LAMBDA },
    credentials: await credentialsFor(target),
    userAgentAppId: commandUserAgentAppId(),
  });
  // Missing credentials and dead endpoints in the CLI's words, as for EC2 (cli/aws.ts). Someone who
  // pointed --endpoint-url at an emulator may expect it to cover these too: say that it does not.
  const ec2Only = argv.endpointUrl ? { note: '--endpoint-url covers EC2 only' } : {};
  const explain = (client: Parameters<typeof explainFailures>[0], at: string, name: string, host: string, override: string) =>
    explainFailures(client, { region: at, endpointUrl: io.env[override], profile: argv.profile, service: { name, host, override, ...ec2Only } }, io.env);
  explain(clients.sts, stsRegion, 'STS', 'sts', 'AWS_ENDPOINT_URL_STS');
  explain(clients.quotas, region, 'Service Quotas', 'servicequotas', 'AWS_ENDPOINT_URL_SERVICE_QUOTAS');
  explain(clients.lambda, functionRegion, 'Lambda', 'lambda', 'AWS_ENDPOINT_URL_LAMBDA');
  out.progress(`reading the account for a deploy in ${region}`);
  const identity = await callerIdentity(clients.sts);
  // Asked of an always-enabled region: a disabled region's own endpoint does not answer.
  const status = isOptInRegion(region) ? await regionStatus(await ec2For(ctx, { region: TOPIC_REGION }), region) : 'opt-in-not-required';
  const ec2 = await ec2For(ctx);
  const enabled = status !== 'not-opted-in';
  // A missing instance is a finding, not an error; in a disabled region nothing is asked.
  const findInstance = async (instanceId: string) =>
    enabled
      ? describeInstance(ec2, instanceId).catch((e) => {
          if (isGuardError(e) && e.code === 'INSTANCE_NOT_FOUND') return undefined;
          throw e;
        })
      : undefined;
  const instance = await findInstance(settings.instanceId);
  const secondaryId = config?.secondaryOrigin?.instanceId;
  const secondary = secondaryId ? { instanceId: secondaryId, instance: await findInstance(secondaryId) } : undefined;
  const managed = instance ? await ec2.readGroups({ tag: { key: MANAGED_TAG_KEY, values: [settings.prefixName] }, vpcId: instance.vpcId }) : [];
  const quota = async (key: QuotaKey): Promise<QuotaReading> =>
    enabled ? readQuota(clients.quotas, key) : { value: PREFLIGHT_QUOTAS[key].defaultValue, source: 'default', reason: 'region not enabled' };
  const quotas = { rulesPerGroup: await quota('rulesPerGroup'), groupsPerInterface: await quota('groupsPerInterface') };
  const lambda = lambdaMode ? await lambdaConcurrency(clients.lambda) : undefined;
  // A secondary origin brings a second Elastic IP: count the region's and those the deploy allocates
  // (an origin with no adopted allocation and no address yet gets a new one).
  const elasticIps =
    secondary && config && enabled
      ? {
          quota: await readQuota(clients.quotas, 'elasticIps'),
          allocated: await ec2.countAddresses(),
          needed:
            (config.elasticIp?.allocationId || (await ec2.readInstanceAddress(settings.instanceId)) ? 0 : 1) +
            (config.secondaryOrigin?.elasticIp?.allocationId || (await ec2.readInstanceAddress(secondary.instanceId)) ? 0 : 1),
        }
      : undefined;
  const osTable = originShieldTable as Record<string, string>;
  // With Origin Shield off no region is needed, so the table cannot be missing one: the row reads 'off'.
  const tableRegion = Object.prototype.hasOwnProperty.call(osTable, region) ? osTable[region] : undefined;
  const originShieldRegion = config?.distribution.originShield === false ? 'off' : (config?.distribution.originShieldRegion ?? tableRegion);

  const facts: PreflightFacts = {
    region,
    regionStatus: status,
    functionRegion,
    originShieldRegion,
    instanceId: settings.instanceId,
    instance,
    ...(secondary ? { secondary } : {}),
    ...(elasticIps ? { elasticIps } : {}),
    managedGroupIds: managed.map((g) => g.groupId),
    desired,
    prefixName: settings.prefixName,
    settings: { rulesPerGroup: settings.rulesPerGroup, groupsPerInterface: settings.groupsPerInterface },
    quotas,
    lambda,
    reservedConcurrency: lambdaMode ? config?.guard.reservedConcurrency : undefined,
  };
  const report = preflightReport(facts, (setting) => settingName(ctx, setting));
  const exitCode = report.findings.length > 0 ? EXIT_CHANGES : EXIT_OK;
  const doc: PreflightDocument & { command: string; exitCode: number; document: object } = {
    command: 'preflight',
    status: exitCode === EXIT_OK ? 'ready' : 'blocked',
    exitCode,
    account: identity,
    region: { name: region, optIn: isOptInRegion(region), status },
    functionRegion,
    originShieldRegion: originShieldRegion ?? null,
    instance: instanceView(instance),
    ...(secondary ? { secondaryInstance: instanceView(secondary.instance) } : {}),
    ...(elasticIps ? { elasticIps } : {}),
    quotas: { ...quotas, settings: facts.settings },
    document: documentFacts(loaded),
    rules: desired.length,
    groupsNeeded: report.groupsNeeded,
    ownGroups: report.ownGroups,
    lambda: lambda ? { ...lambda, reservedConcurrency: facts.reservedConcurrency ?? null } : null,
    findings: report.findings,
    notes: report.notes,
  };
  if (out.json) out.document(doc);
  else renderPreflight(out, doc);
  return exitCode;
}
