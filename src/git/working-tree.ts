import { GitRepository } from './git.js';

/** The top directory of the repository that contains `directory`. */
export async function repositoryRoot(directory: string): Promise<string> {
  return new GitRepository(directory).run(['rev-parse', '--show-toplevel']);
}

/** Paths with uncommitted changes (`git status --porcelain`), for warnings. */
export async function uncommittedPaths(repository: GitRepository): Promise<string[]> {
  const output = await repository.run(['status', '--porcelain', '--untracked-files=no']);
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
}
