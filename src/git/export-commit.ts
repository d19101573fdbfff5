import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnvironment } from '../tools/child-environment.js';
import { GitRepository } from './git.js';

/**
 * Writes every file of `commit` into `directory` (which must exist and be empty) using an index of
 * its own: the repository's checkout, index and worktree list stay untouched, and nothing needs
 * cleaning up in `.git` if the run is killed.
 */
export async function exportCommit(repository: string, commit: string, directory: string): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-index-'));
  try {
    const git = new GitRepository(repository, { ...childEnvironment(), GIT_INDEX_FILE: join(scratch, 'index') });
    await git.run(['read-tree', commit]);
    await git.run(['checkout-index', '--all', `--prefix=${directory.endsWith('/') ? directory : `${directory}/`}`]);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
