/** Exit codes of the `helmfile-hydrate` command, as documented in README.md and `--help`. */
export const ExitCode = {
  /** Everything succeeded (validate/diff: nothing to report). */
  Success: 0,
  /** The work failed: a render failed, validation found errors. Committed manifests are untouched. */
  Failure: 1,
  /** The command line was wrong. */
  Usage: 2,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Thrown for a bad command line; printed with the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}
