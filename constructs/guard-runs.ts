import { createHash } from 'crypto';
import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { settingsToEnv, type GuardSettings } from '../lambda-src/config/settings';

/*
 * The deploy-time runs. The groups must exist right after deploy, not at AWS's next range change,
 * and `cdktf destroy` must take them away again. Two invocations, because `triggers` forces a
 * replacement, and with lifecycle_scope CRUD a replacement is a destroy: a settings or code change
 * would tear every managed group down (blocking CloudFront) before building them again.
 *
 * - first-run (CRUD, fixed input, no triggers): reconciles on create; on destroy the handler gets
 *   `"tf":{"action":"delete"}` and tears the managed groups down. Only a new function name replaces it.
 * - rerun-on-change (CREATE_ONLY, triggers): reconciles again whenever the settings or the code
 *   change; its own destroy invokes nothing.
 * A failed run fails the apply (or the destroy).
 */

/** The handler's direct-run event (lambda-src/function/handler.ts). */
export const DIRECT_RUN_EVENT = { source: 'cfguard', action: 'reconcile' } as const;
/** Makes aws_lambda_invocation invoke on create, update and delete, adding `"tf":{"action","prev_input"}`. */
export const LIFECYCLE_SCOPE_CRUD = 'CRUD';

export interface GuardRuns {
  readonly firstRun: LambdaInvocation;
  readonly rerunOnChange: LambdaInvocation;
}

/**
 * `after` is what both runs need to succeed, and, in reverse on destroy, what must outlive the
 * teardown: the role's policy, the invoke permissions, the log group.
 */
export function renderGuardRuns(scope: Construct, functionName: string, settings: GuardSettings, codeHash: string, after: ITerraformDependable[]): GuardRuns {
  const directRun = { functionName, input: JSON.stringify(DIRECT_RUN_EVENT) };
  const firstRun = new LambdaInvocation(scope, 'first-run', {
    ...directRun,
    lifecycleScope: LIFECYCLE_SCOPE_CRUD,
    dependsOn: after,
  });
  const settingsHash = createHash('sha256')
    .update(JSON.stringify(settingsToEnv(settings)))
    .digest('hex');
  // After the first run, so the two deploy-time runs never overlap each other.
  const rerunOnChange = new LambdaInvocation(scope, 'rerun-on-change', {
    ...directRun,
    triggers: { settings: settingsHash, code: codeHash },
    dependsOn: [...after, firstRun],
  });
  return { firstRun, rerunOnChange };
}
