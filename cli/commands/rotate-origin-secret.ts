import type { CommandSpec } from '../invocation';
import { textFlag, type FlagsOf, type GlobalArgs, type OptionTable } from '../options';
import { ORIGIN_SECRET_OPTIONS } from '../origin/options';

const OPTIONS = {
  ...ORIGIN_SECRET_OPTIONS,
  'distribution-id': textFlag('The distribution whose origin header is rotated: what CloudFront sends is read from it (terraform output distribution_id)', 'none: required'),
  apply: { type: 'boolean', describe: 'Execute the rotation (otherwise only read and print the plan)', default: false },
  'wait-seconds': { type: 'number', describe: "How long to wait for the origin's refresh to accept the new value", default: 600 },
  'poll-seconds': { type: 'number', describe: 'Between two checks of the origin while waiting', default: 15 },
  'deploy-command': textFlag("Run after the wait to switch CloudFront, e.g. 'npm run deploy -- --auto-approve'", 'none: the command stops and says to deploy'),
  'retire-previous': { type: 'boolean', describe: 'After a finished rotation: drop the previous value so the old secret stops working', default: false },
  'cloudfront-endpoint-url': textFlag('CloudFront endpoint override (AWS_ENDPOINT_URL_CLOUDFRONT is honoured too)', 'AWS_ENDPOINT_URL_CLOUDFRONT, else AWS'),
} as const satisfies OptionTable;

export type RotateOriginSecretArgs = GlobalArgs & FlagsOf<typeof OPTIONS>;

export const rotateOriginSecretCommand: CommandSpec<RotateOriginSecretArgs> = {
  command: 'rotate-origin-secret',
  describe: 'Rotate the secret origin header without downtime: stage a new value the origin accepts alongside the old, wait until it does, then switch CloudFront',
  options: OPTIONS,
  examples: [
    ['$0 rotate-origin-secret --distribution-id EDFDVBD6EXAMPLE', 'print the plan; exit 2 (a rotation is always possible)'],
    [
      "$0 rotate-origin-secret --distribution-id EDFDVBD6EXAMPLE --apply --deploy-command 'npm run deploy -- --auto-approve'",
      'stage, wait until the origin accepts both values, deploy with the new secretVersion, keep it once CloudFront sends the new value, check through CloudFront',
    ],
    ['$0 rotate-origin-secret --distribution-id EDFDVBD6EXAMPLE --retire-previous --apply', 'once CloudFront sends the new value: stop accepting the old one'],
  ],
  load: async () => (await import('../run/rotate-origin-secret')).runRotateOriginSecret,
};
