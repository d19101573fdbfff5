import { httpStatus, MAX_RATE_LIMIT_WAIT_SECONDS, MAX_SERVER_ERROR_RETRIES } from './client.js';

/** A permission a request needs, as a workflow's `permissions:` block and a GitHub App's settings name it. */
export interface GitHubPermission {
  workflow: string;
  app: string;
}

/** The permissions of the requests the action makes (GitHub REST docs, "Fine-grained permissions" of each endpoint). */
export const PERMISSIONS = {
  comment: { workflow: 'pull-requests: write', app: 'Pull requests: Read and write' },
  commitStatus: { workflow: 'statuses: write', app: 'Commit statuses: Read and write' },
  labels: { workflow: 'pull-requests: read', app: 'Pull requests: Read-only' },
} as const satisfies Record<string, GitHubPermission>;

interface ErrorShape {
  message?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

/**
 * True for GitHub's rate limit answers: 429, or 403 with `x-ratelimit-remaining: 0` (primary) or
 * a message about a secondary rate limit; GitHub's docs ("Rate limits for the REST API") tell
 * them from a permission 403 this way, and so does plugin-throttling.
 */
export function isRateLimited(error: unknown): boolean {
  const status = httpStatus(error);
  if (status === 429) return true;
  if (status !== 403) return false;
  const shape = error as ErrorShape;
  if (String(shape.response?.headers?.['x-ratelimit-remaining'] ?? '') === '0') return true;
  return /rate limit/i.test(String(shape.message ?? ''));
}

/**
 * What went wrong with a GitHub API request and what to do about it, for the log, the summary and
 * the comment (pure). `doing` names the request ("posting the pull request comment").
 */
export function explainGitHubError(error: unknown, doing: string, permission: GitHubPermission): string {
  const status = httpStatus(error);
  const shape = (error ?? {}) as ErrorShape;
  const message = firstLine(String(shape.message ?? error));
  if (isRateLimited(error)) {
    const reset = Number(shape.response?.headers?.['x-ratelimit-reset']);
    const when =
      Number.isFinite(reset) && reset > 0 ? ` (the limit resets at ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC)` : '';
    return (
      `${doing} failed: GitHub's rate limit (${status}: ${message}) did not lift within ${MAX_RATE_LIMIT_WAIT_SECONDS} s. ` +
      `Re-run the job later${when}; a GitHub App installation token has a higher limit than GITHUB_TOKEN`
    );
  }
  if (status === 403) {
    // GitHub names what the endpoint accepts in this header on a 403 (e.g. `statuses=write`).
    const accepted = shape.response?.headers?.['x-accepted-github-permissions'];
    return (
      `${doing} failed: the token is not allowed to (403: ${message}${accepted ? `; GitHub accepts ${String(accepted)}` : ''}). Give ` +
      `the workflow \`permissions: ${permission.workflow}\`, ` +
      `or, with a GitHub App token, the app's "${permission.app}" permission`
    );
  }
  if (status === 401) {
    return (
      `${doing} failed: GitHub refused the token (401: ${message}); check the token (a GitHub App installation token expires ` +
      `after an hour)`
    );
  }
  if (status === 404) {
    return (
      `${doing} failed: not found (404: ${message}); GitHub answers 404 when the token cannot see the repository: check the ` +
      `token's repository access and \`permissions: ${permission.workflow}\``
    );
  }
  if (status !== undefined && status >= 500) {
    return (
      `${doing} failed: GitHub answered ${status} (${message}) ${MAX_SERVER_ERROR_RETRIES + 1} times, with backoff; check ` +
      `https://www.githubstatus.com and re-run the job`
    );
  }
  return `${doing} failed: ${status ? `${status}: ` : ''}${message}`;
}

function firstLine(text: string): string {
  return text
    .split('\n')[0]!
    .replace(/ - https:\/\/docs\.github\.com\S*$/, '')
    .trim();
}
