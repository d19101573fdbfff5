import type { GitRepository } from './git.js';
import { SettingError } from '../settings/setting-error.js';

/** What git prints when an HTTP remote refused or asked for credentials (GIT_TERMINAL_PROMPT=0). */
const AUTHENTICATION_FAILED = /could not read Username|Authentication failed|The requested URL returned error: 40[13]/i;

/** True when the commit object is in the local repository. */
export async function hasCommit(git: GitRepository, sha: string): Promise<boolean> {
  return (await git.exec(['cat-file', '-e', `${sha}^{commit}`])).exitCode === 0;
}

export interface FetchCommitsOptions {
  remote?: string;
  /** Refs that contain the commits, fetched when the server refuses to serve a commit by SHA. */
  fallbackRefs?: readonly string[];
  log?: (message: string) => void;
  /** Variables for the fetch commands: the credentials (git/auth.ts). */
  env?: Record<string, string>;
}

/**
 * Makes sure the given commits are present, fetching what is missing. `actions/checkout` by
 * default clones one commit (the merge commit, depth 1), so base and head are usually missing.
 * A shallow clone stays shallow: only the commits themselves are needed, not their history.
 */
export async function ensureCommits(git: GitRepository, shas: readonly string[], options: FetchCommitsOptions = {}): Promise<string[]> {
  const remote = options.remote ?? 'origin';
  const missing = async () =>
    (await Promise.all(shas.map(async (sha) => ((await hasCommit(git, sha)) ? undefined : sha)))).filter((sha): sha is string =>
      Boolean(sha),
    );
  const wanted = [...new Set(await missing())];
  if (wanted.length === 0) return [];
  const shallow = (await git.run(['rev-parse', '--is-shallow-repository'])) === 'true';
  const depth = shallow ? ['--depth=1'] : [];
  options.log?.(`fetching ${wanted.join(', ')} from ${remote}${shallow ? ' (depth 1)' : ''}`);
  const bySha = await git.exec(['fetch', '--no-tags', '--quiet', ...depth, remote, ...wanted], { env: options.env });
  let stillMissing = await missing();
  if (stillMissing.length > 0 && options.fallbackRefs?.length) {
    options.log?.(
      `${remote} did not serve ${stillMissing.join(', ')} by SHA (${bySha.stderr.trim() || 'no error'}); ` +
        `fetching ${options.fallbackRefs.join(', ')}`,
    );
    await git.exec(['fetch', '--no-tags', '--quiet', ...depth, remote, ...options.fallbackRefs], { env: options.env });
    stillMissing = await missing();
  }
  if (stillMissing.length > 0) {
    const problem =
      `commit${stillMissing.length > 1 ? 's' : ''} ${stillMissing.join(', ')} could not be fetched from ${remote}` +
      `${bySha.stderr.trim() ? ` (${bySha.stderr.trim()})` : ''}`;
    if (AUTHENTICATION_FAILED.test(bySha.stderr))
      throw new SettingError(
        'token',
        undefined,
        `${problem}: the server refused the credentials`,
        'give a token with `contents: read` on the repository',
      );
    throw new Error(`${problem}; check out the repository with actions/checkout and fetch-depth: 0`);
  }
  return wanted;
}
