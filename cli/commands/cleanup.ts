import type { CommandSpec } from '../invocation';
import type { FlagsOf, GlobalArgs, OptionTable } from '../options';

const OPTIONS = {
  apply: { type: 'boolean', describe: 'Execute the teardown (otherwise only read and print the plan)', default: false },
  force: {
    type: 'boolean',
    describe: 'Remove the groups even when that leaves an interface of the instance with no other path from CloudFront to their ports (CLEANUP_WOULD_CUT_CLOUDFRONT)',
    default: false,
  },
} as const satisfies OptionTable;

export type CleanupArgs = GlobalArgs & FlagsOf<typeof OPTIONS>;

export const cleanupCommand: CommandSpec<CleanupArgs> = {
  command: 'cleanup',
  describe: 'Remove the managed groups: detach them from every interface (keeping all other groups), then delete them',
  options: OPTIONS,
  examples: [
    ['$0 cleanup --vpc-id vpc-0123456789abcdef0', 'print the teardown plan; exit 2 when groups tagged PREFIX_NAME=<prefix> would be removed'],
    ['$0 cleanup --apply', "remove them (after the tutorial's Lambda, or a destroy that failed); a rerun finishes an interrupted one"],
  ],
  epilogue:
    "Only groups tagged PREFIX_NAME=<--prefix-name> in the VPC are touched. An interface carrying nothing but managed groups is refused (LONE_MANAGED_GROUP) before any change: EC2 will not leave it without a group. So is a teardown after which nothing else opens a managed port to CloudFront on the instance (CLEANUP_WOULD_CUT_CLOUDFRONT), unless --force. Untagged AUTOUPDATE* overflow groups are not found: 'cfguard import --apply' tags them first.",
  load: async () => (await import('../run/cleanup')).runCleanup,
};
