import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommit } from '../../src/git/export-commit.js';
import { GitRepository } from '../../src/git/git.js';
import { repositoryRoot, uncommittedPaths } from '../../src/git/working-tree.js';
import { GitopsRepo } from '../support/gitops-repo.js';

describe('the working tree', () => {
  let repo: GitopsRepo;
  beforeAll(async () => {
    repo = await GitopsRepo.create({ repositoryUrl: 'http://127.0.0.1:1', environments: ['production'], releases: [] });
    await repo.write('README.md', 'second\n');
    await repo.commit('second');
  });
  afterAll(() => repo?.remove());

  it('finds the repository root from a subdirectory and lists uncommitted changes', async () => {
    expect(await repositoryRoot(join(repo.dir, 'helmfile'))).toBe(await repositoryRoot(repo.dir));
    const git = new GitRepository(repo.dir);
    expect(await uncommittedPaths(git)).toEqual([]);
    await repo.write('README.md', 'edited\n');
    expect(await uncommittedPaths(git)).toEqual(['README.md']);
    await repo.git('checkout', '--', 'README.md');
  });

  it('exports a commit without touching the checkout, index or worktree list', async () => {
    const target = await mkdtemp(join(tmpdir(), 'hydrate-export-'));
    try {
      await exportCommit(repo.dir, await new GitRepository(repo.dir).revParse('HEAD~1'), target);
      expect((await readdir(target)).sort()).toEqual(['environments', 'helmfile']);
      expect((await repo.git('worktree', 'list')).split('\n')).toHaveLength(1);
      expect(await repo.git('status', '--porcelain')).toBe('');
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  });
});
