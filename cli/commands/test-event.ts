import type { CommandSpec } from '../invocation';
import { textFlag, type FlagsOf, type GlobalArgs, type OptionTable } from '../options';

const OPTIONS = {
  url: textFlag('The URL the event names (where the Lambda will fetch the document)', '--ip-ranges when it is a URL, else the official URL'),
} as const satisfies OptionTable;

export type TestEventArgs = GlobalArgs & FlagsOf<typeof OPTIONS>;

export const testEventCommand: CommandSpec<TestEventArgs> = {
  command: 'test-event',
  describe: "Print an SNS AmazonIpSpaceChanged event for the current document, with its correct MD5 (the Lambda's test event)",
  options: OPTIONS,
  examples: [['$0 test-event > event.json', 'then: aws lambda invoke --function-name <guard> --payload fileb://event.json out.json']],
  load: async () => (await import('../run/test-event')).runTestEvent,
};
