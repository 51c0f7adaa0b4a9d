import * as fs from 'fs';
import * as path from 'path';
import { ACCOUNTS, buildApp } from '../../examples/multi-account/main';
import { GUARD_BUNDLE, tempDir } from '../support/app-fixtures';

describe('the multi-account example', () => {
  const outdir = tempDir();
  buildApp(outdir, { bundlePath: GUARD_BUNDLE }).synth();
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));

  test('it synthesizes one stack per account', () => {
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['edge-eu', 'edge-us']);
  });

  test("each stack's providers assume that account's role", () => {
    [
      ['edge-eu', ACCOUNTS[0].roleArn],
      ['edge-us', ACCOUNTS[1].roleArn],
    ].forEach(([name, roleArn]) => {
      const providers = read(name).provider.aws as { assume_role: { role_arn: string }[]; alias?: string }[];
      expect(providers).toHaveLength(2);
      for (const p of providers) expect(p.assume_role).toEqual([{ role_arn: roleArn, session_name: 'cfguard-multi-account' }]);
    });
  });

  test('each stack keeps its own state and guard mode', () => {
    expect(read('edge-eu').terraform.backend.s3.key).toBe('cfguard/edge-eu.tfstate');
    expect(read('edge-us').terraform.backend.s3.key).toBe('cfguard/edge-us.tfstate');
    expect(read('edge-eu').resource.aws_lambda_function).toBeDefined();
    expect(read('edge-us').resource.aws_lambda_function).toBeUndefined();
    expect(read('edge-us').resource.aws_security_group).toBeDefined();
  });
});
