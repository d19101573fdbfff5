import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/client.js';
import { resolveCommentAuthor } from '../../src/github/comment-author.js';
import { findStickyComment, stickyCommentMarker, upsertStickyComment } from '../../src/github/sticky-comment.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';

const MARKER = stickyCommentMarker('helmfile');
const target = { owner: 'acme', repo: 'platform', issueNumber: 7, marker: MARKER, login: 'hydrate-bot' };

describe('sticky comment with the real Octokit client against a local API', () => {
  let api: GitHubApiServer;
  let previousUrl: string | undefined;
  beforeEach(async () => {
    api = await startGitHubApiServer({ owner: 'acme', repo: 'platform', maxPerPage: 3 });
    api.state.tokens.set('pat', { login: 'hydrate-bot', commentsAs: 'hydrate-bot' });
    api.state.tokens.set('ghs', { commentsAs: 'github-actions[bot]' });
    previousUrl = process.env.GITHUB_API_URL;
    process.env.GITHUB_API_URL = api.url;
  });
  afterEach(async () => {
    if (previousUrl === undefined) delete process.env.GITHUB_API_URL;
    else process.env.GITHUB_API_URL = previousUrl;
    await api.close();
  });

  it('creates one comment, updates it in place on later pages, and leaves an equal body alone', async () => {
    const client = createGitHubClient('pat');
    api.addComment(7, 'mallory', `${MARKER} fake`);
    for (let i = 0; i < 5; i++) api.addComment(7, 'bob', `comment ${i}`);
    expect(await upsertStickyComment(client, target, `${MARKER}\nfirst`)).toMatchObject({ action: 'created' });
    const created = api.state.comments.get(7)!.at(-1)!;
    expect(await upsertStickyComment(client, target, `${MARKER}\nsecond`)).toMatchObject({ action: 'updated', id: created.id });
    expect(await upsertStickyComment(client, target, `${MARKER}\nsecond`)).toMatchObject({ action: 'unchanged', id: created.id });
    expect(api.state.comments.get(7)!.filter((c) => c.user.login === 'hydrate-bot')).toHaveLength(1);
    expect(api.state.comments.get(7)![0]!.body).toBe(`${MARKER} fake`);
    expect(api.writes()).toEqual([
      { method: 'POST', url: '/repos/acme/platform/issues/7/comments' },
      { method: 'PATCH', url: `/repos/acme/platform/issues/comments/${created.id}` },
    ]);
  });

  it('finds its login with GET /user, and falls back to github-actions[bot] for an installation token', async () => {
    expect(await resolveCommentAuthor(createGitHubClient('pat'), '')).toEqual({ login: 'hydrate-bot', source: 'GET /user' });
    expect(await resolveCommentAuthor(createGitHubClient('ghs'), '')).toEqual({
      login: 'github-actions[bot]',
      source: 'GITHUB_TOKEN default',
    });
    expect(await resolveCommentAuthor(createGitHubClient('ghs'), 'my-app[bot]')).toEqual({ login: 'my-app[bot]', source: 'input' });
    await expect(resolveCommentAuthor(createGitHubClient('wrong'), '')).rejects.toThrow(/Bad credentials/);
  });

  it('refuses a body without the marker or over GitHub limit', async () => {
    const client = createGitHubClient('pat');
    await expect(upsertStickyComment(client, target, 'no marker')).rejects.toThrow('must contain its marker');
    await expect(upsertStickyComment(client, target, `${MARKER}${'x'.repeat(65_536)}`)).rejects.toThrow('at most 65536');
  });
});

describe('findStickyComment', () => {
  it('takes the oldest comment by the login that has the marker', () => {
    const comments = [
      { id: 5, body: `${MARKER} b`, user: { login: 'Hydrate-Bot' } },
      { id: 3, body: `${MARKER} a`, user: { login: 'hydrate-bot' } },
      { id: 1, body: `${MARKER} other`, user: { login: 'alice' } },
      { id: 2, body: 'no marker', user: { login: 'hydrate-bot' } },
    ];
    expect(findStickyComment(comments, MARKER, 'hydrate-bot')?.id).toBe(3);
    expect(findStickyComment(comments, stickyCommentMarker('other/helmfile'), 'hydrate-bot')).toBeUndefined();
  });
});
