/*
 * The origin instances the guard locks, in one place: the Lambda's GUARDED_INSTANCE_IDS (primary
 * first, then the secondary origin's). No cdktf import: the handler and the CLI may read it.
 */

/** The function's variable listing every guarded instance, comma-separated, primary first. */
export const GUARDED_INSTANCE_IDS_ENV = 'GUARDED_INSTANCE_IDS';

/**
 * Whether the Lambda reconciler attaches its managed groups to every instance in
 * GUARDED_INSTANCE_IDS. Today it guards INSTANCE_ID alone (issue 22's reconciler side, with the
 * ownership work, is not merged), so a stack with a secondary origin in Lambda mode is refused at
 * synth (SECONDARY_ORIGIN_UNGUARDED) rather than deployed with an unguarded origin. Flip this, in the
 * same change that makes the reconciler, the IAM policy and the CLI cover every id, and the constructs
 * deploy the variable below.
 */
export const LAMBDA_GUARD_COVERS_EVERY_INSTANCE = false;

/** The variable's value for the function: `i-primary,i-secondary`. */
export function guardedInstanceIdsEnvironment(instanceIds: readonly string[]): Record<string, string> {
  return { [GUARDED_INSTANCE_IDS_ENV]: instanceIds.join(',') };
}
