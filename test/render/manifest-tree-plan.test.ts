import { describe, expect, it } from 'vitest';
import { ForeignFileError, planManifestTree, staleEnvironmentsOf } from '../../src/render/manifest-tree.js';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { fileDigest } from '../../src/render/ownership.js';

/** An environment with one file per path (`<environment>/<release>/<file>`), content the path itself. */
function environment(name: string, paths: string[], fingerprints: Record<string, string> = {}): EnvironmentManifests {
  const releases = [...new Set(paths.map((path) => path.split('/')[1]!))];
  return {
    environment: name,
    releases: releases.map((release) => ({
      release: { name: release, namespace: 'a', chart: 'c', version: '1', enabled: true, labels: '' },
      ...(fingerprints[release] ? { fingerprint: fingerprints[release] } : {}),
      resources: paths
        .filter((path) => path.split('/')[1] === release)
        .map((path) => ({
          key: { group: '', kind: 'ConfigMap', namespace: 'a', name: path },
          apiVersion: 'v1',
          environment: name,
          release,
          path,
          content: `${path}\n`,
          object: {},
          source: '',
        })),
    })),
  };
}

describe('planManifestTree', () => {
  const record = {
    environments: { staging: ['staging/app/configmap_a.yaml'], old: ['old/app/configmap_o.yaml'] },
    fingerprints: { staging: { app: 'f0' }, old: { app: 'f1' } },
  };
  const files = [
    '.helmfile-hydrate.json',
    'README.md',
    'old/app/configmap_o.yaml',
    'old/notes.md',
    'staging/app/configmap_a.yaml',
    'staging/kustomization.yaml',
    'staging/tools/run.sh',
  ];

  it('replaces rendered files, keeps the files render did not write, and removes environments', () => {
    const plan = planManifestTree({ files, record }, [environment('staging', ['staging/app/configmap_b.yaml'], { app: 'f2' })], {
      removeEnvironments: ['old'],
    });
    expect(plan.environments).toEqual([
      {
        environment: 'staging',
        resources: [{ path: 'app/configmap_b.yaml', content: 'staging/app/configmap_b.yaml\n' }],
        kept: ['kustomization.yaml', 'tools/run.sh'],
        keepDirectory: true,
      },
      { environment: 'old', resources: [], kept: ['notes.md'], keepDirectory: true },
    ]);
    expect(plan.record).toEqual({
      environments: { staging: ['staging/app/configmap_b.yaml'] },
      // The digest of each file written: a committed file that differs was edited by hand.
      digests: { 'staging/app/configmap_b.yaml': fileDigest('staging/app/configmap_b.yaml\n') },
      fingerprints: { staging: { app: 'f2' } },
    });
    // The record given is the tree before the write: it is left as it was.
    expect(record.environments.old).toEqual(['old/app/configmap_o.yaml']);
  });

  it('refuses a file render did not write under a release directory, before deciding anything', () => {
    const plan = () =>
      planManifestTree({ files: [...files, 'staging/app/secret-notes.txt'], record }, [
        environment('staging', ['staging/app/configmap_a.yaml']),
      ]);
    expect(plan).toThrow(ForeignFileError);
    expect(plan).toThrow('"staging/app/secret-notes.txt" is under a release directory');
  });

  it('without a record, owns the files named as render names them inside release directories', () => {
    const legacy = ['staging/app/configmap_a.yaml', 'staging/app/NOTES.txt', 'staging/other/deployment_x.yaml', 'staging/x.yaml'];
    expect(() =>
      planManifestTree({ files: legacy, record: undefined }, [environment('staging', ['staging/app/configmap_b.yaml'])]),
    ).toThrow('"staging/app/NOTES.txt"');
    const plan = planManifestTree({ files: legacy.filter((file) => !file.includes('NOTES')), record: undefined }, [
      environment('staging', ['staging/app/configmap_b.yaml']),
    ]);
    expect(plan.environments[0]!.kept).toEqual(['x.yaml']);
    expect(plan.record.environments).toEqual({ staging: ['staging/app/configmap_b.yaml'] });
    expect(staleEnvironmentsOf({ files: legacy, record: undefined }, ['production'])).toEqual(['staging']);
  });

  it('keeps the directory of a rendered environment with no resources, drops that of a removed one left empty', () => {
    const plan = planManifestTree(
      { files: ['gone/app/configmap_g.yaml'], record: { environments: { gone: ['gone/app/configmap_g.yaml'] } } },
      [environment('empty', [])],
      { removeEnvironments: ['gone', 'gone', 'empty'] },
    );
    expect(plan.environments.map(({ environment, keepDirectory }) => [environment, keepDirectory])).toEqual([
      ['empty', true],
      ['gone', false],
      ['gone', false],
    ]);
    expect(plan.environments[2]!.kept).toEqual([]);
    expect(plan.record.environments).toEqual({ empty: [] });
  });

  it('names the environments render wrote that are no longer declared', () => {
    expect(staleEnvironmentsOf({ files, record }, ['staging'])).toEqual(['old']);
  });
});
