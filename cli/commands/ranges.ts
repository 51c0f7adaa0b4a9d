import type { CommandSpec } from '../invocation';
import type { FlagsOf, GlobalArgs, OptionTable } from '../options';

const OPTIONS = {
  cidrs: { type: 'boolean', describe: 'List the selected CIDRs too', default: false },
} as const satisfies OptionTable;

export type RangesArgs = GlobalArgs & FlagsOf<typeof OPTIONS>;

export const rangesCommand: CommandSpec<RangesArgs> = {
  command: 'ranges',
  describe: 'Show the selected ranges: syncToken, counts per service and family, groups needed under the quotas',
  options: OPTIONS,
  examples: [['$0 ranges --ipv6 --services CLOUDFRONT_ORIGIN_FACING,CLOUDFRONT', 'how many groups would both services need?']],
  load: async () => (await import('../run/ranges')).runRanges,
};
