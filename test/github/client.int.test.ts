import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explainGitHubError, isRateLimited, PERMISSIONS } from '../../src/github/api-errors.js';
import { createGitHubClient, MAX_RATE_LIMIT_WAIT_SECONDS } from '../../src/github/client.js';
import { stickyCommentMarker, upsertStickyComment } from '../../src/github/sticky-comment.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';

const COMMENTS = /^\/repos\/acme\/platform\/issues\/7\/comments$/;
const SECONDARY_LIMIT = {
  message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
};
const MARKER = stickyCommentMarker('helmfile');
/** Each second of wait the plugins compute costs this many milliseconds here. */
const UNIT = 5;

describe('the GitHub client against a local API that fails the way GitHub does', () => {
  let api: GitHubApiServer;
  let previousUrl: string | undefined;
  const waits: string[] = [];
  const client = () => createGitHubClient('ghs', { millisecondsPerSecond: UNIT, log: (message) => waits.push(message) });
  const posts = () => api.state.requests.filter((request) => request.method === 'POST');
  beforeEach(async () => {
    api = await startGitHubApiServer({ owner: 'acme', repo: 'platform' });
    api.state.tokens.set('ghs', { commentsAs: 'github-actions[bot]' });
    previousUrl = process.env.GITHUB_API_URL;
    process.env.GITHUB_API_URL = api.url;
    waits.length = 0;
  });
  afterEach(async () => {
    if (previousUrl === undefined) delete process.env.GITHUB_API_URL;
    else process.env.GITHUB_API_URL = previousUrl;
    await api.close();
  });

  it('retries a 502 with backoff and succeeds', async () => {
    api.injectFault({ method: 'GET', path: COMMENTS, status: 502, body: { message: 'Server Error' }, times: 2 });
    const started = performance.now();
    const { data } = await client().rest.issues.listComments({ owner: 'acme', repo: 'platform', issue_number: 7 });
    expect(data).toEqual([]);
    expect(api.state.requests.filter((request) => request.method === 'GET')).toHaveLength(3);
    // Backoff (n + 1)² units: 1 + 4.
    expect(performance.now() - started).toBeGreaterThanOrEqual(5 * UNIT);
  });

  it('gives up on a lasting 500 after the retries, and says so', async () => {
    api.injectFault({ method: 'GET', path: COMMENTS, status: 500, body: { message: 'Internal Server Error' }, times: 10 });
    const error = await client()
      .rest.issues.listComments({ owner: 'acme', repo: 'platform', issue_number: 7 })
      .catch((caught: unknown) => caught);
    expect(api.state.requests).toHaveLength(4);
    expect(explainGitHubError(error, 'reading the comments', PERMISSIONS.comment)).toMatch(
      /GitHub answered 500 \(Internal Server Error\) 4 times, with backoff; check https:\/\/www\.githubstatus\.com/,
    );
  });

  it('waits out a secondary rate limit for its retry-after, then writes once', async () => {
    api.injectFault({ method: 'POST', path: COMMENTS, status: 403, body: SECONDARY_LIMIT, headers: { 'retry-after': '60' } });
    const started = performance.now();
    await client().rest.issues.createComment({ owner: 'acme', repo: 'platform', issue_number: 7, body: 'hello' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(60 * UNIT);
    expect(posts()).toHaveLength(2);
    expect(api.state.comments.get(7)).toHaveLength(1);
    expect(waits).toEqual([
      expect.stringMatching(
        /secondary rate limit applies to POST \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments: waiting 60 s/,
      ),
    ]);
  });

  it('waits out a spent primary rate limit until its reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3;
    api.injectFault({
      method: 'GET',
      path: COMMENTS,
      status: 403,
      body: { message: 'API rate limit exceeded for installation ID 1.' },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    });
    await client().rest.issues.listComments({ owner: 'acme', repo: 'platform', issue_number: 7 });
    expect(api.state.requests).toHaveLength(2);
    expect(waits).toEqual([expect.stringMatching(/primary rate limit .* waiting [1-4] s/)]);
  });

  it('does not wait longer than the bound, and reports a rate limit, not a permission', async () => {
    api.injectFault({
      method: 'POST',
      path: COMMENTS,
      status: 403,
      body: SECONDARY_LIMIT,
      headers: { 'retry-after': String(MAX_RATE_LIMIT_WAIT_SECONDS + 1) },
    });
    const error = await client()
      .rest.issues.createComment({ owner: 'acme', repo: 'platform', issue_number: 7, body: 'hello' })
      .catch((caught: unknown) => caught);
    expect(posts()).toHaveLength(1);
    expect(isRateLimited(error)).toBe(true);
    const explanation = explainGitHubError(error, 'posting the pull request comment', PERMISSIONS.comment);
    expect(explanation).toMatch(
      /^posting the pull request comment failed: GitHub's rate limit \(403: You have exceeded a secondary rate limit/,
    );
    expect(explanation).not.toContain('permissions:');
    expect(waits[0]).toMatch(/not waiting longer than 300 s/);
  });

  it('tells a permission 403 apart: not retried, and the message names the permission to grant', async () => {
    api.state.tokens.set('ghs', { commentsAs: 'github-actions[bot]', denied: ['statuses=write'] });
    const sha = 'a'.repeat(40);
    const error = await client()
      .rest.repos.createCommitStatus({ owner: 'acme', repo: 'platform', sha, state: 'success', context: 'helmfile-hydrate' })
      .catch((caught: unknown) => caught);
    expect(posts()).toHaveLength(1);
    expect(isRateLimited(error)).toBe(false);
    expect(explainGitHubError(error, 'setting the commit status', PERMISSIONS.commitStatus)).toBe(
      'setting the commit status failed: the token is not allowed to (403: Resource not accessible by integration; GitHub accepts statuses=write). ' +
        'Give the workflow `permissions: statuses: write`, or, with a GitHub App token, the app\'s "Commit statuses: Read and write" permission',
    );
  });

  it('posts one sticky comment when GitHub made it but answered 500', async () => {
    api.injectFault({ method: 'POST', path: COMMENTS, status: 500, body: { message: 'Internal Server Error' }, when: 'after' });
    const result = await upsertStickyComment(
      client(),
      { owner: 'acme', repo: 'platform', issueNumber: 7, marker: MARKER, login: 'github-actions[bot]' },
      `${MARKER}\nreport`,
    );
    expect(result.action).toBe('unchanged');
    expect(api.state.comments.get(7)).toHaveLength(1);
    expect(posts()).toHaveLength(1);
  });

  it('posts the sticky comment once when the create answered 500 without making it', async () => {
    api.injectFault({ method: 'POST', path: COMMENTS, status: 500, body: { message: 'Internal Server Error' } });
    const result = await upsertStickyComment(
      client(),
      { owner: 'acme', repo: 'platform', issueNumber: 7, marker: MARKER, login: 'github-actions[bot]' },
      `${MARKER}\nreport`,
    );
    expect(result.action).toBe('created');
    expect(api.state.comments.get(7)).toHaveLength(1);
    expect(posts()).toHaveLength(2);
  });
});

describe('explainGitHubError', () => {
  const error = (status: number, message: string, headers: Record<string, string> = {}) =>
    Object.assign(new Error(message), { status, response: { headers } });
  it('names what to do for each kind of failure', () => {
    expect(explainGitHubError(error(401, 'Bad credentials'), 'x', PERMISSIONS.comment)).toMatch(
      /GitHub refused the token \(401: Bad credentials\); check the token \(/,
    );
    expect(explainGitHubError(error(404, 'Not Found'), 'x', PERMISSIONS.comment)).toMatch(/cannot see the repository/);
    expect(explainGitHubError(error(429, 'Too Many Requests', { 'x-ratelimit-reset': '1767225600' }), 'x', PERMISSIONS.comment)).toMatch(
      /resets at 00:00 UTC/,
    );
    expect(explainGitHubError(new Error('socket hang up'), 'x', PERMISSIONS.comment)).toBe('x failed: socket hang up');
  });
});
