import type { GitHubClient } from './client.js';

/**
 * The pull request's labels as they are now. The event payload holds them as they were when the
 * event fired; a label added since (to allow deletions, say) counts from the next run on.
 */
export async function currentLabels(client: GitHubClient, owner: string, repo: string, issueNumber: number): Promise<string[]> {
  const labels = await client.paginate(client.rest.issues.listLabelsOnIssue, { owner, repo, issue_number: issueNumber, per_page: 100 });
  return labels.map((label) => label.name);
}
