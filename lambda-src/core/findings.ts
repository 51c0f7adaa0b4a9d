/**
 * Warnings and findings as data: a stable code, the subject it is about (a group id, a token, a
 * VPC) and details. The core never writes text or advice into them; the CLI's renderer and the
 * Lambda's run line turn them into a sentence with the fix (see README, Troubleshooting).
 */
import type { RefusedGroup } from './ownership';

export interface Finding {
  readonly code: FindingCode;
  readonly subject: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** Every code the core emits as a warning; each has a row in the README's troubleshooting table. */
export const FINDING_CODES = [
  'FOREIGN_GROUP_TAGGED',
  'MANAGED_GROUP_ON_OTHER_INTERFACE',
  'FOREIGN_GROUP_ON_INTERFACE',
  'GROUP_REFERENCED',
  'SYNC_TOKEN_IN_FUTURE',
  'STALE_DOCUMENT',
  'GROUPS_UNATTACHED',
  'GUARD_REVOKE_FRACTION',
  'ADDITIONS_DEFERRED',
  'COMPACTION',
  'COMPACTION_FOLLOWS',
  'SUPERSEDED',
  'DOCUMENT_ROTATED',
  'SYNC_TOKEN_NOT_RECORDED',
  'TOKEN_RECORDED_AFTER_RACE',
  'FORCED_OLDER_DOCUMENT',
  // cfguard import's, about what it found to import:
  'ELASTIC_IP_MISMATCH',
  'ELASTIC_IP_MISSING',
  'INGEST_RULES_UNREAD',
  'OWN_GROUP_UNSET',
  'OWN_GROUP_OPEN_TO_WORLD',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

/** A tagged group the guard leaves alone (core/ownership), as a finding: the reconcile, the teardown and import all say it this way. */
export function refusalFinding(g: RefusedGroup, prefixName: string): Finding {
  return { code: g.code, subject: g.groupId, details: { groupName: g.groupName, reason: g.reason, prefixName, ...(g.eniIds ? { eniIds: g.eniIds } : {}) } };
}
