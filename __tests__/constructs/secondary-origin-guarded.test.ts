import { buildTestStack, configWith, synthJson } from '../support/app-fixtures';
import { validateAgainstProviderSchema } from '../support/provider-schema';
import { GUARDED_INSTANCE_IDS_ENV } from '../../lambda-src/config/guarded-instances';

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
