import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepository } from '../../src/git/git.js';
import { repositoryRoot, uncommittedPaths, withWorktrees } from '../../src/git/worktree.js';
import { GitopsRepo } from '../support/gitops-repo.js';

describe('git worktrees', () => {
  let repo: GitopsRepo;
  beforeAll(async () => {
    repo = await GitopsRepo.create({ repositoryUrl: 'http://127.0.0.1:1', environments: ['production'], releases: [] });
    await repo.write('README.md', 'second\n');
    await repo.commit('second');
  });
  afterAll(() => repo?.remove());

  it('checks out two commits side by side and always removes them', async () => {
    const git = new GitRepository(await repositoryRoot(repo.dir));
    let directories: string[] = [];
    await expect(
      withWorktrees(git, [{ ref: 'HEAD~1', label: 'base' }, { ref: 'HEAD', label: 'head' }], async (trees) => {
        directories = trees.map((t) => t.directory);
        expect(await stat(`${trees[0]!.directory}/README.md`).catch(() => undefined)).toBeUndefined();
        expect((await stat(`${trees[1]!.directory}/README.md`)).isFile()).toBe(true);
        expect(trees[1]!.sha).toBe(await git.revParse('HEAD'));
        throw new Error('task failed');
      }),
    ).rejects.toThrow('task failed');
    for (const directory of directories) expect(await stat(directory).catch(() => undefined)).toBeUndefined();
    expect((await git.run(['worktree', 'list'])).split('\n')).toHaveLength(1);
    expect(await uncommittedPaths(git)).toEqual([]);
  });

  it('names a ref that does not exist', async () => {
    const git = new GitRepository(repo.dir);
    await expect(withWorktrees(git, [{ ref: 'no-such-branch', label: 'base' }], async () => 1)).rejects.toThrow(/no-such-branch/);
  });
});
