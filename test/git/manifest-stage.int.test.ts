import { chmod, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepository } from '../../src/git/git.js';
import { ManifestStage, type StagedChange } from '../../src/git/manifest-stage.js';
import { ForeignFileError, staleEnvironments, writeManifestTree, type WriteManifestTreeOptions } from '../../src/render/manifest-tree.js';
import { readManifestTree } from '../../src/render/committed-manifests.js';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { formatOwnershipRecord } from '../../src/render/ownership.js';
import { childEnvironment } from '../../src/tools/child-environment.js';
import { git, writeFiles } from '../action/action-harness.js';

const identity = { name: 'hydrate-bot', email: 'bot@example.com' };
const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: a\ndata:\n  v: "${value}"\n`;

/** Rendered environments from `{ '<environment>/<release>/<file>': content }`. */
function rendered(files: Record<string, string>): EnvironmentManifests[] {
  const environments = [...new Set(Object.keys(files).map((path) => path.split('/')[0]!))];
  return environments.map((environment) => {
    const paths = Object.keys(files).filter((path) => path.startsWith(`${environment}/`));
    const releases = [...new Set(paths.map((path) => path.split('/')[1]!))];
    return {
      environment,
      releases: releases.map((release) => ({
        release: { name: release, namespace: 'a', chart: 'c', version: '1', enabled: true, labels: '' },
        fingerprint: `${release}-fingerprint`,
        resources: paths
          .filter((path) => path.split('/')[1] === release)
          .map((path) => ({
            key: { group: '', kind: 'ConfigMap', namespace: 'a', name: path.split('/')[2]! },
            apiVersion: 'v1',
            environment,
            release,
            path,
            content: files[path]!,
            object: {},
            source: '',
          })),
      })),
    };
  });
}

interface Outcome {
  changes: StagedChange[];
  tree: string;
}

/** What the commit phase did before ManifestStage staged in its index: a checkout of the output directory, written and `git add`ed. */
async function byWorkTree(
  work: string,
  parent: string,
  environments: EnvironmentManifests[],
  options: WriteManifestTreeOptions,
): Promise<Outcome & { stale: string[] }> {
  const directory = await mkdtemp(join(tmpdir(), 'hydrate-worktree-route-'));
  try {
    const repository = new GitRepository(work, { ...childEnvironment(), GIT_INDEX_FILE: join(directory, 'index') });
    const tree = join(directory, 'tree');
    await mkdir(tree);
    await repository.run(['read-tree', parent]);
    await repository.run([`--work-tree=${tree}`, 'checkout', parent, '--', 'manifests']);
    const stale = await staleEnvironments(join(tree, 'manifests'), ['staging', 'production']);
    await writeManifestTree(join(tree, 'manifests'), environments, options);
    await repository.run([`--work-tree=${tree}`, 'add', '--all', '--force', '--', 'manifests']);
    const status = await repository.run(['diff', '--cached', '--no-renames', '--name-status', parent]);
    const changes = status
      .split('\n')
      .filter(Boolean)
      .map((line) => ({ status: line.split('\t')[0]!, path: line.split('\t')[1]! }));
    return { changes, tree: await repository.run(['write-tree']), stale };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The same through ManifestStage: staged in its own index, committed when anything changed. */
async function byIndex(
  work: string,
  parent: string,
  environments: EnvironmentManifests[],
  options: WriteManifestTreeOptions,
): Promise<Outcome & { stale: string[] }> {
  const stage = await ManifestStage.open(work, parent, 'manifests');
  try {
    const stale = await stage.staleEnvironments(['staging', 'production']);
    await stage.write(environments, options);
    const changes = await stage.stage();
    const commit = changes.length > 0 ? await stage.commit('hydrate\n', identity) : parent;
    return { changes, tree: await git(work, 'rev-parse', `${commit}^{tree}`), stale };
  } finally {
    await stage.remove();
  }
}

describe.each(['sha1', 'sha256'])('ManifestStage in a %s repository', (objectFormat) => {
  let root: string;
  let work: string;
  let parent: string;
  let legacy: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hydrate-stage-'));
    work = join(root, 'work');
    await git(root, 'init', '--quiet', `--object-format=${objectFormat}`, '--initial-branch=main', work);
    await writeFiles(work, {
      'README.md': 'x\n',
      '.gitignore': 'manifests/**/secret*\n',
      'manifests/README.md': 'rendered by helmfile-hydrate\n',
      'manifests/staging/app/configmap_one.yaml': configMap('one', '1'),
      'manifests/staging/app/configmap_two.yaml': configMap('two', 'é'),
      'manifests/staging/kustomization.yaml': 'resources: []\n',
      'manifests/staging/tools/check.sh': '#!/bin/sh\nexit 0\n',
      'manifests/production/app/configmap_p.yaml': configMap('p', '1'),
      'manifests/old/app/configmap_o.yaml': configMap('o', '1'),
      'manifests/old/notes.md': 'kept when old goes\n',
    });
    await chmod(join(work, 'manifests/staging/tools/check.sh'), 0o755);
    await symlink('kustomization.yaml', join(work, 'manifests/staging/current'));
    // A rendered file someone replaced with a link: read through it, as from a checkout, and replaced by the next write.
    await symlink('configmap_one.yaml', join(work, 'manifests/staging/app/configmap_link.yaml'));
    await git(work, 'add', '--all');
    await git(work, 'commit', '--quiet', '-m', 'before ownership records');
    legacy = await git(work, 'rev-parse', 'HEAD');
    await writeFiles(work, {
      'manifests/.helmfile-hydrate.json': formatOwnershipRecord({
        environments: {
          staging: ['staging/app/configmap_link.yaml', 'staging/app/configmap_one.yaml', 'staging/app/configmap_two.yaml'],
          production: ['production/app/configmap_p.yaml'],
          old: ['old/app/configmap_o.yaml'],
        },
        fingerprints: { staging: { app: 'app-fingerprint' }, production: { app: 'app-fingerprint' } },
      }),
    });
    await git(work, 'add', '--all');
    await git(work, 'commit', '--quiet', '-m', 'initial');
    parent = await git(work, 'rev-parse', 'HEAD');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const bump = rendered({
    'staging/app/configmap_one.yaml': configMap('one', '2'),
    'staging/app/configmap_three.yaml': configMap('three', 'ü'),
    'staging/app/secret_x.yaml': configMap('secret-x', '3'),
  });

  it('stages byte for byte the tree the work tree route committed: removed environment, kept, executable and linked files', async () => {
    for (const commit of [parent, legacy]) {
      const expected = await byWorkTree(work, commit, bump, { removeEnvironments: ['old'] });
      const actual = await byIndex(work, commit, bump, { removeEnvironments: ['old'] });
      expect(actual).toEqual(expected);
      expect(actual.stale).toEqual(['old']);
    }
    const { changes, tree } = await byIndex(work, parent, bump, { removeEnvironments: ['old'] });
    expect(changes).toEqual([
      { status: 'M', path: 'manifests/.helmfile-hydrate.json' },
      { status: 'D', path: 'manifests/old/app/configmap_o.yaml' },
      { status: 'D', path: 'manifests/staging/app/configmap_link.yaml' },
      { status: 'M', path: 'manifests/staging/app/configmap_one.yaml' },
      { status: 'A', path: 'manifests/staging/app/configmap_three.yaml' },
      { status: 'D', path: 'manifests/staging/app/configmap_two.yaml' },
      { status: 'A', path: 'manifests/staging/app/secret_x.yaml' },
    ]);
    const listing = await git(work, 'ls-tree', '-r', tree, '--', 'manifests/staging/current', 'manifests/staging/tools', 'manifests/old');
    expect(listing.split('\n').map((line) => `${line.split(' ')[0]} ${line.split('\t')[1]}`)).toEqual([
      '100644 manifests/old/notes.md',
      '120000 manifests/staging/current',
      '100755 manifests/staging/tools/check.sh',
    ]);
  });

  it('reads the committed manifests as they read from a checkout', async () => {
    for (const commit of [parent, legacy]) {
      const checkout = await mkdtemp(join(root, 'checkout-'));
      await git(work, `--work-tree=${checkout}`, 'checkout', commit, '--', 'manifests');
      await git(work, 'reset', '--quiet');
      const stage = await ManifestStage.open(work, commit, 'manifests');
      try {
        const environments = ['staging', 'old', 'missing'];
        expect(await stage.readCommitted(environments)).toEqual(await readManifestTree(join(checkout, 'manifests'), environments));
      } finally {
        await stage.remove();
      }
    }
  });

  it('finds nothing to stage when a render writes what is committed, and refuses an empty commit', async () => {
    const stage = await ManifestStage.open(work, parent, 'manifests');
    let rendered: string;
    try {
      await stage.write(bump, { removeEnvironments: ['old'] });
      expect(await stage.stage()).not.toEqual([]);
      rendered = await stage.commit('hydrate\n', identity);
      // A second write of the same render on the same stage changes nothing more.
      await stage.write(bump, { removeEnvironments: ['old'] });
      expect(await git(work, 'rev-parse', `${rendered}^{tree}`)).toBe(
        await stage.commit('again\n', identity).then((sha) => git(work, 'rev-parse', `${sha}^{tree}`)),
      );
    } finally {
      await stage.remove();
    }
    const expected = await byWorkTree(work, rendered, bump, {});
    expect(await byIndex(work, rendered, bump, {})).toEqual(expected);
    expect(expected.changes).toEqual([]);
    const again = await ManifestStage.open(work, rendered, 'manifests');
    try {
      await again.write(bump);
      await expect(again.commit('x', identity)).rejects.toThrow('refusing to make an empty commit');
    } finally {
      await again.remove();
    }
  });

  it('stages nothing when a release directory holds a file render did not write', async () => {
    await writeFiles(work, { 'manifests/staging/app/notes.txt': 'mine\n' });
    await git(work, 'add', '--all');
    await git(work, 'commit', '--quiet', '-m', 'a note among the manifests');
    const withForeign = await git(work, 'rev-parse', 'HEAD');
    await expect(byWorkTree(work, withForeign, bump, {})).rejects.toThrow(ForeignFileError);
    const stage = await ManifestStage.open(work, withForeign, 'manifests');
    try {
      await expect(stage.write(bump)).rejects.toThrow('"staging/app/notes.txt" is under a release directory');
      expect(await stage.stage()).toEqual([]);
    } finally {
      await stage.remove();
    }
  });
});
