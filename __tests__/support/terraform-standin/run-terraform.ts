import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The `terraform` on PATH as `major.minor.patch`, or undefined when there is none. */
export function terraformVersion(): string | undefined {
  try {
    const out = execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    return (JSON.parse(out) as { terraform_version: string }).terraform_version;
  } catch {
    return undefined;
  }
}

export function atLeast(version: string, minimum: string): boolean {
  const [a, b] = [version, minimum].map((v) => v.split('.').map((n) => parseInt(n, 10)));
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/**
 * A working copy of a synthesized stack folder whose backend is local: an override file replaces
 * the S3 `backend` or the `cloud` block ("a backend or cloud block in an override file replaces the
 * original's", developer.hashicorp.com/terraform/language/files/override), so init touches no remote
 * state. The state file stays inside the copy, which `remove` deletes. `edit` changes the copy's
 * cdk.tf.json (the broken copies).
 */
export function localCopy(stackDir: string, edit?: (stack: Record<string, any>) => void): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfguard-terraform-'));
  fs.cpSync(stackDir, dir, { recursive: true });
  if (edit) {
    const file = path.join(dir, 'cdk.tf.json');
    const stack = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
    edit(stack);
    fs.writeFileSync(file, JSON.stringify(stack, null, 2));
  }
  fs.writeFileSync(path.join(dir, 'backend_override.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: 'terraform.tfstate' } } } }));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface TerraformRun {
  readonly code: number;
  readonly output: string;
}

/** Runs terraform in `dir` non-interactively against the stand-in named by `reattach`. */
export function terraform(dir: string, args: string[], reattach: string): Promise<TerraformRun> {
  const env = {
    ...process.env,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    TF_REATTACH_PROVIDERS: reattach,
    // Plugin data (the lock file, .terraform) stays in the copy; no user CLI config is read.
    TF_CLI_CONFIG_FILE: path.join(dir, 'no-cli-config.tfrc'),
    TF_DATA_DIR: path.join(dir, '.terraform'),
  };
  delete (env as Record<string, string | undefined>).TF_WORKSPACE;
  delete (env as Record<string, string | undefined>).TF_CLOUD_ORGANIZATION;
  return new Promise((resolve) => {
    execFile('terraform', [...args, '-no-color'], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}
