import type { GitRepository } from './git.js';

/** How the remote branch differs from the commit that was rendered, when a lease refused the push. */
export type BranchChange =
  /** Someone pushed on top of it, or elsewhere. */
  | 'moved'
  /** It was force-pushed back to an ancestor of the rendered commit: the dropped commits must stay dropped. */
  | 'rewound'
  /** It no longer exists (the pull request was merged or closed and its branch deleted). */
  | 'deleted';

export type PushResult =
  | { status: 'pushed' }
  /** The branch no longer points at the rendered commit; nothing was pushed. `now` is its tip, if it has one. */
  | { status: 'branch-moved'; change: BranchChange; detail: string; now?: string }
  /** The remote refused for another reason (protected branch, permissions...). */
  | { status: 'rejected'; detail: string };

export interface PushOptions {
  remote?: string;
  /** Variables for the git commands that talk to the remote: the credentials (git/auth.ts). */
  env?: Record<string, string>;
}

/**
 * Pushes `commit` to `branch` only if the branch still points at `expected`, the commit that was
 * rendered (`--force-with-lease=<ref>:<sha>`, checked by the remote atomically with the update).
 * A plain fast-forward push would also succeed on a branch rewound to an ancestor (restoring
 * what its author dropped) or deleted (recreating it); the lease refuses both.
 */
export async function pushWithLease(
  git: GitRepository,
  commit: string,
  branch: string,
  expected: string,
  options: PushOptions = {},
): Promise<PushResult> {
  const remote = options.remote ?? 'origin';
  const ref = `refs/heads/${branch}`;
  const result = await git.exec(
    ['push', '--porcelain', '--no-verify', `--force-with-lease=${ref}:${expected}`, remote, `${commit}:${ref}`],
    { env: options.env },
  );
  if (result.exitCode === 0) return { status: 'pushed' };
  const failure = classifyPushFailure(`${result.stdout}\n${result.stderr}`);
  if (failure.status !== 'branch-moved') return failure;
  const listed = await git.exec(['ls-remote', remote, ref], { env: options.env });
  const now = listed.exitCode === 0 ? listed.stdout.split('\t')[0]?.trim() || undefined : undefined;
  if (listed.exitCode === 0 && !now) return { ...failure, change: 'deleted' };
  const rewound = now !== undefined && (await git.exec(['merge-base', '--is-ancestor', now, expected])).exitCode === 0;
  return { ...failure, change: rewound ? 'rewound' : 'moved', ...(now ? { now } : {}) };
}

/** Reads `git push --porcelain` output (pure); a refused lease or fast-forward is `branch-moved`. */
export function classifyPushFailure(output: string): PushResult {
  // Porcelain status lines: `!<TAB>src:dst<TAB>[rejected] (fetch first)`.
  const line = output.split('\n').find((text) => text.startsWith('!\t'));
  const detail = (line?.split('\t')[2] ?? output).trim();
  if (/\[rejected\].*\((fetch first|non-fast-forward|stale info)\)/.test(detail))
    return { status: 'branch-moved', change: 'moved', detail };
  return { status: 'rejected', detail: detail || 'git push failed without a message' };
}
