import type { GitRepository } from './git.js';

export type PushResult =
  | { status: 'pushed' }
  /** The branch has commits this push does not contain: someone pushed meanwhile. */
  | { status: 'branch-moved'; detail: string }
  /** The remote refused for another reason (protected branch, permissions...). */
  | { status: 'rejected'; detail: string };

/**
 * Pushes `commit` to `branch` on `remote` as a fast-forward only: never forced, so a push that
 * would drop someone's commit is refused by git itself.
 */
export async function pushFastForward(git: GitRepository, commit: string, branch: string, remote = 'origin'): Promise<PushResult> {
  const result = await git.exec(['push', '--porcelain', '--no-verify', remote, `${commit}:refs/heads/${branch}`]);
  if (result.exitCode === 0) return { status: 'pushed' };
  return classifyPushFailure(`${result.stdout}\n${result.stderr}`);
}

/** Reads `git push --porcelain` output (pure). */
export function classifyPushFailure(output: string): PushResult {
  // Porcelain status lines: `!<TAB>src:dst<TAB>[rejected] (fetch first)`.
  const line = output.split('\n').find((text) => text.startsWith('!\t'));
  const detail = (line?.split('\t')[2] ?? output).trim();
  if (/\[rejected\].*\((fetch first|non-fast-forward|stale info)\)/.test(detail)) return { status: 'branch-moved', detail };
  return { status: 'rejected', detail: detail || 'git push failed without a message' };
}
