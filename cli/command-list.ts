import { cleanupCommand } from './commands/cleanup';
import { driftCommand } from './commands/drift';
import { importCommand } from './commands/import';
import { openIngestCommand } from './commands/open-ingest';
import { preflightCommand } from './commands/preflight';
import { rangesCommand } from './commands/ranges';
import { reconcileCommand } from './commands/reconcile';
import { statusCommand } from './commands/status';
import { testEventCommand } from './commands/test-event';
import { verifyOriginCommand } from './commands/verify-origin';
import { rotateOriginSecretCommand } from './commands/rotate-origin-secret';
import { EXIT_CODES_HELP } from './exit-codes';
import type { CommandSpec } from './invocation';

/*
 * What the root `--help` shows, in one place for both renderers: yargs' (every other help screen)
 * and root-help.ts (`cfguard --help`, printed without loading yargs). The command modules import
 * only types and option tables, so loading this list is cheap.
 */

export const COMMANDS: readonly CommandSpec[] = [
  preflightCommand,
  reconcileCommand,
  driftCommand,
  statusCommand,
  importCommand,
  openIngestCommand,
  cleanupCommand,
  testEventCommand,
  rangesCommand,
  verifyOriginCommand,
  rotateOriginSecretCommand,
];

export const ROOT_USAGE = "$0 <command> [options]\n\nKeeps an EC2 origin's security groups locked to CloudFront's published IP ranges.";

export const ROOT_EXAMPLES: ReadonlyArray<readonly [string, string]> = [
  ['$0 ranges', 'what CloudFront publishes now, and how many groups it needs'],
  ['$0 reconcile --apply', 'bring the managed groups in line'],
  ['$0 drift --json', 'check, for CI or a cron job'],
  ['$0 status', 'what the managed groups hold, the syncToken applied vs published, whether a plan is pending'],
  ['$0 cleanup --apply', 'remove the managed groups (after a failed destroy), keeping every other group'],
];

export const ROOT_EPILOGUE = `${EXIT_CODES_HELP}\n\nEvery setting is also an environment variable, CFGUARD_ + the Lambda's variable name (CFGUARD_PORTS, CFGUARD_SERVICE for --services), and a key in the config file: cfguard help settings lists them.`;
