import type { CommandSpec } from '../invocation';
import type { FlagsOf, GlobalArgs, OptionTable } from '../options';

const OPTIONS = {
  apply: { type: 'boolean', describe: 'Execute the plan (otherwise only read and print it)', default: false },
  force: { type: 'boolean', describe: 'Override the blast-radius guard (MAX_REVOKE_FRACTION) and revoke everything planned', default: false },
} as const satisfies OptionTable;

export type ReconcileArgs = GlobalArgs & FlagsOf<typeof OPTIONS>;

export const reconcileCommand: CommandSpec<ReconcileArgs> = {
  command: 'reconcile',
  describe: 'Plan (or with --apply, make) the managed groups match the published CloudFront ranges',
  options: OPTIONS,
  examples: [
    ['$0 reconcile --ip-ranges ip-ranges.json', 'print the plan; exit 2 when changes are pending'],
    ['$0 reconcile --apply', 'apply it; exit 0 when done, 2 when revocations were held'],
  ],
  load: async () => (await import('../run/reconcile')).runReconcile,
};
