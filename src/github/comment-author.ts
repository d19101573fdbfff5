import { GITHUB_ACTIONS_BOT_LOGIN } from '../defaults.js';
import { isRateLimited } from './api-errors.js';
import { httpStatus, type GitHubClient } from './client.js';

/**
 * The login GitHub shows on comments made with the workflow's GITHUB_TOKEN. `GET /user` is not
 * available to that token (nor to any GitHub App installation token: 403 "Resource not accessible
 * by integration"), so this is what such a token comments as.
 */
export const GITHUB_TOKEN_LOGIN = GITHUB_ACTIONS_BOT_LOGIN;

export interface CommentAuthor {
  login: string;
  /** How the login was found, for the log. */
  source: 'input' | 'GET /user' | 'GITHUB_TOKEN default';
}

/**
 * Who the token comments as: the `comment-author` input when set (GitHub App tokens, whose
 * comments appear as `<app-slug>[bot]`), else `GET /user` (personal access tokens), else the
 * GITHUB_TOKEN's `github-actions[bot]`.
 */
export async function resolveCommentAuthor(client: GitHubClient, configured: string): Promise<CommentAuthor> {
  if (configured) return { login: configured, source: 'input' };
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return { login: data.login, source: 'GET /user' };
  } catch (error) {
    // A rate limit is a 403 too, but says nothing about who the token is.
    if (httpStatus(error) === 403 && !isRateLimited(error)) return { login: GITHUB_TOKEN_LOGIN, source: 'GITHUB_TOKEN default' };
    throw error;
  }
}
