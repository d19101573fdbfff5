import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommit } from '../../src/git/export-commit.js';
import { GitRepository } from '../../src/git/git.js';
import { ManifestStage } from '../../src/git/manifest-stage.js';
import { classifyPushFailure, pushWithLease } from '../../src/git/push.js';
import { ensureCommits } from '../../src/git/revisions.js';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { fileDigest, formatOwnershipRecord } from '../../src/render/ownership.js';
import { git, writeFiles } from '../action/action-harness.js';

const identity = { name: 'hydrate-bot', email: 'bot@example.com' };

function manifests(files: Record<string, string>): EnvironmentManifests[] {
  const resources = Object.entries(files).map(([path, content]) => {
    const name = path.split('/')[2]!.replace('.yaml', '');
    return {
      key: { group: '', kind: 'ConfigMap', namespace: 'a', name },
      apiVersion: 'v1',
      environment: 'staging',
      release: 'app',
      path,
      content,
      object: {},
      source: '',
    };
  });
  return [
    {
      environment: 'staging',
      releases: [{ release: { name: 'app', namespace: 'a', chart: 'c', version: '1', enabled: true, labels: '' }, resources }],
    },
  ];
}
const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: a\ndata:\n  v: "${value}"\n`;

describe('manifests commit with git plumbing', () => {
  let root: string;
  let origin: string;
  let work: string;
  let head: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hydrate-git-'));
    origin = join(root, 'origin.git');
    work = join(root, 'work');
    await git(root, 'init', '--quiet', '--initial-branch=main', work);
    await writeFiles(work, {
      'README.md': 'x\n',
      'manifests/staging/app/one.yaml': configMap('one', '1'),
      'manifests/production/app/p.yaml': configMap('p', '1'),
      // render's record of the files it wrote (only those are replaced)
      'manifests/.helmfile-hydrate.json': formatOwnershipRecord({
        environments: { staging: ['staging/app/one.yaml'], production: ['production/app/p.yaml'] },
        digests: { 'staging/app/one.yaml': fileDigest(configMap('one', '1')), 'production/app/p.yaml': fileDigest(configMap('p', '1')) },
      }),
      '.gitignore': 'manifests/**/secret*\n',
    });
    await git(work, 'add', '--all');
    await git(work, 'commit', '--quiet', '-m', 'initial');
    head = await git(work, 'rev-parse', 'HEAD');
    await git(root, 'clone', '--quiet', '--bare', work, origin);
    await git(work, 'remote', 'add', 'origin', origin);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('commits only the output directory on top of the head, leaving the checkout alone, and pushes with a lease on the head', async () => {
    await writeFiles(work, { 'README.md': 'uncommitted edit\n' });
    const stage = await ManifestStage.open(work, head, 'manifests');
    try {
      expect((await stage.readCommitted(['staging']))[0]!.releases[0]!.resources.map((r) => r.key.name)).toEqual(['one']);
      await stage.write(
        manifests({ 'staging/app/two.yaml': configMap('two', '2'), 'staging/app/secret-x.yaml': configMap('secret-x', '3') }),
      );
      expect(await stage.stage()).toEqual([
        { status: 'M', path: 'manifests/.helmfile-hydrate.json' },
        { status: 'D', path: 'manifests/staging/app/one.yaml' },
        { status: 'A', path: 'manifests/staging/app/secret-x.yaml' },
        { status: 'A', path: 'manifests/staging/app/two.yaml' },
      ]);
      const commit = await stage.commit('hydrate\n', identity);
      const repo = new GitRepository(work);
      expect(await git(work, 'log', '-1', '--format=%P|%an|%ce|%s', commit)).toBe(`${head}|hydrate-bot|bot@example.com|hydrate`);
      expect(await pushWithLease(repo, commit, 'main', head)).toEqual({ status: 'pushed' });
      expect(await git(origin, 'rev-parse', 'main')).toBe(commit);
      // The workspace is untouched: same HEAD, index and uncommitted edit.
      expect(await git(work, 'rev-parse', 'HEAD')).toBe(head);
      expect(await git(work, 'status', '--porcelain')).toBe(' M README.md');
      expect(await git(work, 'config', '--list', '--local')).not.toMatch(/user\./);
      // A second push of a commit on the old head: the branch no longer points at it.
      const older = await ManifestStage.open(work, head, 'manifests');
      let stale: string;
      try {
        await older.write(manifests({ 'staging/app/three.yaml': configMap('three', '3') }));
        await older.stage();
        stale = await older.commit('stale\n', identity);
      } finally {
        await older.remove();
      }
      expect(await pushWithLease(repo, stale, 'main', head)).toMatchObject({ status: 'branch-moved', change: 'moved', now: commit });
      expect(await git(origin, 'rev-parse', 'main')).toBe(commit);
    } finally {
      await stage.remove();
    }
  });

  it('pushes nothing to a branch rewound to an ancestor or deleted, though either push would be a fast-forward', async () => {
    const lease = join(root, 'lease.git');
    await git(root, 'clone', '--quiet', '--bare', work, lease);
    const repo = new GitRepository(work);
    await writeFiles(work, { 'feature.txt': 'a\n' });
    await git(work, 'add', 'feature.txt');
    await git(work, 'commit', '--quiet', '-m', 'feature');
    const rendered = await git(work, 'rev-parse', 'HEAD');
    await git(work, 'push', '--quiet', lease, `${rendered}:refs/heads/topic`);
    const stage = await ManifestStage.open(work, rendered, 'manifests');
    let commit: string;
    try {
      await stage.write(manifests({ 'staging/app/four.yaml': configMap('four', '4') }));
      await stage.stage();
      commit = await stage.commit('hydrate\n', identity);
    } finally {
      await stage.remove();
    }
    // The author drops the feature commit: the branch goes back to its parent.
    await git(work, 'push', '--quiet', '--force', lease, `${rendered}^:refs/heads/topic`);
    expect(await pushWithLease(repo, commit, 'topic', rendered, { remote: lease })).toMatchObject({
      status: 'branch-moved',
      change: 'rewound',
      now: head,
      detail: '[rejected] (stale info)',
    });
    expect(await git(lease, 'rev-parse', 'topic')).toBe(head);
    // The pull request was merged or closed and its branch deleted.
    await git(work, 'push', '--quiet', lease, ':refs/heads/topic');
    expect(await pushWithLease(repo, commit, 'topic', rendered, { remote: lease })).toMatchObject({
      status: 'branch-moved',
      change: 'deleted',
    });
    expect(await git(lease, 'for-each-ref', 'refs/heads/topic')).toBe('');
    // Back where it was rendered: the push goes through.
    await git(work, 'push', '--quiet', lease, `${rendered}:refs/heads/topic`);
    expect(await pushWithLease(repo, commit, 'topic', rendered, { remote: lease })).toEqual({ status: 'pushed' });
    expect(await git(lease, 'rev-parse', 'topic')).toBe(commit);
    await git(work, 'reset', '--quiet', '--hard', head);
  });

  it('finds nothing to stage when the manifests are the same, and refuses an empty commit', async () => {
    const stage = await ManifestStage.open(work, head, 'manifests');
    try {
      await stage.write(manifests({ 'staging/app/one.yaml': configMap('one', '1') }));
      expect(await stage.stage()).toEqual([]);
      await expect(stage.commit('x', identity)).rejects.toThrow('refusing to make an empty commit');
    } finally {
      await stage.remove();
    }
  });

  it('exports a commit and fetches missing commits by SHA into a shallow clone', async () => {
    const shallow = join(root, 'shallow');
    await git(root, 'init', '--quiet', shallow);
    await git(shallow, 'remote', 'add', 'origin', origin);
    await git(shallow, 'fetch', '--quiet', '--depth=1', 'origin', 'main');
    const repo = new GitRepository(shallow);
    expect(await ensureCommits(repo, [head])).toEqual([head]);
    expect(await ensureCommits(repo, [head])).toEqual([]);
    await expect(ensureCommits(repo, ['0'.repeat(40)])).rejects.toThrow(/could not be fetched from origin/);
    const out = await mkdtemp(join(root, 'export-'));
    await exportCommit(shallow, head, out);
    expect(await readFile(join(out, 'manifests/staging/app/one.yaml'), 'utf8')).toBe(configMap('one', '1'));
  });
});

describe('classifyPushFailure', () => {
  it('tells a moved branch from a refusal', () => {
    expect(classifyPushFailure('To o.git\n!\tabc:refs/heads/x\t[rejected] (fetch first)\nDone')).toEqual({
      status: 'branch-moved',
      change: 'moved',
      detail: '[rejected] (fetch first)',
    });
    expect(classifyPushFailure('!\tabc:refs/heads/x\t[remote rejected] (protected branch hook declined)')).toEqual({
      status: 'rejected',
      detail: '[remote rejected] (protected branch hook declined)',
    });
  });
});
