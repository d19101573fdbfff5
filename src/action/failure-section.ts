import { formatSettingError } from '../settings/setting-error.js';
import { ActionableError, type RunFailure } from './errors.js';

/** Longest error message shown in the comment; the job log has all of it. */
const MAX_ERROR_CHARACTERS = 4_000;

/** What to do when the error does not say: most errors that are not the pull request's own are passing. */
const DEFAULT_FIX = 'The job log has the details. If the cause was temporary (network, GitHub), re-run the job.';

/**
 * The part of the comment and summary for a run that stopped on an error: which phase, the error
 * itself, and what to do (pure).
 */
export function failureSection(failure: RunFailure): string {
  const message = formatSettingError(failure.error, 'action');
  const text =
    message.length > MAX_ERROR_CHARACTERS
      ? `${message.slice(0, MAX_ERROR_CHARACTERS)}\n… (truncated; the job log has the full message)`
      : message;
  const fix = failure.error instanceof ActionableError ? failure.error.fix : DEFAULT_FIX;
  return [
    `### :x: helmfile-hydrate failed (${failure.phase})`,
    '',
    '```text',
    text.replace(/```/g, "'''"),
    '```',
    '',
    `**What to do:** ${fix}`,
    '',
  ].join('\n');
}
