import type { CommandSpec } from '../invocation';
import type { GlobalArgs } from '../options';

export interface TestEventArgs extends GlobalArgs {
  readonly url?: string;
}

export const testEventCommand: CommandSpec<TestEventArgs> = {
  command: 'test-event',
  describe: "Print an SNS AmazonIpSpaceChanged event for the current document, with its correct MD5 (the Lambda's test event)",
  options: {
    url: {
      type: 'string',
      describe: 'The URL the event names (where the Lambda will fetch the document)',
      default: undefined,
      defaultDescription: '--ip-ranges when it is a URL, else the official URL',
    },
  },
  examples: [['$0 test-event > event.json', 'then: aws lambda invoke --function-name <guard> --payload fileb://event.json out.json']],
  load: async () => (await import('../run/test-event')).runTestEvent,
};
