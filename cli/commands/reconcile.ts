import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { WithInvocation } from '../invocation';
import type { GlobalArgs } from '../options';

export interface ReconcileArgs extends GlobalArgs {
  readonly apply: boolean;
  readonly force: boolean;
}

export const command = 'reconcile';
export const describe = 'Plan (or with --apply, make) the managed groups match the published CloudFront ranges';

export function builder(y: Argv): Argv {
  return y
    .options({
      apply: { type: 'boolean', describe: 'Execute the plan (otherwise only read and print it)', default: false },
      force: { type: 'boolean', describe: 'Override the blast-radius guard (MAX_REVOKE_FRACTION) and revoke everything planned', default: false },
    })
    .example('$0 reconcile --ip-ranges ip-ranges.json', 'print the plan; exit 2 when changes are pending')
    .example('$0 reconcile --apply', 'apply it; exit 0 when done, 2 when revocations were held');
}

export function handler(argv: ArgumentsCamelCase<ReconcileArgs> & WithInvocation): void {
  argv.cli.defer(async (io) => (await import('../run/reconcile')).runReconcile(argv, io));
}
