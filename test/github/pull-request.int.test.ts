import { describe, expect, it } from 'vitest';
import { pullRequestSkipReason } from '../../src/github/pull-request-filter.js';
import { EventError, parsePullRequestEvent, readOnlyTokenReason } from '../../src/github/pull-request.js';
import { pullRequestPayload, REPOSITORY } from '../action/action-harness.js';

const base = 'a'.repeat(40);
const head = 'b'.repeat(40);

describe('parsePullRequestEvent', () => {
  it('reads number, SHAs, branches, author and labels', () => {
    const pr = parsePullRequestEvent(
      'pull_request',
      pullRequestPayload({ baseSha: base, headSha: head, labels: ['hydrate/allow-deletions'] }),
    );
    expect(pr).toMatchObject({
      number: 42,
      owner: 'acme',
      repo: 'platform',
      repository: REPOSITORY,
      baseSha: base,
      headSha: head,
      baseRef: 'main',
      headRef: 'renovate/webapp-1.x',
      isFork: false,
      author: 'renovate[bot]',
      labels: ['hydrate/allow-deletions'],
    });
  });

  it('recognises a fork, also a deleted one', () => {
    expect(
      parsePullRequestEvent('pull_request', pullRequestPayload({ baseSha: base, headSha: head, headRepository: 'outsider/platform' }))
        .isFork,
    ).toBe(true);
    const payload = pullRequestPayload({ baseSha: base, headSha: head }) as { pull_request: { head: { repo: unknown } } };
    payload.pull_request.head.repo = null;
    expect(parsePullRequestEvent('pull_request', payload).isFork).toBe(true);
  });

  it('knows when GitHub gives the run a read-only token: forks, and runs Dependabot triggered', () => {
    const same = parsePullRequestEvent('pull_request', pullRequestPayload({ baseSha: base, headSha: head }));
    expect(same.sender).toBe('renovate[bot]');
    expect(readOnlyTokenReason(same)).toBeUndefined();
    const fork = parsePullRequestEvent(
      'pull_request',
      pullRequestPayload({ baseSha: base, headSha: head, headRepository: 'outsider/platform' }),
    );
    expect(readOnlyTokenReason(fork)).toBe('the pull request comes from the fork outsider/platform');
    const dependabot = parsePullRequestEvent(
      'pull_request',
      pullRequestPayload({ baseSha: base, headSha: head, author: 'dependabot[bot]' }),
    );
    expect(readOnlyTokenReason(dependabot)).toBe('Dependabot triggered this run');
    // pull_request_target runs get a write token even for Dependabot.
    expect(readOnlyTokenReason({ ...dependabot, eventName: 'pull_request_target' })).toBeUndefined();
  });

  it('names what is missing or malformed', () => {
    expect(() => parsePullRequestEvent('push', { ref: 'refs/heads/main' })).toThrow(
      new EventError('the push event payload has no pull_request object'),
    );
    expect(() => parsePullRequestEvent('pull_request', pullRequestPayload({ baseSha: 'main', headSha: head }))).toThrow(
      'pull_request.base.sha "main" is not a commit SHA',
    );
  });
});

describe('pullRequestSkipReason', () => {
  const pr = { author: 'renovate[bot]', headRef: 'renovate/webapp-1.x' };
  it('acts on every pull request without filters', () => {
    expect(pullRequestSkipReason(pr, { authors: [], branchPrefixes: [] })).toBeUndefined();
  });
  it('filters by author (case-insensitive) and branch prefix', () => {
    expect(pullRequestSkipReason(pr, { authors: ['Renovate[bot]'], branchPrefixes: ['renovate/'] })).toBeUndefined();
    expect(pullRequestSkipReason(pr, { authors: ['dependabot[bot]'], branchPrefixes: [] })).toBe(
      'the pull request was opened by "renovate[bot]", not by one of pull-request-authors (dependabot[bot])',
    );
    expect(pullRequestSkipReason(pr, { authors: [], branchPrefixes: ['deps/'] })).toContain(
      'does not start with one of branch-prefixes (deps/)',
    );
  });
});
