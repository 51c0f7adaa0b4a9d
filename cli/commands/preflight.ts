import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { WithInvocation } from '../invocation';
import type { GlobalArgs } from '../options';

export type PreflightArgs = GlobalArgs;

export const command = 'preflight';
export const describe = 'Before the first deploy: read the account (identity, region, instance, quotas, Lambda concurrency) and say whether the deploy will work (read-only)';

export function builder(y: Argv): Argv {
  return y
    .example('$0 preflight', 'exit 0 ready, 2 the deploy would fail or the ranges would not fit (each finding names the quota and the value to request), 1 error')
    .example('$0 preflight --json', 'the same as one JSON document');
}

export function handler(argv: ArgumentsCamelCase<PreflightArgs> & WithInvocation): void {
  argv.cli.defer(async (io) => (await import('../run/preflight')).runPreflight(argv, io));
}
