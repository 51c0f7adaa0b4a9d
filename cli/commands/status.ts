import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { WithInvocation } from '../invocation';
import type { GlobalArgs } from '../options';

export type StatusArgs = GlobalArgs;

export const command = 'status';
export const describe = 'Show the managed groups (rules per port and family, their interfaces), the syncToken applied vs published, and whether a plan is pending (read-only)';

export function builder(y: Argv): Argv {
  return y
    .example('$0 status', 'exit 0 in sync, 2 a plan is pending (a newer document, drift, held revocations) or an exposure or a missing ingest rule needs attention (as drift), 1 error')
    .example('$0 status --ip-ranges ip-ranges.json --json', 'against a saved document, for a script');
}

export function handler(argv: ArgumentsCamelCase<StatusArgs> & WithInvocation): void {
  argv.cli.defer(async (io) => (await import('../run/status')).runStatus(argv, io));
}
