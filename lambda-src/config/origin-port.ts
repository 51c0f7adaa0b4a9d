/**
 * The origin's port is the guard's port: CloudFront connects to `originHttpPort` (http-only) or
 * `originHttpsPort` (https-only), so the managed groups, the TCP probe and the exposure audit must
 * be about that port. One validator, used by the config loader, the constructs and the CLI.
 */
import { guardError } from '../core/errors';
import type { PortSpec } from '../core/model';
import { admits, formatPort } from '../core/rules';

/** The distribution's say on the origin's port, as its props and the config file's `distribution` give it. */
export interface OriginPortProps {
  readonly originProtocolPolicy?: string;
  readonly originHttpPort?: number;
  readonly originHttpsPort?: number;
}

export interface OriginPort {
  /** The port CloudFront connects to. */
  readonly port: PortSpec;
  /** Which prop decides it. */
  readonly prop: 'originHttpPort' | 'originHttpsPort';
}

/** The port CloudFront uses on the origin (CloudFront's defaults: http-only on 80, 443 for https). */
export function cloudFrontOriginPort(d: OriginPortProps): OriginPort {
  const https = d.originProtocolPolicy === 'https-only';
  const port = https ? (d.originHttpsPort ?? 443) : (d.originHttpPort ?? 80);
  return { port: { protocol: 'tcp', fromPort: port, toPort: port }, prop: https ? 'originHttpsPort' : 'originHttpPort' };
}

/** How the caller's user spells the two settings: the guard's ports, and the distribution block's prefix. */
export interface OriginPortSpelling {
  readonly ports: string;
  /** Prefix of the origin's props, e.g. `distribution.` (the config file) or `<file>: distribution.`. */
  readonly distribution: string;
}

/**
 * The guard's ports: `explicit` when given (it must include the origin's port), else the origin's
 * port alone. A mismatch is a CONFIG_INVALID naming both values and the fix.
 */
export function guardPortsForOrigin(explicit: readonly PortSpec[] | undefined, d: OriginPortProps, spell: OriginPortSpelling): readonly PortSpec[] {
  const origin = cloudFrontOriginPort(d);
  if (explicit === undefined) return [origin.port];
  if (explicit.some((p) => admits(p, origin.port))) return explicit;
  const want = formatPort(origin.port);
  const got = explicit.map(formatPort).join(',');
  const decidedBy = `${spell.distribution}${origin.prop}`;
  throw guardError(
    'CONFIG_INVALID',
    `'${spell.ports}' must include ${want}, the port CloudFront connects to on the origin ('${decidedBy}' is ${origin.port.fromPort}), got ${got}; ` +
      `add ${want} to '${spell.ports}', remove '${spell.ports}' so the guard follows the origin's port, or change '${decidedBy}'`,
    'usage',
    { setting: 'ports', ports: explicit.map(formatPort), originPort: origin.port.fromPort, originSetting: origin.prop },
  );
}
