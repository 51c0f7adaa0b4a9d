import type { CommandSpec } from '../invocation';
import { INGEST_OPTIONS, textFlag, type FlagsOf, type GlobalArgs, type OptionTable } from '../options';

const OPTIONS = {
  targets: textFlag('JSON file: [{name, region, vpcId?, instanceId?, profile?, roleArn?, endpointUrl?, prefixName?}], one entry per account/region', 'the one target the settings describe'),
  concurrency: { type: 'number', describe: 'Targets checked at once (with --targets)', default: 4 },
  ...INGEST_OPTIONS,
} as const satisfies OptionTable;

export type DriftArgs = GlobalArgs & FlagsOf<typeof OPTIONS>;

export const driftCommand: CommandSpec<DriftArgs> = {
  command: 'drift',
  describe: 'Compare the managed groups, ENI attachments and ingest rules with the published ranges (read-only)',
  options: OPTIONS,
  check: (argv) => {
    const n = argv.concurrency as number;
    if (!Number.isInteger(n) || n < 1) throw new Error(`'--concurrency' must be a whole number of at least 1, got ${Number.isNaN(n) ? 'something that is not a number' : `'${n}'`}`);
    return true;
  },
  examples: [
    ['$0 drift', 'exit 0 in sync, 2 drift (each finding named), 1 error'],
    ['$0 drift --targets accounts.json --json', 'one combined report for many accounts and regions'],
  ],
  load: async () => (await import('../run/drift')).runDrift,
};
