import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { WithInvocation } from '../invocation';
import { ORIGIN_SECRET_OPTIONS, type OriginSecretArgs } from '../origin/options';

export type VerifyOriginArgs = OriginSecretArgs;

export const command = 'verify-origin';
export const describe = 'Prove that only our distribution reaches the origin: no header is refused, the secret header is accepted, CloudFront serves the path, and no TCP port answers from here';

export function builder(y: Argv): Argv {
  return y
    .options(ORIGIN_SECRET_OPTIONS)
    .example(
      '$0 verify-origin --origin-url http://ec2-203-0-113-10.eu-north-1.compute.amazonaws.com/live/index.m3u8 --distribution-url https://d111111abcdef8.cloudfront.net/live/index.m3u8',
      'exit 0 the origin enforces the header, 2 it does not (the bypass is open), 1 error',
    )
    .example('$0 verify-origin --origin-url http://127.0.0.1/live/index.m3u8 --probe-host 203.0.113.10', 'on the instance itself (the security groups keep other hosts out)')
    .epilogue('The secret is read from SSM (ssm:GetParameter with decryption) and sent, never printed.');
}

export function handler(argv: ArgumentsCamelCase<VerifyOriginArgs> & WithInvocation): void {
  argv.cli.defer(async (io) => (await import('../run/verify-origin')).runVerifyOrigin(argv, io));
}
