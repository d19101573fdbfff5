import * as core from '@actions/core';
import { withholdPersistedCredentials } from '../git/persisted-credentials.js';
import { ActionableError } from './errors.js';
import type { RunContext } from './run-context.js';

/** Refuses a run that must not render (a fork's code with a write token, no checkout); says what a read-only token leaves out. */
export async function assertRunnable(run: RunContext): Promise<void> {
  const { pr, readOnlyReason } = run;
  if (pr.isFork && pr.eventName === 'pull_request_target') {
    // helmfile templates and charts can run programs (`exec`, plugins); a pull_request_target run
    // holds a write token, so the fork's code must never run in it.
    throw new ActionableError(
      `pull request #${pr.number} comes from the fork ${pr.headRepository || '(deleted)'} and this is a pull_request_target ` +
        'run with a write token: helmfile-hydrate does not render untrusted code there',
      'Trigger the workflow with `on: pull_request` instead.',
    );
  }
  if (readOnlyReason) {
    core.info(
      `pull request #${pr.number}: ${readOnlyReason}, so GitHub gives this workflow a read-only token; ` +
        'helmfile-hydrate renders, validates and writes the job summary, and neither comments nor pushes',
    );
  }
  if ((await run.git.exec(['rev-parse', '--git-dir'])).exitCode !== 0) {
    throw new ActionableError(
      `${run.workspace} is not a git repository`,
      'Check the repository out first with actions/checkout (fetch-depth: 0).',
    );
  }
}

/**
 * Runs the task with the token actions/checkout stored in the workspace's git config taken out
 * (helm and helmfile could read it); fetch and push get it per command (RunContext.auth).
 */
export async function withCredentialsWithheld<T>(run: RunContext, task: () => Promise<T>): Promise<T> {
  const withheld = await withholdPersistedCredentials(run.git);
  if (withheld.descriptions.length > 0) {
    core.notice(
      `actions/checkout stored the token in the workspace's git config (${withheld.descriptions.join(', ')}); helm and ` +
        'helmfile could read it, so it is taken out while this action runs and put back at the end. Set `persist-credentials: false` on ' +
        'actions/checkout: the action passes the token to git per command',
    );
  }
  try {
    return await task();
  } finally {
    await withheld
      .restore()
      .catch((error: unknown) => core.warning(`could not put back the credentials actions/checkout stored: ${(error as Error).message}`));
  }
}
