import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GitRepository } from '../git/git.js';
import { repositoryRoot } from '../git/working-tree.js';
import { readRepositoryPins, readRepositoryPinsAt } from '../tools/repository-pins-file.js';
import { type RepositoryPins } from '../tools/repository-pins.js';

/**
 * The pin file of the repository being rendered, as the working tree holds it: at the root of the
 * git repository that holds the helmfile (outside git, in the current directory).
 */
export async function checkoutPins(helmfile: string, cwd: string = process.cwd()): Promise<RepositoryPins | undefined> {
  const path = resolve(cwd, helmfile);
  const directory = await stat(path).then(
    (info) => (info.isDirectory() ? path : dirname(path)),
    () => cwd,
  );
  return readRepositoryPins(await repositoryRoot(directory).catch(() => cwd));
}

/** The pin file as the commit `diff` renders for its head holds it. */
export function commitPins(root: string, commit: string): Promise<RepositoryPins | undefined> {
  return readRepositoryPinsAt(new GitRepository(root), commit);
}
