/*
 * The package's public API (`main`/`types` point at dist/constructs/index.*): the constructs, their
 * props, the config loader and the error type, with the few types those name. Everything else
 * (render helpers, validators, constants, the reconciler) is internal and may change in any release;
 * __tests__/architecture/public-api.test.ts pins this list.
 */

// Constructs and their props.
export { StreamingOrigin, type StreamingOriginProps, type StreamingOriginGuardProps, type StreamingOriginIngestProps, type StreamingOriginSecretProps, type GuardMode } from './streaming-origin';
export { OriginGuardStack, type OriginGuardStackProps, type StackAssumeRole } from './stack';
export { OriginIpRangeGuard, type OriginIpRangeGuardProps } from './origin-ip-range-guard';
export { OriginPrefixListGuard, type OriginPrefixListGuardProps } from './origin-prefix-list-guard';
export { OriginElasticIp, type OriginElasticIpProps } from './origin-elastic-ip';
export { EdgeDistribution, type EdgeDistributionProps, type EdgeDistributionLogging, type OriginProtocolPolicy, type OriginIpAddressType, type PriceClass } from './edge-distribution';
export { IngestRules, type IngestRulesProps } from './ingest-rules';
export { OriginSecret, type OriginSecretProps } from './origin-secret';
export { EdgeMonitoring, type EdgeMonitoringConstructProps, type EdgeMonitoringProps } from './edge-monitoring';

// Types the props name.
export type { AllowedMethods } from './edge-cache-behaviors';
export type { EdgeCors } from '../lambda-src/config/live-edge-rules';
export type { OriginSecretHeaderShape, OriginSecretMode } from '../lambda-src/config/origin-secret';
export type { GuardAlertingProps } from '../lambda-src/config/alerting-rules';
export type { IngestRule } from '../lambda-src/config/ingest-rule-ids';
export type { GuardSettings } from '../lambda-src/config/settings';
export type { GuardBlockSettingsProps, GuardSettingsProps } from '../lambda-src/config/settings-props';
export type { AddressFamily, PortSpec } from '../lambda-src/core/model';

// The config loader (cfguard.config.json, shared with the CLI).
export {
  loadAppConfig,
  parseAppConfig,
  DEFAULT_CONFIG_FILE,
  type AppConfig,
  type AppConfigInput,
  type GuardRuntime,
  type BackendConfig,
  type DistributionConfig,
  type GuardConfig,
} from '../lambda-src/config/app-config';

// The error type.
export { GuardError, isGuardError, ERROR_CODES, type ErrorCode, type ErrorKind } from '../lambda-src/core/errors';
