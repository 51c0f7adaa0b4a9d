import type { CommandSpec } from '../invocation';
import { INGEST_OPTIONS, textFlag, type FlagsOf, type GlobalArgs, type OptionTable } from '../options';

const OPTIONS = {
  'close-public': textFlag(
    "Revoke the world-open (0.0.0.0/0, ::/0) rules on these ports, e.g. '22,80'; refused for CloudFront's ports until every range --ip-ranges publishes there reaches the instance through the managed groups",
    'none',
  ),
  apply: { type: 'boolean', describe: 'Execute the plan (otherwise only print it)', default: false },
  ...INGEST_OPTIONS,
} as const satisfies OptionTable;

export type OpenIngestArgs = GlobalArgs & FlagsOf<typeof OPTIONS>;

export const openIngestCommand: CommandSpec<OpenIngestArgs> = {
  command: 'open-ingest',
  describe: "Open the ingest ports (1935/udp, 1945/tcp) on the instance's own group; optionally close world-open ports",
  options: OPTIONS,
  examples: [
    ['$0 open-ingest --instance-id i-0123456789abcdef0', 'print the plan; exit 2 when rules would change'],
    ['$0 open-ingest --close-public 22,80 --apply', "open ingest and close the tutorial's public SSH and HTTP"],
  ],
  load: async () => (await import('../run/open-ingest')).runOpenIngest,
};
