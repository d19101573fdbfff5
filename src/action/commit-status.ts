import * as core from '@actions/core';
import { explainGitHubError, PERMISSIONS } from '../github/api-errors.js';
import { setCommitStatus, workflowRunUrl } from '../github/commit-status.js';
import type { RunContext } from './run-context.js';
import { commitStatusSha, commitStatusOf, type JobOutcome } from './job-outcome.js';

/**
 * The commit status of the run (unless the `commit-status` input is false, the token is read-only
 * or there is none), from every problem so far. Returns the GitHub API problem when setting it failed.
 */
export async function setRunStatus(run: RunContext, problems: readonly string[], outcome: JobOutcome): Promise<string | undefined> {
  const { pr, settings } = run;
  if (!settings.commitStatus || run.readOnlyReason || run.github instanceof Error) return undefined;
  const sha = commitStatusSha(outcome.commit, pr.headSha);
  const { state, description } = commitStatusOf(problems, outcome.counts, outcome.commit);
  try {
    await setCommitStatus(run.github, {
      owner: pr.owner,
      repo: pr.repo,
      sha,
      state,
      context: settings.statusContext,
      description,
      targetUrl: workflowRunUrl(),
    });
    core.info(`commit status ${settings.statusContext}: ${state} on ${sha.slice(0, 12)}`);
    return undefined;
  } catch (error) {
    return explainGitHubError(
      error,
      `setting the commit status ${settings.statusContext} on ${sha.slice(0, 12)}`,
      PERMISSIONS.commitStatus,
    );
  }
}
