import { buildTestStack, configWith, GUARD_BUNDLE, synthJson, usEast1 } from '../support/app-fixtures';
import { validateAgainstProviderSchema } from '../support/provider-schema';
import { synthError } from '../support/construct-synth';
import { OriginIpRangeGuard } from '../../constructs/origin-ip-range-guard';
import { GUARDED_INSTANCE_IDS_ENV, GUARDED_OWN_GROUP_IDS_ENV } from '../../lambda-src/config/guarded-instances';

/* The Lambda reconciler guards every instance in GUARDED_INSTANCE_IDS (issue 22): what the constructs deploy for it. */

const SECONDARY = { instanceId: 'i-0fedcba9876543210', instanceSecurityGroupId: 'sg-0fedcba9876543210' };

test('GIVEN a secondary origin THEN the function gets both instance ids in GUARDED_INSTANCE_IDS, primary first, in one variable', () => {
  const { json, parsed } = synthJson(buildTestStack(configWith({ secondaryOrigin: SECONDARY })));
  expect(validateAgainstProviderSchema(json)).toEqual([]);
  const fn = Object.values<any>(parsed.resource.aws_lambda_function)[0];
  expect(fn.environment.variables[GUARDED_INSTANCE_IDS_ENV]).toBe(`i-0123456789abcdef0,${SECONDARY.instanceId}`);
  expect(fn.environment.variables.INSTANCE_ID).toBe('i-0123456789abcdef0');
});

test('GIVEN no secondary origin THEN the function has no GUARDED_INSTANCE_IDS: single-origin stacks are unchanged', () => {
  const { parsed } = synthJson(buildTestStack(configWith({})));
  const fn = Object.values<any>(parsed.resource.aws_lambda_function)[0];
  expect(fn.environment.variables[GUARDED_INSTANCE_IDS_ENV]).toBeUndefined();
});

test("GIVEN a secondary origin THEN the function's policy may attach to exactly the two instances' interfaces", () => {
  const { parsed } = synthJson(buildTestStack(configWith({ secondaryOrigin: SECONDARY })));
  const policies = Object.values<any>(parsed.resource.aws_iam_role_policy).map((p) => JSON.parse(p.policy));
  const attach = policies.flatMap((p) => p.Statement).filter((s: { Sid?: string }) => s.Sid === 'AttachToOwnInstance');
  expect(attach).toHaveLength(1);
  expect(attach[0].Resource).toEqual([expect.stringMatching(/:instance\/i-0123456789abcdef0$/), expect.stringMatching(new RegExp(`:instance/${SECONDARY.instanceId}$`))]);
});

test("GIVEN a secondary origin with its own group THEN the function knows that group (GUARDED_OWN_GROUP_IDS) and its policy may name both instances' own groups on an interface, and nothing else untagged", () => {
  const primaryGroup = 'sg-0123456789abcdef0';
  const { parsed } = synthJson(buildTestStack(configWith({ instanceSecurityGroupId: primaryGroup, secondaryOrigin: SECONDARY })));
  const fn = Object.values<any>(parsed.resource.aws_lambda_function)[0];
  expect(fn.environment.variables.INSTANCE_SECURITY_GROUP_ID).toBe(primaryGroup);
  expect(fn.environment.variables[GUARDED_OWN_GROUP_IDS_ENV]).toBe(SECONDARY.instanceSecurityGroupId);
  const statements = Object.values<any>(parsed.resource.aws_iam_role_policy).flatMap((p) => JSON.parse(p.policy).Statement);
  const own = statements.filter((st: { Sid?: string }) => st.Sid === 'NameOwnGroupOnInterface');
  expect(own).toHaveLength(1);
  expect(own[0].Resource).toEqual([expect.stringMatching(new RegExp(`:security-group/${primaryGroup}$`)), expect.stringMatching(new RegExp(`:security-group/${SECONDARY.instanceSecurityGroupId}$`))]);
  expect(statements.filter((st: { Sid?: string }) => st.Sid === 'NameUntaggedGroupsOnInterface')).toEqual([]);
});

test.each([
  ['not starting with the primary', [SECONDARY.instanceId, 'i-0123456789abcdef0'], 'start with settings.instanceId (i-0123456789abcdef0)'],
  ['naming an instance twice', ['i-0123456789abcdef0', 'i-0123456789abcdef0'], 'name each instance once'],
])('GIVEN guardedInstanceIds %s THEN the construct refuses them at synth with the rule the function applies', (_name, guardedInstanceIds, rule) => {
  const error = synthError(
    (scope) =>
      new OriginIpRangeGuard(scope, 'guard', { usEast1Provider: usEast1(scope), bundlePath: GUARD_BUNDLE, settings: { region: 'eu-north-1', instanceId: 'i-0123456789abcdef0' }, guardedInstanceIds }),
  );
  expect(error.code).toBe('CONFIG_INVALID');
  expect(error.message).toContain(`'guardedInstanceIds' must ${rule}`);
});
