// The construct library, as published from the package (`main`/`types` point at dist/constructs/index.*).
export * from './config';
export * from './import-paths';
export * from './origin-elastic-ip';
export * from './origin-shield';
export * from './edge-distribution';
export * from './edge-cache-behaviors';
export * from './ingest-rule-ids';
export * from './ingest-rules';
export * from './origin-prefix-list-guard';
export * from './prefix-list-quota';
export * from './guard-iam';
export * from './guard-function';
export * from './origin-ip-range-guard';
export * from './streaming-origin';
export * from './stack';
export { GuardError, isGuardError, ERROR_CODES, type ErrorCode, type ErrorKind } from '../lambda-src/reconciler/errors';
export type { GuardSettings, GuardSettingsInput } from '../lambda-src/reconciler/settings';
