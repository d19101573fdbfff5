import { join } from 'node:path';
import { withTemporaryDirectory } from '../fs/temporary-directory.js';
import { childEnvironment } from '../tools/child-environment.js';
import { GitRepository } from './git.js';

/**
 * Writes every file of `commit` into `directory` (which must exist and be empty) using an index of
 * its own: the repository's checkout, index and worktree list stay untouched, and nothing needs
 * cleaning up in `.git` if the run is killed.
 */
export function exportCommit(repository: string, commit: string, directory: string): Promise<void> {
  return withTemporaryDirectory('helmfile-hydrate-index-', async (scratch) => {
    const git = new GitRepository(repository, { ...childEnvironment(), GIT_INDEX_FILE: join(scratch, 'index') });
    await git.run(['read-tree', commit]);
    await git.run(['checkout-index', '--all', `--prefix=${directory.endsWith('/') ? directory : `${directory}/`}`]);
  });
}
