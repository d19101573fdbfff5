import type { PullRequestContext } from './pull-request.js';

export interface PullRequestFilter {
  /** Logins to act on (e.g. `renovate[bot]`); empty: every author. */
  authors: readonly string[];
  /** Head branch prefixes to act on (e.g. `renovate/`); empty: every branch. */
  branchPrefixes: readonly string[];
}

/** Why a pull request is skipped, or undefined when the action should act on it. */
export function pullRequestSkipReason(pr: Pick<PullRequestContext, 'author' | 'headRef'>, filter: PullRequestFilter): string | undefined {
  // GitHub logins are case-insensitive.
  if (filter.authors.length > 0 && !filter.authors.some((author) => author.toLowerCase() === pr.author.toLowerCase())) {
    return `the pull request was opened by "${pr.author}", not by one of pull-request-authors (${filter.authors.join(', ')})`;
  }
  if (filter.branchPrefixes.length > 0 && !filter.branchPrefixes.some((prefix) => pr.headRef.startsWith(prefix))) {
    return `the head branch "${pr.headRef}" does not start with one of branch-prefixes (${filter.branchPrefixes.join(', ')})`;
  }
  return undefined;
}
