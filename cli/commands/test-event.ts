import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { WithInvocation } from '../invocation';
import type { GlobalArgs } from '../options';

export interface TestEventArgs extends GlobalArgs {
  readonly url?: string;
}

export const command = 'test-event';
export const describe = "Print an SNS AmazonIpSpaceChanged event for the current document, with its correct MD5 (the Lambda's test event)";

export function builder(y: Argv): Argv {
  return y
    .options({
      url: {
        type: 'string',
        describe: 'The URL the event names (where the Lambda will fetch the document)',
        default: undefined,
        defaultDescription: '--ip-ranges when it is a URL, else the official URL',
      },
    })
    .example('$0 test-event > event.json', 'then: aws lambda invoke --function-name <guard> --payload fileb://event.json out.json');
}

export function handler(argv: ArgumentsCamelCase<TestEventArgs> & WithInvocation): void {
  argv.cli.defer(async (io) => (await import('../run/test-event')).runTestEvent(argv, io));
}
