import { buildTestStack, configWith, synthJson } from '../support/app-fixtures';
import { validateAgainstProviderSchema } from '../support/provider-schema';
import { GUARDED_INSTANCE_IDS_ENV } from '../../lambda-src/config/guarded-instances';

/*
 * The day the Lambda reconciler guards every instance (issue 22's reconciler side flips
 * LAMBDA_GUARD_COVERS_EVERY_INSTANCE): what the constructs then deploy. The flag is mocked here, and
 * only here, so this proves the wiring without claiming the reconciler does it today.
 */
jest.mock('../../lambda-src/config/guarded-instances', () => ({
  ...jest.requireActual('../../lambda-src/config/guarded-instances'),
  LAMBDA_GUARD_COVERS_EVERY_INSTANCE: true,
}));

const SECONDARY = { instanceId: 'i-0fedcba9876543210', instanceSecurityGroupId: 'sg-0fedcba9876543210' };

test('GIVEN the Lambda guard covers every instance THEN the function gets both instance ids in GUARDED_INSTANCE_IDS, primary first, in one variable', () => {
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
