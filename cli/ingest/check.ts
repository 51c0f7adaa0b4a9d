import type { AppConfig } from '../../lambda-src/config/app-config';
import type { GuardSettings } from '../../lambda-src/config/settings';
import type { InstanceView } from '../../lambda-src/core/assessment';
import { rulesAbsent } from '../../lambda-src/core/compare';
import type { Rule } from '../../lambda-src/core/model';
import type { GuardedInstanceSettings } from '../../lambda-src/core/ownership';
import { describeGroup } from '../../lambda-src/aws/ec2-reads';
import { isGuardGroup } from '../../lambda-src/aws/own-group';
import type { Ec2Shell } from '../../lambda-src/aws/security-group-manager';
import { MANAGED_TAG_KEY } from '../../lambda-src/core/sync-token';
import type { IngestArgs, SettingArgs } from '../options';
import { ruleView, type RuleView } from '../render/rules';
import { settingLabel } from '../spelling';
import { expectedIngestRules } from './expected';

/*
 * The ingest check, one for `drift` and `status` (issue 21): are the expected ingest rules present
 * on each guarded instance's own groups? The own groups' ingress comes from the instance view the
 * exposure audit already read (every group on the instances' interfaces), so the check costs no
 * EC2 call; only a configured own group that no interface carries is read by id.
 */

/** One instance's own groups' ingress and the ingest rules expected there; `instanceId`/`role` only with a secondary origin. */
export interface IngestInput {
  readonly groupIds: readonly string[];
  readonly present: readonly Rule[];
  readonly expected: readonly Rule[];
  readonly instanceId?: string;
  readonly role?: 'primary' | 'secondary';
}

export interface IngestCheck {
  /** With a secondary origin: the instance whose own groups were searched, and its role. */
  readonly instanceId?: string;
  readonly role?: 'primary' | 'secondary';
  /** The groups searched: the instance's own groups. */
  readonly groupIds: readonly string[];
  readonly expected: readonly RuleView[];
  readonly missing: readonly RuleView[];
}

/** One ingest check: the expected rules absent from the instance's own groups. */
export function ingestCheck(input: IngestInput): IngestCheck {
  return {
    ...(input.instanceId ? { instanceId: input.instanceId } : {}),
    ...(input.role ? { role: input.role } : {}),
    groupIds: input.groupIds,
    expected: input.expected.map(ruleView),
    missing: rulesAbsent(input.expected, input.present).map(ruleView),
  };
}

/**
 * The ingest checks (or their inputs) as drift's and status's reports carry them, only when ingest rules
 * are expected: `ingest` the primary's (the only one without a secondary origin), `ingestByOrigin`
 * with a secondary origin every guarded instance's, primary first, each naming its instance.
 */
export interface IngestFields<T = IngestCheck> {
  readonly ingest?: T;
  readonly ingestByOrigin?: readonly T[];
}

export function ingestFields<T>(checks: readonly T[] | undefined): IngestFields<T> {
  if (!checks || checks.length === 0) return {};
  return { ingest: checks[0], ...(checks.length > 1 ? { ingestByOrigin: checks } : {}) };
}

/** Every check of a report (or input), primary first: the inverse of ingestFields. */
export function ingestChecksOf<T>(r: IngestFields<T>): readonly T[] {
  return r.ingestByOrigin ?? (r.ingest ? [r.ingest] : []);
}

/**
 * The ingest rules to check, or `undefined` for no check: drift's `--ingest-ports`/`--ingest-cidrs`,
 * else the `ingestRules` setting when it was given (`--ingest-rules`, CFGUARD_INGEST_RULES) or the
 * config manages ingest (`ingest.enabled`, its `ingest.rules`); without any of these nobody said
 * which ingest the origin wants, so there is nothing to hold it to (the stack's default is not assumed).
 */
export function ingestRulesToCheck(argv: Pick<SettingArgs, 'ingestRules'> & Partial<IngestArgs>, config: AppConfig | undefined, settings: Pick<GuardSettings, 'ingestRules'>): Rule[] | undefined {
  const rules =
    argv.ingestPorts !== undefined || argv.ingestCidrs !== undefined
      ? expectedIngestRules(argv, config, false)
      : argv.ingestRules !== undefined || config?.ingest.enabled
        ? [...settings.ingestRules]
        : undefined;
  // An empty list (`--ingest-rules ''`) expects no ingest: nothing to check.
  return rules && rules.length > 0 ? rules : undefined;
}

type OwnGroupSettings = Pick<GuardSettings, 'prefixName' | 'instanceSecurityGroupId'> & Pick<GuardedInstanceSettings, 'guardedOwnGroupIds'>;

/**
 * Each guarded instance's ingest input, primary first, from the instance view: the configured own
 * group (instanceSecurityGroupId for the primary, GUARDED_OWN_GROUP_IDS / secondaryOrigin's for the
 * n-th other), else every group on the instance's interfaces that is not the guard's.
 * `tagged` is the view's `groupId|PREFIX_NAME value` set (aws/exposure-audit readInstanceView).
 */
export async function ingestInputs(
  ec2: Ec2Shell,
  view: InstanceView & { readonly tagged: ReadonlySet<string> },
  settings: OwnGroupSettings,
  instanceIds: readonly string[],
  expected: readonly Rule[],
): Promise<IngestInput[]> {
  const several = instanceIds.length > 1;
  const taggedIds = new Set([...view.tagged].map((k) => k.slice(0, k.indexOf('|'))));
  const inputs: IngestInput[] = [];
  for (const [i, instanceId] of instanceIds.entries()) {
    const configured = i === 0 ? settings.instanceSecurityGroupId : settings.guardedOwnGroupIds?.[i - 1];
    let own: { groupId: string; ingress: readonly Rule[] }[];
    if (configured) {
      // Not on the instance (yet): read by id, so a wrong id is OWN_GROUP_NOT_FOUND, never "nothing missing".
      const seen = view.groups.find((g) => g.groupId === configured);
      own = [seen ?? (await describeGroup(ec2, configured, i === 0 ? settingLabel('instanceSecurityGroupId') : 'secondaryOrigin.instanceSecurityGroupId'))];
    } else {
      const onInstance = new Set(view.enis.filter((e) => e.instanceId === instanceId).flatMap((e) => e.groupIds));
      own = view.groups.filter((g) => onInstance.has(g.groupId) && !isGuardGroup({ groupName: g.groupName, tags: taggedIds.has(g.groupId) ? { [MANAGED_TAG_KEY]: '' } : {} }, settings.prefixName));
    }
    inputs.push({ groupIds: own.map((g) => g.groupId), present: own.flatMap((g) => g.ingress), expected, ...(several ? { instanceId, role: i === 0 ? 'primary' : 'secondary' } : {}) });
  }
  return inputs;
}
