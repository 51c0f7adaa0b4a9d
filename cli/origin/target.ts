import { isIP } from 'node:net';
import { guardError } from '../../lambda-src/core/errors';
import {
  DEFAULT_ORIGIN_SECRET_HEADER,
  defaultOriginSecretParameterName,
  HEADER_NAME_PATTERN,
  originSecretHeader,
  type OriginSecretHeaderShape,
  type OriginSecretMode,
} from '../../lambda-src/config/origin-secret';
import { tcpProbePorts } from '../../lambda-src/config/origin-probe-env';
import type { AppConfig } from '../../lambda-src/config/app-config';
import { usageError } from '../errors';
import type { RunContext } from '../context';
import type { OriginSecretArgs } from './options';

/** Where and how the two origin-secret commands look: flags first, then the config file, then defaults. */
export interface OriginSecretTarget {
  readonly mode: OriginSecretMode;
  readonly parameterName: string;
  readonly headerShape: OriginSecretHeaderShape;
  readonly headerName: string;
  readonly secretVersion: number;
  readonly originUrl: string;
  readonly distributionUrl?: string;
  /** Undefined when there is nothing meaningful to probe (a loopback or private origin URL, no --probe-host). */
  readonly probeHost?: string;
  readonly probeSkippedBecause?: string;
  readonly probePorts: readonly number[];
  readonly timeoutMs: number;
}

export function resolveOriginSecretTarget(argv: OriginSecretArgs, ctx: RunContext): OriginSecretTarget {
  const config = ctx.loaded?.config;
  const block = config?.originSecret;
  const mode = block?.mode ?? 'on';
  if (mode === 'off') {
    throw guardError('CONFIG_INVALID', "'originSecret.mode' is 'off' in the config: CloudFront sends no secret header, so there is nothing to verify or rotate; set it to 'on' and deploy", 'usage', {
      path: 'originSecret.mode',
    });
  }
  const parameterName = argv.parameterName ?? block?.parameterName ?? (config ? defaultOriginSecretParameterName(config.name) : undefined);
  if (!parameterName)
    throw usageError("--parameter-name is required without a config file: the SecureString parameter, e.g. '/cfguard/<name>/origin-secret' (terraform output origin_secret_parameter)");
  const headerShape = argv.headerShape ?? block?.headerShape ?? 'plain';
  const headerName = argv.headerName ?? block?.headerName ?? DEFAULT_ORIGIN_SECRET_HEADER;
  if (!HEADER_NAME_PATTERN.test(headerName)) throw usageError(`--header-name must be an HTTP header name like 'X-Origin-Verify', got '${headerName}'`);
  const secretVersion = argv.secretVersion ?? block?.secretVersion ?? 1;
  if (!Number.isInteger(secretVersion) || secretVersion < 1) throw usageError(`--secret-version must be a parameter version, an integer from 1, got ${secretVersion}`);
  if (!Number.isFinite(argv.timeoutMs) || argv.timeoutMs < 50 || argv.timeoutMs > 120000) throw usageError(`--timeout-ms must be from 50 to 120000, got ${argv.timeoutMs}`);

  const verifyPath = block?.verifyPath ?? '/';
  const originUrl = checkUrl('--origin-url', argv.originUrl ?? (config && originUrlFromConfig(config.distribution.originDomainName, config)));
  if (!originUrl)
    throw usageError(
      "--origin-url is required: the origin's own address and a path it serves, e.g. http://<terraform output origin_public_dns>/live/index.m3u8, or http://127.0.0.1/… on the instance",
    );
  const alias = config?.distribution.aliases?.find((a) => !a.startsWith('*.'));
  const distributionUrl = checkUrl('--distribution-url', argv.distributionUrl ?? (alias ? `https://${alias}${verifyPath}` : undefined));

  const probe = probeOf(argv.probeHost, originUrl, (host) => `the origin URL's host ${host} is loopback or private; pass --probe-host <the origin's public IP> to try the door from here`);
  return {
    mode,
    parameterName,
    headerShape,
    headerName: originSecretHeader(headerShape, headerName, '').name,
    secretVersion,
    originUrl,
    distributionUrl,
    ...probe,
    probePorts: tcpProbePorts(ctx.settings.ports),
    timeoutMs: argv.timeoutMs,
  };
}

/** The secondary origin's URL and probe host, for verify-origin; undefined without `secondaryOrigin` in the config. */
export type SecondaryOriginCheck = Pick<OriginSecretTarget, 'originUrl' | 'probeHost' | 'probeSkippedBecause'>;

export function resolveSecondaryOriginCheck(argv: { readonly secondaryOriginUrl?: string; readonly secondaryProbeHost?: string }, ctx: RunContext): SecondaryOriginCheck | undefined {
  const config = ctx.loaded?.config;
  const secondary = config?.secondaryOrigin;
  if (!secondary) {
    if (argv.secondaryOriginUrl !== undefined) throw usageError('--secondary-origin-url needs secondaryOrigin in the config: add the secondary instance there, or drop the flag');
    return undefined;
  }
  const originUrl = checkUrl('--secondary-origin-url', argv.secondaryOriginUrl ?? originUrlFromConfig(secondary.originDomainName, config));
  if (!originUrl)
    throw usageError(
      "--secondary-origin-url is required with secondaryOrigin in the config (and no secondaryOrigin.originDomainName): the secondary's own address and a path it serves, e.g. http://<terraform output secondary_origin_public_dns>/live/index.m3u8",
    );
  const probe = probeOf(
    argv.secondaryProbeHost,
    originUrl,
    (host) => `the secondary origin URL's host ${host} is loopback or private; pass --secondary-probe-host <its public IP> to try the door from here`,
  );
  return { originUrl, ...probe };
}

/** An origin's URL from the config: the distribution's protocol and port on that domain name, then originSecret.verifyPath. */
function originUrlFromConfig(domainName: string | undefined, config: AppConfig): string | undefined {
  if (!domainName) return undefined;
  const d = config.distribution;
  const verifyPath = config.originSecret?.verifyPath ?? '/';
  return d.originProtocolPolicy === 'https-only' ? `https://${domainName}:${d.originHttpsPort}${verifyPath}` : `http://${domainName}:${d.originHttpPort}${verifyPath}`;
}

/** The TCP probe's host: the one given, else the URL's; none when that is loopback or private. Both keys are set: a secondary's replace the primary's. */
function probeOf(given: string | undefined, originUrl: string, skipped: (host: string) => string): Pick<OriginSecretTarget, 'probeHost' | 'probeSkippedBecause'> {
  const host = given ?? new URL(originUrl).hostname.replace(/^\[|\]$/g, '');
  const skip = given === undefined && isLocal(host) ? skipped(host) : undefined;
  return { probeHost: skip ? undefined : host, probeSkippedBecause: skip };
}

function checkUrl(flag: string, url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`${flag} must be an http(s) URL like 'http://origin.example.com/live/index.m3u8', got '${url}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw usageError(`${flag} must be an http(s) URL, got '${url}'`);
  return url;
}

function isLocal(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.)/.test(host);
  if (isIP(host) === 6) return host === '::1' || /^f[cd]/i.test(host) || /^fe80/i.test(host);
  return false;
}
