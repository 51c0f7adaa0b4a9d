/**
 * Exit codes, after `terraform plan -detailed-exitcode`, so scripts and CI can branch on them:
 * 0 nothing to do (in sync, or the requested change was applied), 1 an error, 2 changes pending or drift.
 */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_ERROR | typeof EXIT_CHANGES;

/** The `--help` epilogue; the README's "Exit codes" section says the same. */
export const EXIT_CODES_HELP = [
  'Exit codes (as terraform plan -detailed-exitcode):',
  '  0  nothing to do: in sync, or --apply made every change',
  '  1  error: one line "error CODE: message" on stderr (the stack with --debug)',
  '  2  changes pending or drift found (run again with --apply, or investigate)',
].join('\n');
