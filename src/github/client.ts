import { GitHub, getOctokitOptions } from '@actions/github/lib/utils';

/** The Octokit client @actions/github builds (REST methods + paginate), pointed at `GITHUB_API_URL`. */
export type GitHubClient = InstanceType<typeof GitHub>;

/**
 * Builds the client at run time. `@actions/github`'s main module is avoided on purpose: it reads
 * the event payload into a global `context` when it is imported.
 */
export function createGitHubClient(token: string): GitHubClient {
  if (!token) throw new Error('no GitHub token: set the `token` input (it defaults to github.token)');
  // Read now: @actions/github reads GITHUB_API_URL into its defaults when it is imported.
  return new GitHub(getOctokitOptions(token, { baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com' }));
}

/** The HTTP status of an Octokit request error, if it is one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
