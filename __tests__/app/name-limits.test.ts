/**
 * Every name the stack generates fits AWS's length and character rules, for the longest stack name
 * the config accepts (40 characters) and the longest function name the construct accepts (58).
 * Limits from each service's API reference (CreateFunction, CreateRole, PutRolePolicy,
 * CreateLogGroup, PutRule, CreateQueue, CreateTopic, PutMetricAlarm, CreateCachePolicy, AddPermission, PutTargets).
 */
import { Testing } from 'cdktf';
import { MAX_FUNCTION_NAME_LENGTH } from '../../constructs/guard-function';
import { OriginIpRangeGuard } from '../../constructs/origin-ip-range-guard';
import { buildTestStack, configWith, GUARD_BUNDLE, synthJson, usEast1, type SynthJson } from '../support/app-fixtures';
import { synth, synthError } from '../support/construct-synth';

const LONGEST_STACK_NAME = `media-${'x'.repeat(33)}9`;

interface NameRule {
  readonly type: string;
  readonly field: string;
  readonly max: number;
  readonly pattern: RegExp;
}

const RULES: readonly NameRule[] = [
  { type: 'aws_lambda_function', field: 'function_name', max: 64, pattern: /^[A-Za-z0-9_-]+$/ },
  { type: 'aws_iam_role', field: 'name', max: 64, pattern: /^[\w+=,.@-]+$/ },
  { type: 'aws_iam_role_policy', field: 'name', max: 128, pattern: /^[\w+=,.@-]+$/ },
  { type: 'aws_cloudwatch_log_group', field: 'name', max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/ },
  { type: 'aws_cloudwatch_event_rule', field: 'name', max: 64, pattern: /^[.\-_A-Za-z0-9]+$/ },
  { type: 'aws_cloudwatch_event_target', field: 'target_id', max: 64, pattern: /^[.\-_A-Za-z0-9]+$/ },
  { type: 'aws_sqs_queue', field: 'name', max: 80, pattern: /^[A-Za-z0-9_-]+$/ },
  { type: 'aws_sns_topic', field: 'name', max: 256, pattern: /^[A-Za-z0-9_-]+$/ },
  { type: 'aws_cloudwatch_metric_alarm', field: 'alarm_name', max: 255, pattern: /^[\x20-\x7E]+$/ },
  { type: 'aws_cloudfront_cache_policy', field: 'name', max: 128, pattern: /^[A-Za-z0-9_-]+$/ },
  { type: 'aws_lambda_permission', field: 'statement_id', max: 100, pattern: /^[A-Za-z0-9_-]+$/ },
];

function problems(parsed: Pick<SynthJson, 'resource'>, rules: readonly NameRule[] = RULES): { checked: string[]; bad: string[] } {
  const checked: string[] = [];
  const bad: string[] = [];
  for (const rule of rules) {
    const bodies = Object.values(parsed.resource[rule.type] ?? {});
    if (bodies.length === 0) bad.push(`${rule.type}: none synthesized (the test must see every named resource)`);
    for (const body of bodies) {
      const name = body[rule.field] as string;
      checked.push(`${rule.type}.${rule.field}=${name}`);
      if (typeof name !== 'string' || name.includes('${')) bad.push(`${rule.type}.${rule.field} is not a literal: ${name}`);
      else if (name.length > rule.max || !rule.pattern.test(name)) bad.push(`${rule.type}.${rule.field} '${name}' (${name.length} characters) breaks ${rule.max} / ${rule.pattern}`);
    }
  }
  return { checked, bad };
}

describe("AWS's name limits", () => {
  test('the longest stack name the config accepts is 40 characters', () => {
    expect(LONGEST_STACK_NAME).toHaveLength(40);
    expect(() => configWith({ name: `${LONGEST_STACK_NAME}x` })).toThrow(/'name' must be 1-40/);
  });

  test('the longest stack name: every name the stack generates fits', () => {
    const { parsed } = synthJson(buildTestStack(configWith({ name: LONGEST_STACK_NAME }), {}, Testing.app()));
    const { checked, bad } = problems(parsed);
    expect(checked.length).toBeGreaterThanOrEqual(RULES.length);
    expect(bad).toEqual([]);
  });

  test(`the longest function name the guard accepts (${MAX_FUNCTION_NAME_LENGTH}): its role, rule, queue, topic and alarms still fit`, () => {
    const s = synth(
      (scope) =>
        new OriginIpRangeGuard(scope, 'guard', {
          usEast1Provider: usEast1(scope),
          bundlePath: GUARD_BUNDLE,
          functionName: 'f'.repeat(MAX_FUNCTION_NAME_LENGTH),
          settings: { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0' },
        }),
    );
    const guardRules = RULES.filter((r) => r.type !== 'aws_cloudfront_cache_policy');
    const { checked, bad } = problems(JSON.parse(s.json), guardRules);
    expect(checked.length).toBeGreaterThanOrEqual(guardRules.length);
    expect(bad).toEqual([]);
    expect(s.only('aws_cloudwatch_event_rule').name).toHaveLength(64);
  });

  test('a function name one longer is refused with the limit named', () => {
    const e = synthError(
      (scope) =>
        new OriginIpRangeGuard(scope, 'guard', {
          usEast1Provider: usEast1(scope),
          bundlePath: GUARD_BUNDLE,
          functionName: 'f'.repeat(MAX_FUNCTION_NAME_LENGTH + 1),
          settings: { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0' },
        }),
    );
    expect(e).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining(`1-${MAX_FUNCTION_NAME_LENGTH} letters, digits, - or _`) });
  });
});
