import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import * as path from 'node:path';
import { runCli, tempDir } from '../support/cli-harness';
import { startSsmEmulator, type SsmEmulator } from '../../emulator/ssm';
import { refusingPort } from '../support/tcp-listeners';

/**
 * The README's nginx recipe, as written: its nginx block and its refresh script are cut out of the
 * README, nginx runs them on loopback, the script reads the parameter with the `aws ssm get-parameter`
 * command it contains (an `aws` stand-in on PATH answers it from the SSM emulator through the real SDK
 * client), and `cfguard verify-origin` passes against it — before and during a rotation.
 * Skipped with a message where nginx is not installed (CI need not have it).
 */

const README = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
const PARAMETER = '/cfguard/live/origin-secret';
const NGINX = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).status === 0;
if (!NGINX) console.warn('nginx-recipe.test: nginx is not installed here (apt-get install nginx-light); the README recipe test is skipped');
const maybe = NGINX ? describe : describe.skip;

/** The fenced block right after `<!-- recipe: NAME -->`. */
function recipe(name: string): string {
  const m = README.match(new RegExp(`<!-- recipe: ${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``));
  if (!m) throw new Error(`README has no recipe '${name}'`);
  return m[1];
}

/** Replaces `from` (which must occur) in a recipe: only paths and the port move to the test's folder. */
function moved(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the recipe no longer contains '${from}'`);
  return text.split(from).join(to);
}

test('the README carries the three recipes', () => {
  expect(recipe('nginx-conf')).toContain('map $http_x_origin_verify $cfguard_origin_ok');
  expect(recipe('refresh-script')).toContain('aws ssm get-parameter --name "$PARAMETER" --with-decryption --query Parameter.Value --output text');
  expect(recipe('systemd')).toContain('ExecStart=/usr/local/sbin/cfguard-origin-secret-refresh');
});

maybe('the nginx recipe on loopback', () => {
  let emu: SsmEmulator;
  let nginx: ChildProcess | undefined;
  let dir: string;
  let port: number;
  let configFile: string;
  let refreshEnv: NodeJS.ProcessEnv;
  let nginxArgs: string[];
  const script = () => path.join(dir, 'cfguard-origin-secret-refresh');

  /** Asynchronous: the `aws` stand-in asks the SSM emulator, which lives in this process. */
  function refresh(env: NodeJS.ProcessEnv = refreshEnv): Promise<{ status: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn('/bin/sh', [script()], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stderr }));
    });
  }

  beforeAll(async () => {
    emu = await startSsmEmulator();
    emu.put(PARAMETER, JSON.stringify({ current: 'f00d'.repeat(16), previous: '' }));
    dir = tempDir('cfguard-nginx-');
    chmodSync(dir, 0o755);
    port = await refusingPort();
    for (const d of ['bin', 'www/live', 'cfguard', 'tmp']) mkdirSync(path.join(dir, d), { recursive: true, mode: 0o755 });
    writeFileSync(path.join(dir, 'www/live/index.m3u8'), '#EXTM3U\n', { mode: 0o644 });
    // `aws`, as the script calls it: only `ssm get-parameter … --with-decryption --query Parameter.Value --output text`.
    const sdk = require.resolve('@aws-sdk/client-ssm');
    writeFileSync(
      path.join(dir, 'bin/aws.js'),
      `const a = process.argv.slice(2);
const at = (f) => a[a.indexOf(f) + 1];
if (a[0] !== 'ssm' || a[1] !== 'get-parameter' || !a.includes('--with-decryption') || at('--query') !== 'Parameter.Value' || at('--output') !== 'text') { console.error('unexpected aws call: ' + a.join(' ')); process.exit(2); }
const { SSMClient, GetParameterCommand } = require(${JSON.stringify(sdk)});
new SSMClient({ endpoint: process.env.AWS_ENDPOINT_URL_SSM, region: 'eu-north-1' }).send(new GetParameterCommand({ Name: at('--name'), WithDecryption: true }))
  .then((r) => process.stdout.write(r.Parameter.Value + '\\n'), (e) => { console.error(e.name); process.exit(254); });
`,
    );
    writeFileSync(path.join(dir, 'bin/aws'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(dir, 'bin/aws.js'))} "$@"\n`, { mode: 0o755 });

    const map = path.join(dir, 'cfguard/origin-secret.map');
    let site = moved(recipe('nginx-conf'), '/etc/nginx/cfguard/origin-secret.map', map);
    site = moved(site, 'listen 80;', `listen 127.0.0.1:${port};`);
    site = moved(site, 'root /var/www/hls;', `root ${path.join(dir, 'www')};`);
    const temp = (n: string) => `${n}_temp_path ${path.join(dir, 'tmp', n)};`;
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      `${process.getuid?.() === 0 ? 'user root;\n' : ''}pid ${path.join(dir, 'nginx.pid')};\nerror_log ${path.join(dir, 'error.log')};\nevents {}\nhttp {\n  access_log off;\n  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}\n${site}\n}\n`,
    );
    nginxArgs = ['-p', dir, '-c', path.join(dir, 'nginx.conf')];
    writeFileSync(script(), recipe('refresh-script'), { mode: 0o755 });
    refreshEnv = {
      ...process.env,
      PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
      AWS_ENDPOINT_URL_SSM: emu.endpoint,
      CFGUARD_ORIGIN_SECRET_PARAMETER: PARAMETER,
      CFGUARD_ORIGIN_SECRET_MAP: map,
      CFGUARD_NGINX_RELOAD: `nginx ${nginxArgs.join(' ')} -s reload`,
    };
    // The first refresh runs before nginx (as the timer's OnBootSec does): the reload finds no nginx yet, so skip it here.
    const first = await refresh({ ...refreshEnv, CFGUARD_NGINX_RELOAD: 'true' });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    nginx = spawn('nginx', [...nginxArgs, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let nginxErr = '';
    nginx.stderr!.on('data', (d: Buffer) => (nginxErr += d.toString()));
    await waitForPort(port, () => `${nginxErr}${safeRead(path.join(dir, 'error.log'))}`);

    configFile = path.join(dir, 'cfguard.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        name: 'live',
        region: 'eu-north-1',
        instanceId: 'i-0123456789abcdef0',
        instanceSecurityGroupId: 'sg-0123456789abcdef0',
        originSecret: { secretVersion: 1, verifyPath: '/live/index.m3u8' },
      }),
    );
  }, 30000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGTERM');
      await new Promise((r) => nginx!.once('exit', r));
    }
    await emu?.close();
  });

  const cli = (extra: string[]) =>
    runCli(['--config', configFile, '--ssm-endpoint-url', emu.endpoint, '--origin-url', `http://127.0.0.1:${port}/live/index.m3u8`, '--timeout-ms', '2000', '--json', ...extra]);

  test('the refresh script wrote the map the recipe includes: the current value only, no previous yet', () => {
    expect(readFileSync(path.join(dir, 'cfguard/origin-secret.map'), 'utf8')).toBe(`"${'f00d'.repeat(16)}" 1;\n`);
  });

  test('verify-origin passes against nginx: no header 403, the header 200', async () => {
    const run = await runVerify();
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ status: 'enforced', checks: { withoutHeader: { status: 403 }, withSentValue: { status: 200 } } });
  });

  test('a rotation through nginx: the refresh picks up the staged value, nginx accepts both, verify passes on either version', async () => {
    const rotation = cli(['rotate-origin-secret', '--apply', '--wait-seconds', '20', '--poll-seconds', '0.2']);
    // The timer: the README script, every 300 ms while the rotation waits.
    let done = false;
    const timer = (async () => {
      while (!done) {
        const r = await refresh();
        // nginx's reload prints a "signal process started" notice; anything at error level is a failure.
        expect(r.status).toBe(0);
        expect(r.stderr).not.toMatch(/cfguard:|\[(emerg|alert|crit|error)\]/);
        await new Promise((t) => setTimeout(t, 300));
      }
    })();
    const run = await rotation.finally(() => (done = true));
    await timer;
    expect(run.code).toBe(2);
    expect(run.json()).toMatchObject({ status: 'awaiting-deploy', stagedVersion: 2 });
    expect(readFileSync(path.join(dir, 'cfguard/origin-secret.map'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect((await cli(['verify-origin', '--secret-version', '1'])).code).toBe(0);
    const after = await cli(['verify-origin', '--secret-version', '2']);
    expect(after.code).toBe(0);
    expect(after.json()).toMatchObject({ sentVersion: 2, latestVersion: 2 });
  }, 40000);

  function runVerify() {
    return cli(['verify-origin']);
  }
});

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function waitForPort(port: number, why: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port}: ${why()}`);
}
