import type { CommandSpec } from '../invocation';
import type { GlobalArgs } from '../options';

export type StatusArgs = GlobalArgs;

export const statusCommand: CommandSpec<StatusArgs> = {
  command: 'status',
  describe: 'Show the managed groups (rules per port and family, their interfaces), the syncToken applied vs published, and whether a plan is pending (read-only)',
  examples: [
    ['$0 status', 'exit 0 in sync, 2 a plan is pending (a newer document, drift, held revocations) or an exposure or a missing ingest rule needs attention (as drift), 1 error'],
    ['$0 status --ip-ranges ip-ranges.json --json', 'against a saved document, for a script'],
  ],
  load: async () => (await import('../run/status')).runStatus,
};
