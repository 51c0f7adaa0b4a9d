import type { Ec2Shell } from '../lambda-src/aws/security-group-manager';
import type { GuardSettings } from '../lambda-src/config/settings';
import type { GuardedInstanceSettings } from '../lambda-src/core/ownership';
import { ec2ClientFor, setCommandForUserAgent, type AwsTarget } from './aws';
import type { GlobalArgs } from './options';
import { Output, type CliIo } from './output';
import { loadCliConfig, resolveCliSettings, type LoadedConfig } from './settings';

/** What every command's run starts from: output, the optional config file, and the resolved settings. */
export interface RunContext {
  readonly argv: GlobalArgs;
  readonly io: CliIo;
  readonly out: Output;
  readonly loaded?: LoadedConfig;
  /** With every guarded instance when the config has a secondary origin (cli/settings guardedInstancesOf). */
  readonly settings: GuardSettings & GuardedInstanceSettings;
}

/** `regionRequired: false` for commands that make no AWS call (ranges, test-event); `probeOnly` for verify-origin. */
export function prepare(argv: GlobalArgs, io: CliIo, opts: { readonly regionRequired?: boolean; readonly probeOnly?: boolean } = {}): RunContext {
  const out = new Output(io, { json: argv.json === true, debug: argv.debug === true, header: argv.header !== false });
  const loaded = loadCliConfig(argv, io);
  if (loaded) out.debug(`config ${loaded.path}`);
  const settings = resolveCliSettings(argv, loaded, io, {}, opts);
  const command = (argv as { _?: unknown[] })._?.[0];
  setCommandForUserAgent(typeof command === 'string' ? command : undefined);
  return { argv, io, out, loaded, settings };
}

/** The EC2 client for the resolved region and the global `--profile` / `--endpoint-url`. */
export function ec2For(ctx: RunContext, target: Partial<AwsTarget> = {}): Promise<Ec2Shell> {
  return ec2ClientFor(
    {
      region: target.region ?? ctx.settings.region,
      profile: target.profile ?? ctx.argv.profile,
      roleArn: target.roleArn,
      endpointUrl: target.endpointUrl ?? ctx.argv.endpointUrl,
    },
    ctx.io,
  );
}
