import * as core from '@actions/core';
import { explainGitHubError, PERMISSIONS } from '../github/api-errors.js';
import { resolveCommentAuthor } from '../github/comment-author.js';
import { stickyCommentMarker, upsertStickyComment } from '../github/sticky-comment.js';
import { gitHubClient, type RunContext } from './run-context.js';

/**
 * The comment phase: the report as the pull request's sticky comment (unless the `comment` input
 * is false or the token is read-only). Returns the GitHub API problem when posting failed.
 */
export async function postComment(run: RunContext, comment: string): Promise<string | undefined> {
  const { pr, settings, readOnlyReason } = run;
  if (!settings.comment) {
    core.info('not commenting: the comment input is false');
    return undefined;
  }
  if (readOnlyReason) {
    core.info(`not commenting: ${readOnlyReason}, and the read-only token cannot write comments`);
    return undefined;
  }
  const marker = stickyCommentMarker(settings.helmfile);
  try {
    const client = gitHubClient(run);
    const author = await resolveCommentAuthor(client, settings.commentAuthor);
    core.info(`the sticky comment is the one by ${author.login} (${author.source}) containing ${marker}`);
    const result = await upsertStickyComment(
      client,
      { owner: pr.owner, repo: pr.repo, issueNumber: pr.number, marker, login: author.login },
      comment,
    );
    core.info(`comment ${result.action}: ${result.url}`);
    return undefined;
  } catch (error) {
    return explainGitHubError(error, `posting the comment on pull request #${pr.number}`, PERMISSIONS.comment);
  }
}
