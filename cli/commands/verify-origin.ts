import type { CommandSpec } from '../invocation';
import { textFlag, type FlagsOf, type GlobalArgs, type OptionTable } from '../options';
import { ORIGIN_SECRET_OPTIONS } from '../origin/options';

const OPTIONS = {
  ...ORIGIN_SECRET_OPTIONS,
  'secondary-origin-url': textFlag(
    'With secondaryOrigin in the config: the secondary origin requested directly, e.g. http://<terraform output secondary_origin_public_dns>/live/index.m3u8',
    'config secondaryOrigin.originDomainName + originSecret.verifyPath',
  ),
  'secondary-probe-host': textFlag("The secondary origin's public address for the TCP probe", 'the --secondary-origin-url host, unless it is loopback or private (then no probe)'),
} as const satisfies OptionTable;

export type VerifyOriginArgs = GlobalArgs & FlagsOf<typeof OPTIONS>;

export const verifyOriginCommand: CommandSpec<VerifyOriginArgs> = {
  command: 'verify-origin',
  describe: 'Prove that only our distribution reaches the origin: no header is refused, the secret header is accepted, CloudFront serves the path, and no TCP port answers from here',
  options: OPTIONS,
  examples: [
    [
      '$0 verify-origin --origin-url http://ec2-203-0-113-10.eu-north-1.compute.amazonaws.com/live/index.m3u8 --distribution-url https://d111111abcdef8.cloudfront.net/live/index.m3u8',
      'exit 0 the origin enforces the header, 2 it does not (the bypass is open), 1 error',
    ],
    ['$0 verify-origin --origin-url http://127.0.0.1/live/index.m3u8 --probe-host 203.0.113.10', 'on the instance itself (the security groups keep other hosts out)'],
  ],
  epilogue: 'The secret is read from SSM (ssm:GetParameter with decryption) and sent, never printed.',
  load: async () => (await import('../run/verify-origin')).runVerifyOrigin,
};
