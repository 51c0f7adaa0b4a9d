/**
 * Findings (core/findings) in words, with the fix: the edge's job. The CLI's renderer and the
 * Lambda's run line both call this, so a code reads the same everywhere; `spell` turns a setting
 * id into the user's spelling there (`--flag` for the CLI, the variable for the Lambda).
 */
import type { Finding } from '../core/findings';
import { SYNC_TOKEN_TAG_KEY } from '../core/sync-token';

type Speller = (settingId: string) => string;

const TEXT: Record<Finding['code'], (f: Finding, spell: Speller) => string> = {
  FOREIGN_GROUP_TAGGED: (f) =>
    `${String(f.details.reason)}; the guard leaves it untouched. Remove its PREFIX_NAME=${String(f.details.prefixName)} tag (aws ec2 delete-tags --resources ${f.subject} --tags Key=PREFIX_NAME), or, if it really is the tutorial's group, let 'cfguard import --apply' adopt it`,
  MANAGED_GROUP_ON_OTHER_INTERFACE: (f) =>
    `${String(f.details.reason)}; the guard leaves it and those interfaces untouched and carries on for the guarded instance. Detach it from ${((f.details.eniIds as string[]) ?? []).join(', ')} (aws ec2 modify-network-interface-attribute --network-interface-id <eni> --groups <the other groups>)`,
  FOREIGN_GROUP_ON_INTERFACE: (f) =>
    `${String(f.details.reason)}; the guard's IAM policy lets it name only its own groups and the instance's own group, so it leaves that interface as it is and carries on with the others. ` +
    (f.details.groupName
      ? `If it is the tutorial's group, adopt it first with 'cfguard import --apply'; else remove it from the interface or its PREFIX_NAME tag`
      : `Move the rules the instance needs from it into the instance's own group and remove it from the interface (aws ec2 modify-network-interface-attribute --network-interface-id <eni> --groups <the other groups>)`),
  GROUP_REFERENCED: (f) => {
    const by = (f.details.referencedBy as string[]) ?? [];
    const named = f.details.groupName ? `${f.subject} (${String(f.details.groupName)})` : f.subject;
    const compaction = f.details.during === 'compaction';
    return (
      `${named} stays${compaction ? ', though its rules fit elsewhere' : ' attached'}: ${by.join(', ')} name${by.length === 1 ? 's' : ''} it in a rule, so EC2 would refuse to delete it (DependencyViolation); ` +
      `remove that reference and ${compaction ? 'the next run frees its interface slot' : 'run the teardown again'}`
    );
  },
  SYNC_TOKEN_IN_FUTURE: (f) => `${f.subject} carries ${SYNC_TOKEN_TAG_KEY}=${String(f.details.syncToken)}, more than a day ahead of the clock; it does not count and the next write overwrites it`,
  STALE_DOCUMENT: (f) =>
    `document ${f.subject} is older than ${String(f.details.lastApplied)}, the one last applied: stale, nothing compared or changed; usually a newer notification follows, else a forced run (cfguard reconcile --apply --force) applies it`,
  GROUPS_UNATTACHED: (_f, spell) => `no network interface carries the managed groups and no ${spell('instanceId')} is set: the groups are kept up to date but protect nothing until attached`,
  GUARD_REVOKE_FRACTION: (f, spell) =>
    `${String(f.details.held)} of ${String(f.details.cloudFrontRules)} managed rules would be revoked, more than ${spell('maxRevokeFraction')}=${String(f.details.maxRevokeFraction)}; additions go ahead, revocations are held until a forced run (cfguard reconcile --apply --force)`,
  ADDITIONS_DEFERRED: (f, spell) =>
    `${String(f.details.deferred)} additions wait for this plan's revocations to free slots (${spell('groupsPerInterface')}=${String(f.details.groupsPerInterface)} allows no more groups); ${f.details.held ? 'they follow the forced run that applies the held revocations' : 'a second pass adds them'}`,
  COMPACTION: (f) =>
    `compaction: the ${String(f.details.rules)} rules fit in ${String(f.details.groupsKept)} of the ${String(f.details.groups)} managed groups; ${(f.details.deleted as string[]).join(', ')} emptied, detached and deleted, freeing their interface slots (no access changes)`,
  COMPACTION_FOLLOWS: (f) =>
    `after this plan the ${String(f.details.rules)} rules fit in fewer than its ${String(f.details.groups)} managed groups: an applying run follows it with a compaction pass that frees the emptied groups' interface slots`,
  SUPERSEDED: (f) =>
    `document ${f.subject} was applied while this run was applying ${String(f.details.syncToken)}; this run stopped before its next write` +
    (Number(f.details.restored ?? 0) > 0 ? ` and put back the ${String(f.details.restored)} rule(s) it had revoked` : ''),
  DOCUMENT_ROTATED: (f) =>
    `the notification named syncToken ${String(f.details.notified)}, but the URL already serves the newer ${f.subject} (MD5 differs: a rotation, not an error); applied the newer`,
  TOKEN_RECORDED_AFTER_RACE: (f) =>
    `a write of this run raced and its re-plan found the rules in place; syncToken ${f.subject} is recorded on ${((f.details.groups as string[]) ?? []).join(', ')} so an older document cannot revoke them later (no access changes)`,
  FORCED_OLDER_DOCUMENT: (f) => {
    const ranges = (f.details.ranges as string[]) ?? [];
    return `forced, document ${f.subject} moves the token back from ${String(f.details.newerSyncToken)} and blocks ${ranges.length} ${ranges.length === 1 ? 'range' : 'ranges'} that document ${String(f.details.newerSyncToken)} publishes: ${ranges.join(', ')}`;
  },
  ELASTIC_IP_MISMATCH: (f) =>
    `the config adopts Elastic IP ${String(f.details.configured)}${f.details.role === 'secondary' ? ' for the secondary' : ''}, but ${f.details.role === 'secondary' ? `${f.subject}'s` : "the instance's"} is ${String(f.details.found)}; fix ${String(f.details.setting)}`,
  ELASTIC_IP_MISSING: (f) => `${f.details.role === 'secondary' ? 'secondary instance' : 'instance'} ${f.subject} has no Elastic IP; the stack will allocate one`,
  INGEST_RULES_UNREAD: (f) => `ingest rules not looked up: ${String(f.details.problem)}`,
  OWN_GROUP_UNSET: (f) => `set "instanceSecurityGroupId": "${f.subject}" in the config so the stack puts the ingest rules on the same group`,
  OWN_GROUP_OPEN_TO_WORLD: (f) =>
    `${f.subject} is open to the world on ${(f.details.rules as string[]).join(', ')}; once the managed groups are attached, close them with 'cfguard open-ingest --close-public ${(f.details.ports as number[]).join(',')} --apply'`,
  SYNC_TOKEN_NOT_RECORDED: (f) =>
    `${(f.details.groups as string[]).join(', ')} carry an older syncToken (or none) than ${f.subject} (a run stopped before tagging them, or created them while work was held); the next run that changes access records it`,
};

/** `CODE: sentence with the fix`. */
export function findingText(f: Finding, spell: Speller): string {
  return `${f.code}: ${TEXT[f.code](f, spell)}`;
}
