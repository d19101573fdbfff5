import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvironmentManifests } from '../../src/render/documents.js';
import { OWNERSHIP_FILE } from '../../src/render/ownership.js';
import { readManifestTree, type ManifestFileProblem } from '../../src/render/committed-manifests.js';
import { writeManifestTree } from '../../src/render/manifest-tree.js';

const release = (name: string) => ({ name, namespace: 'apps', chart: `fixtures/${name}`, version: '1.0.0', enabled: true, labels: '' });

describe('readManifestTree', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hydrate-committed-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads written manifests back to the same paths, bytes and objects (key order included)', async () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    a: b\ndata:\n  x: "1"\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: "system:reader"\n';
    const rendered = buildEnvironmentManifests('staging', [{ release: release('web'), files: [{ path: 'web/templates/all.yaml', text }] }]);
    await writeManifestTree(join(dir, 'manifests'), [rendered]);
    const [read] = await readManifestTree(join(dir, 'manifests'));
    const view = (resources: (typeof rendered.releases)[0]['resources']) =>
      resources.map((r) => ({ key: r.key, path: r.path, content: r.content, keys: JSON.stringify(r.object) }));
    expect(view(read!.releases[0]!.resources)).toEqual(view(rendered.releases[0]!.resources));
  });

  it('reads only the files render wrote when the ownership record lists them', async () => {
    await writeFile(join(dir, 'manifests/staging/web/hand-written.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: by-hand\n');
    const [read] = await readManifestTree(join(dir, 'manifests'));
    expect(read!.releases[0]!.resources.map((r) => r.key.name)).toEqual(['settings', 'system:reader']);
    await rm(join(dir, 'manifests/staging/web/hand-written.yaml'));
  });

  it('fails on a bad file naming it, or reports every bad file to a problem handler', async () => {
    // Without a record (a tree written by an older version) every .yaml file in a release directory is read.
    await rm(join(dir, 'manifests', OWNERSHIP_FILE));
    await writeFile(join(dir, 'manifests/staging/web/broken.yaml'), 'apiVersion: v1\nkind: [\n');
    await writeFile(
      join(dir, 'manifests/staging/web/twice.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: twice\n  name: again\n',
    );
    await expect(readManifestTree(join(dir, 'manifests'))).rejects.toThrow(
      /environment "staging", release "web", file staging\/web\/broken.yaml: invalid YAML/,
    );
    const problems: ManifestFileProblem[] = [];
    const [read] = await readManifestTree(join(dir, 'manifests'), undefined, { onProblem: (problem) => problems.push(problem) });
    expect(problems.map((p) => [p.path, p.problem])).toEqual([
      ['staging/web/broken.yaml', 'invalid-yaml'],
      ['staging/web/twice.yaml', 'duplicate-keys'],
    ]);
    expect(read!.releases[0]!.resources.map((r) => r.key.name)).toEqual(['again', 'settings', 'system:reader']);
  });
});
