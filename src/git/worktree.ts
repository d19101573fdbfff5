import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRepository } from './git.js';

/** A detached checkout of one commit in a directory of its own (`git worktree add --detach`). */
export interface Worktree {
  /** The checked-out commit. */
  sha: string;
  directory: string;
  repository: GitRepository;
}

/** The top directory of the repository that contains `directory`. */
export async function repositoryRoot(directory: string): Promise<string> {
  return new GitRepository(directory).run(['rev-parse', '--show-toplevel']);
}

/**
 * Checks out `ref` into a new temporary directory without touching the caller's checkout,
 * index or branches. Remove it with `removeWorktree`.
 */
export async function addWorktree(repository: GitRepository, ref: string, label = 'worktree'): Promise<Worktree> {
  const sha = await repository.revParse(ref);
  const parent = await mkdtemp(join(tmpdir(), `helmfile-hydrate-${label.replace(/[^a-z0-9-]/gi, '-')}-`));
  const directory = join(parent, 'checkout');
  try {
    await repository.run(['worktree', 'add', '--detach', '--quiet', directory, sha]);
  } catch (error) {
    await rm(parent, { recursive: true, force: true });
    throw error;
  }
  return { sha, directory, repository: new GitRepository(directory) };
}

/** Removes the worktree's directory and git's record of it; never throws (cleanup runs in `finally`). */
export async function removeWorktree(repository: GitRepository, worktree: Worktree): Promise<void> {
  await repository.exec(['worktree', 'remove', '--force', worktree.directory]);
  await rm(join(worktree.directory, '..'), { recursive: true, force: true });
  await repository.exec(['worktree', 'prune']);
}

/** Runs `task` with a worktree of each ref and always removes them afterwards. */
export async function withWorktrees<T>(repository: GitRepository, refs: readonly { ref: string; label: string }[], task: (worktrees: Worktree[]) => Promise<T>): Promise<T> {
  const created: Worktree[] = [];
  try {
    // One after another: `git worktree add` takes a lock on the repository's worktree list.
    for (const { ref, label } of refs) created.push(await addWorktree(repository, ref, label));
    return await task(created);
  } finally {
    for (const worktree of created) await removeWorktree(repository, worktree);
  }
}

/** Paths with uncommitted changes (`git status --porcelain`), for warnings. */
export async function uncommittedPaths(repository: GitRepository): Promise<string[]> {
  const output = await repository.run(['status', '--porcelain', '--untracked-files=no']);
  return output.split('\n').filter(Boolean).map((line) => line.slice(3));
}
