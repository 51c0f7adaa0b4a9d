import { textFlag, type FlagsOf, type GlobalArgs, type OptionTable } from '../options';

/** The flags `verify-origin` and `rotate-origin-secret` share. Nothing but ../options is imported: loaded for `--help`. */

export type OriginSecretArgs = GlobalArgs & FlagsOf<typeof ORIGIN_SECRET_OPTIONS>;

export const ORIGIN_SECRET_OPTIONS = {
  'origin-url': textFlag(
    'The origin requested directly, e.g. http://ec2-…compute.amazonaws.com/live/index.m3u8 (terraform output origin_public_dns); on the instance, http://127.0.0.1/…',
    'config distribution.originDomainName + originSecret.verifyPath',
  ),
  'distribution-url': textFlag(
    'The same path through CloudFront, e.g. https://d111111abcdef8.cloudfront.net/live/index.m3u8',
    'config distribution.aliases[0] + originSecret.verifyPath, else not checked',
  ),
  'parameter-name': textFlag('The SecureString parameter holding {"current","previous"}', 'config originSecret.parameterName, else /cfguard/<name>/origin-secret'),
  'header-name': textFlag("The header's name (plain shape)", 'config originSecret.headerName, else X-Origin-Verify'),
  'header-shape': {
    type: 'string',
    choices: ['plain', 'bearer'],
    describe: "'plain' (<header-name>: <secret>) or 'bearer' (Authorization: Bearer <secret>)",
    default: undefined,
    defaultDescription: 'config originSecret.headerShape, else plain',
  },
  'secret-version': {
    type: 'number',
    describe: 'The parameter version whose current value CloudFront sends (what the last deploy used)',
    default: undefined,
    defaultDescription: 'config originSecret.secretVersion, else 1',
  },
  'probe-host': textFlag("The origin's public address for the TCP reachability probe on each --ports tcp port", 'the --origin-url host, unless it is loopback or private (then no probe)'),
  'timeout-ms': { type: 'number', describe: 'Timeout of each HTTP request and TCP connection, in milliseconds', default: 5000 },
  'ssm-endpoint-url': textFlag('SSM endpoint override (AWS_ENDPOINT_URL_SSM is honoured too)', 'AWS_ENDPOINT_URL_SSM, else AWS'),
} as const satisfies OptionTable;
