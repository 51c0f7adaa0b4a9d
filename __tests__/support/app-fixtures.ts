import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, type App } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { parseAppConfig, type AppConfig, type AppConfigInput } from '../../lambda-src/config/app-config';
import { OriginGuardStack, type OriginGuardStackProps } from '../../constructs/stack';

/** Builders for the app-level tests: configs, stacks, and a fixed stand-in for the Lambda bundle. */

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** A stand-in bundle: synth never depends on `npm run bundle`, and its asset hash never changes. */
export const GUARD_BUNDLE = path.join(__dirname, 'fixtures', 'guard-bundle');
export const EXAMPLE_CONFIG = path.join(REPO_ROOT, 'cfguard.config.json');
export const SINGLE_ACCOUNT_CONFIG = path.join(REPO_ROOT, 'examples', 'single-account', 'cfguard.config.json');

export const MINIMAL: AppConfigInput = { name: 'streaming-origin', region: 'eu-north-1', instanceId: 'i-0123456789abcdef0', instanceSecurityGroupId: 'sg-0123456789abcdef0' };

/** The minimal config with `overrides` merged one level deep (`guard`, `distribution`, ... merge). */
export function configWith(overrides: Partial<Record<keyof AppConfigInput, unknown>> = {}): AppConfig {
  const raw: Record<string, unknown> = { ...MINIMAL };
  for (const [key, value] of Object.entries(overrides)) {
    const base = raw[key];
    raw[key] = base && typeof base === 'object' && value && typeof value === 'object' && !Array.isArray(value) ? { ...base, ...value } : value;
  }
  return parseAppConfig(raw);
}

/** Every option on (lambda mode): the schema test's second subject. */
export const ALL_OPTIONS: AppConfigInput = {
  name: 'all-options',
  region: 'eu-north-1',
  instanceId: 'i-0123456789abcdef0',
  vpcId: 'vpc-0123456789abcdef0',
  instanceSecurityGroupId: 'sg-0123456789abcdef0',
  backend: { type: 's3', bucket: 'acme-state', key: 'cfguard/all.tfstate', region: 'eu-west-1', dynamodbTable: 'locks', encrypt: true },
  elasticIp: { allocationId: 'eipalloc-0123456789abcdef0' },
  distribution: {
    originDomainName: 'media.example.com',
    originProtocolPolicy: 'https-only',
    originHttpPort: 8080,
    originHttpsPort: 8443,
    originIpAddressType: 'dualstack',
    originShieldRegion: 'eu-central-1',
    priceClass: 'PriceClass_200',
    allowedMethods: 'ALL',
    livePlaylistBehavior: true,
    liveSegmentSeconds: 6,
    llHls: true,
    playlistTtlSeconds: 1,
    errorCachingMinTtlSeconds: 2,
    cors: { allowedOrigins: ['https://player.example.com', 'https://*.example.org:8443'], preflight: true },
    originReadTimeoutSeconds: 90,
    originKeepaliveTimeoutSeconds: 75,
    originReadTimeoutQuotaSeconds: 120,
    originKeepaliveTimeoutQuotaSeconds: 90,
    aliases: ['live.example.com', 'www.live.example.com'],
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
    logging: { bucket: 'acme-logs.s3.amazonaws.com', prefix: 'cf/', includeCookies: true },
    comment: 'every option',
  },
  guard: {
    mode: 'lambda',
    ports: ['80/tcp', '443/tcp', '8000-8010/tcp', '8443/tcp'],
    services: ['CLOUDFRONT_ORIGIN_FACING', 'CLOUDFRONT'],
    prefixName: 'EDGE_GUARD',
    rulesPerGroup: 100,
    groupsPerInterface: 10,
    maxRevokeFraction: 0.25,
    ipRangesAllowedUrls: ['https://mirror.example.com/ip-ranges.json'],
    debug: true,
    schedule: true,
    timeoutSeconds: 300,
    memorySizeMb: 512,
    logRetentionDays: 365,
    alerting: {
      errorsAlarm: true,
      refusedAlarm: true,
      noSuccessAlarm: true,
      noSuccessPeriodSeconds: 7200,
      noSuccessEvaluationPeriods: 36,
      topicKmsKeyId: 'alias/cfguard-alarms',
      emails: ['ops@media-team.test', 'oncall@media-team.test'],
    },
  },
  ingest: {
    enabled: true,
    rules: [
      { port: 1935, protocol: 'udp', cidrs: ['198.51.100.0/24', '2001:db8::/32'] },
      { port: 9000, toPort: 9010, protocol: 'tcp' },
    ],
  },
  importsFile: 'cfguard.imports.json',
  tags: { project: 'streaming', owner: 'media-team' },
};

/** A fresh folder for a config's neighbours (imports file, local state). */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cfguard-app-'));
}

export function buildTestStack(config: AppConfig, props: Partial<OriginGuardStackProps> = {}, app: App = Testing.app()): OriginGuardStack {
  return new OriginGuardStack(app, { config, configDir: props.configDir ?? tempDir(), bundlePath: GUARD_BUNDLE, env: {}, ...props });
}

export type SynthJson = {
  terraform: Record<string, any>;
  provider: Record<string, any[]>;
  resource: Record<string, Record<string, any>>;
  data: Record<string, Record<string, any>>;
  output: Record<string, any>;
  import?: { to: string; id: string; provider?: string }[];
};

export function synthJson(stack: OriginGuardStack): { json: string; parsed: SynthJson } {
  const json = Testing.synth(stack);
  return { json, parsed: JSON.parse(json) as SynthJson };
}

export function only(parsed: SynthJson, type: string, section: 'resource' | 'data' = 'resource'): any {
  const all = Object.values(parsed[section][type] ?? {});
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** A us-east-1 provider in `scope`, as the stack makes it. */
export function usEast1(scope: Construct): AwsProvider {
  new AwsProvider(scope, 'aws', { region: 'eu-north-1' });
  return new AwsProvider(scope, 'aws-us-east-1', { alias: 'us_east_1', region: 'us-east-1' });
}

/** The one CONFIG_INVALID a raw config is refused with (as if read from cfguard.config.json). */
export function configErrorOf(raw: unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    parseAppConfig(raw, 'cfguard.config.json');
  } catch (e) {
    return e as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error('expected the config to be refused');
}

/** THEN the raw config is refused with CONFIG_INVALID, its message starting with the file's name and `message`. */
export function expectConfigInvalid(raw: unknown, message: string): void {
  const error = configErrorOf(raw);
  expect(error.code).toBe('CONFIG_INVALID');
  const expected = `cfguard.config.json: ${message}`;
  expect(error.message.slice(0, expected.length)).toBe(expected);
}
