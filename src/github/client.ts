import { GitHub, getOctokitOptions } from '@actions/github/lib/utils';
import { SettingError } from '../settings/setting-error.js';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/**
 * Retries of a request GitHub answered with a server error (5xx) or that failed on the network.
 * plugin-retry waits (n + 1)² time units before retry n: 1 s, 4 s, 9 s.
 */
export const MAX_SERVER_ERROR_RETRIES = 3;
/**
 * Longest wait for a rate limit before giving up, in seconds. GitHub's docs ("Rate limits for the
 * REST API") say to wait `retry-after` seconds, or until `x-ratelimit-reset`, or at least a minute
 * for a secondary limit; five minutes covers the secondary limits without holding a job for the
 * up to one hour a spent primary limit can take.
 */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 300;
/** Rate limit waits per request before giving up. */
export const MAX_RATE_LIMIT_RETRIES = 3;

const ThrottledGitHub = GitHub.plugin(retry, throttling);

/** The Octokit client @actions/github builds (REST methods + paginate) with retries and throttling. */
export type GitHubClient = InstanceType<typeof ThrottledGitHub>;

export interface GitHubClientOptions {
  /**
   * Milliseconds per second of every wait the plugins compute (backoff, `retry-after`); 1000 in a
   * real run. Tests make it small so that a minute of `retry-after` costs a few milliseconds.
   */
  millisecondsPerSecond?: number;
  /** Where the waits are told (the job log). */
  log?: (message: string) => void;
}

/**
 * Builds the client at run time. `@actions/github`'s main module is avoided on purpose: it reads
 * the event payload into a global `context` when it is imported.
 *
 * Server errors are retried with backoff (plugin-retry; 4xx other than rate limits are final),
 * rate limits, primary and secondary, are waited out up to MAX_RATE_LIMIT_WAIT_SECONDS
 * (plugin-throttling, which also spaces writes a second apart as GitHub asks).
 */
export function createGitHubClient(token: string, options: GitHubClientOptions = {}): GitHubClient {
  if (!token)
    throw new SettingError('token', undefined, 'no GitHub token was given', "give the workflow's github.token or a GitHub App token");
  const unit = options.millisecondsPerSecond ?? 1000;
  const log = options.log ?? (() => {});
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const what = `${request.method} ${request.url}`;
      if (retryCount >= MAX_RATE_LIMIT_RETRIES) {
        log(`GitHub's ${kind} rate limit still applies to ${what} after ${retryCount} waits; giving up`);
        return false;
      }
      if (retryAfter > MAX_RATE_LIMIT_WAIT_SECONDS) {
        log(
          `GitHub's ${kind} rate limit applies to ${what} for ${retryAfter} s more; not waiting longer ` +
            `than ${MAX_RATE_LIMIT_WAIT_SECONDS} s`,
        );
        return false;
      }
      log(`GitHub's ${kind} rate limit applies to ${what}: waiting ${retryAfter} s, then retrying`);
      return true;
    };
  // Read now: @actions/github reads GITHUB_API_URL into its defaults when it is imported.
  return new ThrottledGitHub({
    ...getOctokitOptions(token, { baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com' }),
    // plugin-retry's own list, plus 429: rate limits are the throttling plugin's to wait out.
    retry: { retries: MAX_SERVER_ERROR_RETRIES, retryAfterBaseValue: unit, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    throttle: {
      retryAfterBaseValue: unit,
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
  });
}

/** The HTTP status of an Octokit request error, if it is one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
