import type { CommandSpec } from '../invocation';
import { textFlag, type FlagsOf, type GlobalArgs, type OptionTable } from '../options';

const OPTIONS = {
  apply: { type: 'boolean', describe: 'Re-tag orphaned AUTOUPDATE* groups PREFIX_NAME=<prefix> so the reconciler manages them', default: false },
  'distribution-id': textFlag('The existing CloudFront distribution to import', 'none'),
  'imports-file': textFlag('Where to write {constructPath: cloudId}', 'importsFile in the config, else cfguard.imports.json next to it'),
} as const satisfies OptionTable;

export type ImportArgs = GlobalArgs & FlagsOf<typeof OPTIONS>;

export const importCommand: CommandSpec<ImportArgs> = {
  command: 'import',
  describe: 'Find what the tutorial made by hand, write the imports file, and (--apply) re-tag orphaned groups',
  options: OPTIONS,
  examples: [
    ['$0 import --distribution-id E2QWRUHEXAMPLE', 'write cfguard.imports.json; exit 2 while orphaned groups still need --apply'],
    ['$0 import --apply', 're-tag the orphans too'],
  ],
  load: async () => (await import('../run/import')).runImport,
};
