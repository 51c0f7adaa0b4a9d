import { existsSync } from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
// A consumer of the published package writes: import { loadAppConfig, OriginGuardStack } from 'cloudfront-origin-guard';
import { loadAppConfig, OriginGuardStack } from '../../constructs';

/*
 * The same edge in two AWS accounts, one stack each, deployed from one (tooling) account through
 * assume-role providers. Each account has its own config file; the role is the only per-account
 * credential. Run it with `node dist/examples/multi-account/main.js` or as a cdktf app.
 */

export interface Account {
  /** Config file, in this folder. */
  readonly configFile: string;
  /** Role in the target account that the deploy assumes. */
  readonly roleArn: string;
}

export const ACCOUNTS: readonly Account[] = [
  { configFile: 'eu.cfguard.config.json', roleArn: 'arn:aws:iam::111111111111:role/cfguard-deploy' },
  { configFile: 'us.cfguard.config.json', roleArn: 'arn:aws:iam::222222222222:role/cfguard-deploy' },
];

/** This folder in the source tree, also when running from dist/ (the JSON files are not compiled). */
function exampleDir(): string {
  if (existsSync(path.join(__dirname, ACCOUNTS[0].configFile))) return __dirname;
  return path.resolve(__dirname, '..', '..', '..', 'examples', 'multi-account');
}

export interface BuildAppOptions {
  /** Folder holding the bundled guard handler. @default - dist/lambda */
  readonly bundlePath?: string;
}

export function buildApp(outdir?: string, options: BuildAppOptions = {}): App {
  const app = new App({ outdir });
  for (const account of ACCOUNTS) {
    const configPath = path.join(exampleDir(), account.configFile);
    new OriginGuardStack(app, {
      config: loadAppConfig(configPath),
      configDir: path.dirname(configPath),
      assumeRole: { roleArn: account.roleArn, sessionName: 'cfguard-multi-account' },
      bundlePath: options.bundlePath,
    });
  }
  return app;
}

if (require.main === module) buildApp().synth();
