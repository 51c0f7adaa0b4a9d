import * as fs from 'fs';
import * as path from 'path';
import { TerraformResource } from 'cdktf';
import { distributionPath, eipPath, importablePaths, ingestRulePath } from '../../lambda-src/config/import-paths';
import { buildTestStack, configWith, only, synthJson, tempDir } from '../support/app-fixtures';

function stackError(build: () => unknown): { code: string; message: string } {
  try {
    build();
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected the stack to throw');
}

describe('providers', () => {
  test('the default provider is in the instance region, the aliased one in us-east-1', () => {
    const { parsed } = synthJson(buildTestStack(configWith({ region: 'ap-south-1' })));
    expect(parsed.provider.aws).toEqual([{ region: 'ap-south-1' }, { alias: 'us_east_1', region: 'us-east-1' }]);
  });

  test('GIVEN an assumed role and a profile THEN both providers use them', () => {
    const stack = buildTestStack(configWith(), { assumeRole: { roleArn: 'arn:aws:iam::111111111111:role/deploy', externalId: 'x-1' }, profile: 'tooling' });
    const { parsed } = synthJson(stack);
    for (const p of parsed.provider.aws) {
      expect(p.profile).toBe('tooling');
      expect(p.assume_role).toEqual([{ role_arn: 'arn:aws:iam::111111111111:role/deploy', session_name: 'cfguard', external_id: 'x-1' }]);
    }
  });
});

describe('backends', () => {
  test('GIVEN no backend THEN state is local, next to the config', () => {
    const dir = tempDir();
    const { parsed } = synthJson(buildTestStack(configWith(), { configDir: dir }));
    expect(parsed.terraform.backend).toEqual({ local: { path: path.join(dir, 'terraform.streaming-origin.tfstate') } });
  });

  test('GIVEN a local path THEN it resolves against the config folder', () => {
    const dir = tempDir();
    const { parsed } = synthJson(buildTestStack(configWith({ backend: { type: 'local', path: 'state/edge.tfstate' } }), { configDir: dir }));
    expect(parsed.terraform.backend.local.path).toBe(path.join(dir, 'state', 'edge.tfstate'));
  });

  test('GIVEN Terraform Cloud in the config THEN the cloud block names organization and workspace', () => {
    const config = configWith({ backend: { type: 'cloud', organization: 'acme', workspace: 'edge', hostname: 'tfe.example.com' } });
    const { parsed } = synthJson(buildTestStack(config, { env: { TF_CLOUD_ORGANIZATION: 'ignored', TF_WORKSPACE: 'ignored' } }));
    expect(parsed.terraform.cloud).toEqual({ hostname: 'tfe.example.com', organization: 'acme', workspaces: { name: 'edge' } });
    expect(parsed.terraform.backend).toBeUndefined();
  });

  test('GIVEN Terraform Cloud without names THEN they come from TF_CLOUD_ORGANIZATION and TF_WORKSPACE', () => {
    const { parsed } = synthJson(buildTestStack(configWith({ backend: { type: 'cloud' } }), { env: { TF_CLOUD_ORGANIZATION: 'acme', TF_WORKSPACE: 'from-env' } }));
    expect(parsed.terraform.cloud).toEqual({ hostname: 'app.terraform.io', organization: 'acme', workspaces: { name: 'from-env' } });
  });

  test('GIVEN Terraform Cloud without a workspace anywhere THEN the workspace is the stack name', () => {
    const { parsed } = synthJson(buildTestStack(configWith({ backend: { type: 'cloud', organization: 'acme' } })));
    expect(parsed.terraform.cloud.workspaces).toEqual({ name: 'streaming-origin' });
  });

  test('GIVEN Terraform Cloud without an organization anywhere THEN synth fails naming backend.organization', () => {
    const error = stackError(() => buildTestStack(configWith({ backend: { type: 'cloud' } })));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain("'backend.organization' must be set for a Terraform Cloud backend, got nothing; set it in the config or export TF_CLOUD_ORGANIZATION");
  });

  test('GIVEN S3 THEN the s3 backend carries bucket, key, region, lock table and encryption', () => {
    const config = configWith({ backend: { type: 's3', bucket: 'acme-state', key: 'edge.tfstate', region: 'eu-west-1', dynamodbTable: 'locks' } });
    const { parsed } = synthJson(buildTestStack(config));
    expect(parsed.terraform.backend).toEqual({ s3: { bucket: 'acme-state', key: 'edge.tfstate', region: 'eu-west-1', dynamodb_table: 'locks', encrypt: true, use_lockfile: true } });
  });

  test('GIVEN S3 without a lock table THEN the backend locks with S3 itself (use_lockfile) and writes no deprecated dynamodb_table', () => {
    const { parsed } = synthJson(buildTestStack(configWith({ backend: { type: 's3', bucket: 'acme-state', key: 'edge.tfstate', region: 'eu-west-1' } })));
    expect(parsed.terraform.backend.s3).toEqual({ bucket: 'acme-state', key: 'edge.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true });
  });

  test('GIVEN S3 with useLockfile false THEN no use_lockfile is written', () => {
    const { parsed } = synthJson(buildTestStack(configWith({ backend: { type: 's3', bucket: 'acme-state', key: 'edge.tfstate', region: 'eu-west-1', useLockfile: false, dynamodbTable: 'locks' } })));
    expect(parsed.terraform.backend.s3).not.toHaveProperty('use_lockfile');
    expect(parsed.terraform.backend.s3.dynamodb_table).toBe('locks');
  });

  test.each([
    ['local', { type: 'local' }],
    ['cloud', { type: 'cloud', organization: 'acme' }],
    ['s3', { type: 's3', bucket: 'acme-state', key: 'edge.tfstate', region: 'eu-west-1' }],
  ])('GIVEN a %s backend THEN the stack requires Terraform >= 1.11 (the write-only value_wo)', (_name, backend) => {
    const { parsed } = synthJson(buildTestStack(configWith({ backend } as never)));
    expect(parsed.terraform.required_version).toBe('>= 1.11');
  });
});

describe('outputs', () => {
  test('lambda mode outputs the distribution, the origin address, the function, the group prefix, the alarm topic and the failed-events queue', () => {
    const { parsed } = synthJson(buildTestStack(configWith()));
    expect(Object.keys(parsed.output).sort()).toEqual([
      'alarm_topic_arn',
      'distribution_domain_name',
      'distribution_id',
      'edge_alarm_topic_arn',
      'failed_events_queue_url',
      'guard_function_name',
      'managed_group_prefix',
      'origin_public_dns',
      'origin_public_ip',
      'origin_secret_header',
      'origin_secret_parameter',
    ]);
    expect(parsed.output.alarm_topic_arn.value).toMatch(/^\$\{aws_sns_topic\.[^.]+\.arn\}$/);
    expect(parsed.output.failed_events_queue_url.value).toMatch(/^\$\{aws_sqs_queue\.[^.]+\.url\}$/);
    expect(parsed.output.managed_group_prefix.value).toBe('AUTOUPDATE_CF');
    expect(parsed.output.distribution_domain_name.value).toMatch(/^\$\{aws_cloudfront_distribution\.[^.]+\.domain_name\}$/);
  });

  test('prefix-list mode has no function, topic or queue to output', () => {
    const { parsed } = synthJson(buildTestStack(configWith({ guard: { mode: 'prefix-list' } })));
    expect(parsed.output.guard_function_name).toBeUndefined();
    expect(parsed.output.alarm_topic_arn).toBeUndefined();
    expect(parsed.output.failed_events_queue_url).toBeUndefined();
  });

  test('GIVEN an existing alarm topic THEN the output is that ARN', () => {
    const topicArn = 'arn:aws:sns:eu-north-1:123456789012:ops-alarms';
    const { parsed } = synthJson(buildTestStack(configWith({ guard: { alerting: { topicArn } } })));
    expect(parsed.output.alarm_topic_arn.value).toBe(topicArn);
    // Only the edge's topic: an alarm in us-east-1 cannot notify a topic in the guard's region.
    expect(Object.keys(parsed.resource.aws_sns_topic)).toEqual([expect.stringContaining('edge-monitoring')]);
  });

  test('GIVEN every alarm off THEN there is no alarm topic to output, and the queue is still there', () => {
    const { parsed } = synthJson(
      buildTestStack(configWith({ guard: { alerting: { errorsAlarm: false, refusedAlarm: false, noSuccessAlarm: false, exposureAlarm: false, foreignRulesAlarm: false } } })),
    );
    expect(parsed.output.alarm_topic_arn).toBeUndefined();
    expect(parsed.output.failed_events_queue_url).toBeDefined();
  });
});

describe('imports', () => {
  function withImportsFile(content: unknown, extra: Parameters<typeof configWith>[0] = {}) {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'cfguard.imports.json'), typeof content === 'string' ? content : JSON.stringify(content));
    return { dir, config: configWith(extra) };
  }

  test('the import paths name real resources of the right type', () => {
    const config = configWith({ ingest: { rules: [{ port: 1935, protocol: 'udp', cidrs: ['0.0.0.0/0', '::/0'] }] } });
    const stack = buildTestStack(config);
    const byPath = new Map(
      stack.node
        .findAll()
        .filter(TerraformResource.isTerraformResource)
        .map((r) => [r.node.path, r.terraformResourceType]),
    );
    const paths = importablePaths(config);
    expect(paths.map((p) => p.path)).toEqual([eipPath(config), distributionPath(config), ingestRulePath(config, 0), ingestRulePath(config, 1)]);
    for (const p of paths) expect(byPath.get(p.path)).toBe(p.resourceType);
  });

  test('an ingest rule index past the rendered rules is an error naming the range', () => {
    expect(() => ingestRulePath(configWith(), 2)).toThrow('ingest rule index must be 0 to 1 (the config renders 2 ingest rule(s), one per rule and CIDR), got 2');
    expect(ingestRulePath(configWith(), 1)).toBe('streaming-origin/origin/ingest/tcp-1945-0');
  });

  test('an adopted Elastic IP is not importable: the stack allocates none', () => {
    const paths = importablePaths(configWith({ elasticIp: { allocationId: 'eipalloc-0123456789abcdef0' } })).map((p) => p.resourceType);
    expect(paths).not.toContain('aws_eip');
  });

  test('GIVEN an imports file THEN each entry becomes an import block for that resource', () => {
    const { dir, config } = withImportsFile({
      'streaming-origin/origin/elastic-ip/eip': 'eipalloc-0abc1234def567890',
      'streaming-origin/origin/distribution/distribution': 'E2QWRUHEXAMPLE',
      'streaming-origin/origin/ingest/udp-1935-0': 'sgr-0123456789abcdef0',
    });
    const { parsed } = synthJson(buildTestStack(config, { configDir: dir }));
    const eip = Object.keys(parsed.resource.aws_eip)[0];
    const distribution = Object.keys(parsed.resource.aws_cloudfront_distribution)[0];
    const rule = Object.keys(parsed.resource.aws_vpc_security_group_ingress_rule).find((k) => k.includes('udp-1935-0'));
    expect(parsed.import).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ to: `aws_eip.${eip}`, id: 'eipalloc-0abc1234def567890' }),
        expect.objectContaining({ to: `aws_cloudfront_distribution.${distribution}`, id: 'E2QWRUHEXAMPLE' }),
        expect.objectContaining({ to: `aws_vpc_security_group_ingress_rule.${rule}`, id: 'sgr-0123456789abcdef0' }),
      ]),
    );
    expect(parsed.import).toHaveLength(3);
  });

  test('GIVEN no imports file THEN there are no import blocks', () => {
    const { parsed } = synthJson(buildTestStack(configWith()));
    expect(parsed.import).toBeUndefined();
  });

  test('GIVEN an import of a resource on the us-east-1 provider THEN the block names that provider', () => {
    const { dir, config } = withImportsFile({ 'streaming-origin/origin/guard/subscription': 'arn:aws:sns:us-east-1:806199016981:AmazonIpSpaceChanged:1111' });
    const { parsed } = synthJson(buildTestStack(config, { configDir: dir }));
    expect(parsed.import).toEqual([expect.objectContaining({ provider: 'aws.us_east_1' })]);
  });

  test('GIVEN an unknown path THEN synth fails naming it and the known paths', () => {
    const { dir, config } = withImportsFile({ 'streaming-origin/origin/eip': 'eipalloc-1' });
    const error = stackError(() => buildTestStack(config, { configDir: dir }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain("imports: 'streaming-origin/origin/eip' must be the construct path of a resource in stack 'streaming-origin'");
    expect(error.message).toContain('streaming-origin/origin/elastic-ip/eip (aws_eip), streaming-origin/origin/distribution/distribution (aws_cloudfront_distribution)');
  });

  test('GIVEN an imports file that is not a map of strings THEN synth fails naming the file', () => {
    const { dir, config } = withImportsFile(['eipalloc-1']);
    expect(stackError(() => buildTestStack(config, { configDir: dir })).message).toContain(`imports file '${path.join(dir, 'cfguard.imports.json')}' must be a JSON object`);
  });

  test('GIVEN an imports file with a syntax error THEN synth fails naming the file', () => {
    const { dir, config } = withImportsFile('{ "a": ');
    expect(stackError(() => buildTestStack(config, { configDir: dir })).message).toContain('must be valid JSON');
  });

  test('GIVEN an importsFile that does not exist THEN synth fails naming importsFile', () => {
    const error = stackError(() => buildTestStack(configWith({ importsFile: 'adopt.json' })));
    expect(error.message).toContain("'importsFile' must name an existing file, got 'adopt.json'");
  });

  test('GIVEN imports as a prop THEN the file is not read', () => {
    const { dir, config } = withImportsFile('not json at all');
    const { parsed } = synthJson(buildTestStack(config, { configDir: dir, imports: { 'streaming-origin/origin/distribution/distribution': 'E1' } }));
    expect(parsed.import).toEqual([expect.objectContaining({ id: 'E1' })]);
    expect(only(parsed, 'aws_cloudfront_distribution')).toBeDefined();
  });
});
