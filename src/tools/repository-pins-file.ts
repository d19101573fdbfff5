import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitRepository } from '../git/git.js';
import { parseRepositoryPins, REPOSITORY_PINS_FILE, type RepositoryPins } from './repository-pins.js';

/** The pin file at the root of a checkout (the working tree as it is); undefined when there is none. */
export async function readRepositoryPins(root: string): Promise<RepositoryPins | undefined> {
  const path = join(root, REPOSITORY_PINS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseRepositoryPins(text, path);
}

/**
 * The pin file as `commit` holds it (`git show <commit>:.helmfile-hydrate.yaml`); undefined when
 * the commit has none. `label` names the commit in messages (a branch, or the short SHA).
 */
export async function readRepositoryPinsAt(
  git: GitRepository,
  commit: string,
  label = commit.slice(0, 12),
): Promise<RepositoryPins | undefined> {
  // ls-tree fails for a commit git does not have, and prints nothing for a file the commit does not hold.
  const listed = await git.run(['ls-tree', '--name-only', commit, '--', REPOSITORY_PINS_FILE]);
  if (!listed.trim()) return undefined;
  const text = await git.run(['show', `${commit}:${REPOSITORY_PINS_FILE}`]);
  return parseRepositoryPins(text, `${REPOSITORY_PINS_FILE} on ${label}`);
}
