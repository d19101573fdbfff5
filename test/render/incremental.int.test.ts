import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { checkManifests, hydrate, type RenderToolchain } from '../../src/render/render.js';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { GitopsRepo } from '../support/gitops-repo.js';
import { testToolchain } from '../support/toolchain.js';
import { treeDigest } from '../support/tree-digest.js';

/** The releases a render actually rendered (the others kept their committed files). */
const rendered = (environments: readonly EnvironmentManifests[]) =>
  environments
    .flatMap((environment) =>
      environment.releases.filter((release) => release.origin === 'rendered').map((release) => release.release.name),
    )
    .sort();

describe('render only what changed', () => {
  let toolchain: Awaited<ReturnType<typeof testToolchain>>;
  let repo: GitopsRepo;
  const render = (chain: RenderToolchain = toolchain) =>
    hydrate({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir }, chain);
  const edit = async (path: string, change: (text: string) => string) =>
    repo.write(path, change(await readFile(join(repo.dir, path), 'utf8')));

  beforeAll(async () => {
    toolchain = await testToolchain();
    repo = await GitopsRepo.create({ repositoryUrl: inject('chartRepositoryUrl'), environments: ['staging'], releases: [] });
    await repo.write('charts/local/Chart.yaml', 'apiVersion: v2\nname: local\nversion: 0.1.0\n');
    await repo.write(
      'charts/local/templates/configmap.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\ndata:\n  greeting: hello\n',
    );
    await repo.write('environments/staging/common.yaml', stringify({ clusterId: 'cluster-a' }));
    await repo.write('environments/staging/web.yaml', stringify({ replicaCount: 1 }));
    await repo.write('environments/staging/csi.yaml.gotmpl', 'cluster:\n  id: {{ .Values.clusterId }}\n');
    await repo.write(
      'helmfile/helmfile.yaml.gotmpl',
      `${stringify({ environments: { staging: { values: ['../environments/staging/common.yaml'] } } })}---\n${stringify({
        repositories: [{ name: 'fixtures', url: inject('chartRepositoryUrl') }],
        releases: [
          { name: 'web', namespace: 'apps', chart: 'fixtures/webapp', version: '1.0.0', values: ['../environments/staging/web.yaml'] },
          {
            name: 'csi',
            namespace: 'storage',
            chart: 'fixtures/csi-driver',
            version: '2.0.0',
            values: ['../environments/staging/csi.yaml.gotmpl'],
          },
          { name: 'local', namespace: 'apps', chart: '../charts/local' },
        ],
      })}`,
    );
    expect(rendered(await render())).toEqual(['csi', 'local', 'web']);
  });
  afterAll(async () => {
    await repo?.remove();
    await toolchain?.remove();
  });

  it('renders nothing when no input changed, and writes the same bytes', async () => {
    const before = await treeDigest(repo.manifests);
    expect(rendered(await render())).toEqual([]);
    expect(await treeDigest(repo.manifests)).toEqual(before);
  });

  it('re-renders exactly the releases a change affects', async () => {
    await edit('environments/staging/web.yaml', () => stringify({ replicaCount: 3 }));
    expect(rendered(await render()), 'a values file').toEqual(['web']);
    await edit('environments/staging/common.yaml', () => stringify({ clusterId: 'cluster-b' }));
    expect(rendered(await render()), 'an environment value one release reads').toEqual(['csi']);
    await edit('charts/local/templates/configmap.yaml', (text) => text.replace('hello', 'bonjour'));
    expect(rendered(await render()), 'a file of a local chart').toEqual(['local']);
    await edit('helmfile/helmfile.yaml.gotmpl', (text) => text.replace('version: 1.0.0', 'version: 1.1.0'));
    expect(rendered(await render()), 'a chart version').toEqual(['web']);
    expect(rendered(await render({ ...toolchain, helm: { ...toolchain.helm, version: '9.9.9' } })), 'a tool version').toEqual([
      'csi',
      'local',
      'web',
    ]);
    expect(await readFile(join(repo.manifests, 'staging', 'local', 'configmap_apps_local.yaml'), 'utf8')).toContain('greeting: bonjour');
  });

  it('gives the bytes a full render gives', async () => {
    const incremental = await treeDigest(repo.manifests);
    const copy = await mkdtemp(join(tmpdir(), 'hydrate-full-'));
    try {
      await hydrate({ helmfile: repo.helmfile, outputDir: join(copy, 'manifests'), cwd: repo.dir, incremental: false }, toolchain);
      const full = await treeDigest(join(copy, 'manifests'));
      // The records differ only where the rendered files would: compare the resources.
      const resources = (files: Record<string, string>) =>
        Object.fromEntries(Object.entries(files).filter(([path]) => !path.startsWith('.')));
      expect(resources(full)).toEqual(resources(incremental));
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('render --check catches a hand-edited committed manifest, naming the file', async () => {
    expect(await checkManifests({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir }, toolchain)).toEqual([]);
    const path = join(repo.manifests, 'staging', 'local', 'configmap_apps_local.yaml');
    await writeFile(path, (await readFile(path, 'utf8')).replace('bonjour', 'hand-edited'));
    // The fingerprint still matches, so an incremental render would keep the edit; the check renders everything.
    expect(await checkManifests({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir }, toolchain)).toEqual([
      { path: 'staging/local/configmap_apps_local.yaml', problem: 'differs' },
    ]);
  });

  it("never keeps a hand edit: the next render renders that release again and writes helm's bytes back, naming the file", async () => {
    await render();
    const path = join(repo.manifests, 'staging', 'local', 'configmap_apps_local.yaml');
    const helmBytes = await readFile(path, 'utf8');
    await writeFile(path, helmBytes.replace(/^data:$/m, 'data:\n  tuned: by-hand'));
    const messages: string[] = [];
    const environments = await hydrate({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir }, toolchain, (event) =>
      messages.push(`${event.environment}: ${event.message}`),
    );
    expect(rendered(environments)).toEqual(['local']);
    expect(messages).toContain(
      'staging: rendering 1 of 3 release(s); 2 unchanged since the committed manifests; not as rendered (edited by hand), written ' +
        'again: staging/local/configmap_apps_local.yaml',
    );
    expect(await readFile(path, 'utf8')).toBe(helmBytes);
    expect(await checkManifests({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir }, toolchain)).toEqual([]);
  });
});
