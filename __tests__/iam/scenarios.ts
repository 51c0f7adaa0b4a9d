/**
 * The test files whose every AWS call the IAM proof records and simulates: the guard's runs (replay,
 * teardown, races, and any overlap or attack test) against the function's role, and each CLI
 * command's runs against the operator policy in the README. Add a file here and its calls are
 * proved too. Paths are relative to __tests__/.
 */
export const GUARD_SCENARIOS: readonly string[] = [
  'lambda/replay.test',
  'lambda/teardown.test',
  'reconciler/reconcile-race.test',
  'lambda/migration.test',
  'lambda/faults.test',
  'lambda/guard-growth.test',
  'lambda/lock-integrity.test',
  'reconciler/compaction.test',
  'ownership/ownership-table.test',
  'lambda/two-origins.test',
];

/** CLI test files: each call is attributed to its command by the SDK app id `cfguard-<command>`. */
export const CLI_SCENARIOS: readonly string[] = [
  'cli/reconcile-drift.test',
  'cli/status.test',
  'cli/import.test',
  'cli/open-ingest.test',
  'cli/cleanup.test',
  'cli/preflight.test',
  'cli/targets.test',
  'cli/exposure.test',
  'origin-secret/verify-origin.test',
  'origin-secret/rotate-origin-secret.test',
  'ownership/ownership-table.test',
  'cli/two-origins.test',
];
