import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { WithInvocation } from '../invocation';
import type { GlobalArgs } from '../options';

export interface RangesArgs extends GlobalArgs {
  readonly cidrs: boolean;
}

export const command = 'ranges';
export const describe = 'Show the selected ranges: syncToken, counts per service and family, groups needed under the quotas';

export function builder(y: Argv): Argv {
  return y
    .options({
      cidrs: { type: 'boolean', describe: 'List the selected CIDRs too', default: false },
    })
    .example('$0 ranges --ipv6 --services CLOUDFRONT_ORIGIN_FACING,CLOUDFRONT', 'how many groups would both services need?');
}

export function handler(argv: ArgumentsCamelCase<RangesArgs> & WithInvocation): void {
  argv.cli.defer(async (io) => (await import('../run/ranges')).runRanges(argv, io));
}
