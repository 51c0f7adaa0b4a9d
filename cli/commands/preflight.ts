import type { CommandSpec } from '../invocation';
import type { GlobalArgs } from '../options';

export type PreflightArgs = GlobalArgs;

export const preflightCommand: CommandSpec<PreflightArgs> = {
  command: 'preflight',
  describe: 'Before the first deploy: read the account (identity, region, instance, quotas, Lambda concurrency) and say whether the deploy will work (read-only)',
  examples: [
    ['$0 preflight', 'exit 0 ready, 2 the deploy would fail or the ranges would not fit (each finding names the quota and the value to request), 1 error'],
    ['$0 preflight --json', 'the same as one JSON document'],
  ],
  load: async () => (await import('../run/preflight')).runPreflight,
};
