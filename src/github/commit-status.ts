import type { GitHubClient } from './client.js';

/** GitHub refuses a commit status description longer than this (REST API: "description is too long (maximum is 140 characters)"). */
export const COMMIT_STATUS_DESCRIPTION_LIMIT = 140;

export type CommitStatusState = 'success' | 'failure';

export interface CommitStatus {
  owner: string;
  repo: string;
  sha: string;
  state: CommitStatusState;
  /** The name branch protection requires. */
  context: string;
  description: string;
  /** The run's page, linked from the checks list. */
  targetUrl?: string;
}

/**
 * Sets the action's commit status on a commit. A push made with GITHUB_TOKEN starts no workflow,
 * so the manifests commit would otherwise carry no result of this action: the status is what
 * branch protection sees on it.
 */
export async function setCommitStatus(client: GitHubClient, status: CommitStatus): Promise<void> {
  await client.rest.repos.createCommitStatus({
    owner: status.owner,
    repo: status.repo,
    sha: status.sha,
    state: status.state,
    context: status.context,
    description: fitDescription(status.description),
    ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
  });
}

/** The text on one line, cut to GitHub's limit (pure). */
export function fitDescription(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= COMMIT_STATUS_DESCRIPTION_LIMIT ? line : `${line.slice(0, COMMIT_STATUS_DESCRIPTION_LIMIT - 1)}…`;
}

/** The page of this workflow run, from the variables the runner sets; undefined outside a run. */
export function workflowRunUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!env.GITHUB_RUN_ID || !env.GITHUB_REPOSITORY) return undefined;
  return `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}
