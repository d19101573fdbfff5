import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hydrate } from '../../src/render/render.js';
import { renderErrorsOf } from '../../src/render/errors.js';
import { GitopsRepo, type FixtureRelease, type FixtureRepoSpec } from '../support/gitops-repo.js';
import { testToolchain } from '../support/toolchain.js';
import { treeDigest } from '../support/tree-digest.js';

type Toolchain = Awaited<ReturnType<typeof testToolchain>>;

const releases: FixtureRelease[] = [
  { name: 'web', namespace: 'apps', chart: 'webapp', version: '1.0.0', valuesByEnvironment: { production: { replicaCount: 2 } } },
  { name: 'csi', namespace: 'storage', chart: 'csi-driver', version: '2.0.0' },
  { name: 'widgets', namespace: 'operators', chart: 'widget-operator', version: '0.1.0' },
];

describe('render with the real helmfile', () => {
  let toolchain: Toolchain;
  let repo: GitopsRepo;
  let spec: FixtureRepoSpec;
  const render = () => hydrate({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir }, toolchain);

  beforeAll(async () => {
    toolchain = await testToolchain();
    spec = { repositoryUrl: inject('chartRepositoryUrl'), environments: ['staging', 'production'], releases };
    repo = await GitopsRepo.create(spec);
  });
  afterAll(async () => {
    await repo?.remove();
    await toolchain?.remove();
  });

  it('writes one file per resource per environment and release', async () => {
    const environments = await render();
    expect(environments.map((e) => e.environment)).toEqual(['staging', 'production']);
    const files = Object.keys(await treeDigest(repo.manifests)).sort();
    expect(files.filter((f) => f.startsWith('staging/'))).toEqual([
      'staging/csi/configmap_storage_csi-config.yaml',
      'staging/csi/csidriver.storage.k8s.io_block.csi.example.com.yaml',
      'staging/csi/daemonset.apps_storage_csi-nodeplugin.yaml',
      'staging/csi/serviceaccount_storage_csi-nodeplugin.yaml',
      'staging/csi/storageclass.storage.k8s.io_block.yaml',
      'staging/web/configmap_apps_web-webapp.yaml',
      'staging/web/deployment.apps_apps_web-webapp.yaml',
      'staging/web/secret_apps_web-webapp.yaml',
      'staging/web/service_apps_web-webapp.yaml',
      'staging/widgets/clusterrole.rbac.authorization.k8s.io_widgets%3Amanager.yaml',
      'staging/widgets/clusterrolebinding.rbac.authorization.k8s.io_widgets%3Amanager.yaml',
      'staging/widgets/customresourcedefinition.apiextensions.k8s.io_widgets.example.com.yaml',
      'staging/widgets/deployment.apps_operators_widgets.yaml',
      'staging/widgets/serviceaccount_operators_widgets.yaml',
      'staging/widgets/widget.example.com_operators_default.yaml',
    ]);
    // Test hooks are not part of the desired state.
    expect(files.some((f) => f.includes('test-connection'))).toBe(false);
    const service = await readFile(join(repo.manifests, 'staging/web/service_apps_web-webapp.yaml'), 'utf8');
    expect(service).toMatch(
      /^# Source: webapp\/templates\/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n {2}name: web-webapp\n {2}namespace: apps\n {2}labels:\n/,
    );
    expect(service.endsWith('\n')).toBe(true);
    const storageClass = await readFile(join(repo.manifests, 'staging/csi/storageclass.storage.k8s.io_block.yaml'), 'utf8');
    expect(storageClass).not.toMatch(/namespace:/);
  });

  it('renders twice to byte-identical files', async () => {
    const first = await treeDigest(repo.manifests);
    await render();
    expect(await treeDigest(repo.manifests)).toEqual(first);
    await repo.commit('hydrate');
    await render();
    expect(await repo.git('status', '--porcelain')).toBe('');
  });

  it('keeps every committed file when a release fails, and names the release, chart and helm error', async () => {
    const before = await treeDigest(repo.manifests);
    await repo.writeSpec({ ...spec, releases: releases.map((r) => (r.name === 'web' ? { ...r, version: '9.9.9' } : r)) });
    const failure = await render().catch((error: unknown) => error);
    expect(renderErrorsOf(failure)).toBeDefined();
    const message = (failure as Error).message;
    expect(message).toMatch(/environment "(staging|production)", release "web", chart "fixtures\/webapp"/);
    expect(message).toMatch(/9\.9\.9/);
    expect(await treeDigest(repo.manifests)).toEqual(before);
    await repo.writeSpec(spec);
  });

  it('removes stale files of a release that still renders', async () => {
    await repo.writeSpec({
      ...spec,
      releases: releases.map((r) => (r.name === 'web' ? { ...r, version: '1.1.0', values: { replicaCount: 2 } } : r)),
    });
    await render();
    const withPdb = Object.keys(await treeDigest(repo.manifests));
    expect(withPdb).toContain('staging/web/poddisruptionbudget.policy_apps_web-webapp.yaml');
    await repo.writeSpec({
      ...spec,
      releases: releases.map((r) => (r.name === 'web' ? { ...r, version: '1.1.0', values: { replicaCount: 1 } } : r)),
    });
    await render();
    expect(Object.keys(await treeDigest(repo.manifests))).not.toContain('staging/web/poddisruptionbudget.policy_apps_web-webapp.yaml');
    await repo.writeSpec(spec);
    await render();
  });

  it('removes the directory of a release that left the helmfile, or was uninstalled', async () => {
    await repo.writeSpec({ ...spec, releases: releases.filter((r) => r.name !== 'csi') });
    await render();
    let files = Object.keys(await treeDigest(repo.manifests));
    expect(files.some((f) => f.startsWith('staging/csi/'))).toBe(false);
    expect(files.some((f) => f.startsWith('staging/web/'))).toBe(true);
    await repo.writeSpec({ ...spec, releases: releases.map((r) => (r.name === 'widgets' ? { ...r, installed: false } : r)) });
    await render();
    files = Object.keys(await treeDigest(repo.manifests));
    expect(files.some((f) => f.startsWith('production/widgets/'))).toBe(false);
    expect(files.some((f) => f.startsWith('production/csi/'))).toBe(true);
    await repo.writeSpec(spec);
    await render();
  });

  it('keeps the committed directory of a release that renders nothing and fails', async () => {
    const before = await treeDigest(repo.manifests);
    await repo.write('helmfile/charts/placeholder/Chart.yaml', 'apiVersion: v2\nname: placeholder\nversion: 0.1.0\n');
    await repo.write('helmfile/charts/placeholder/templates/NOTES.txt', 'nothing to see\n');
    await repo.writeSpec({ ...spec, releases: [...releases, { name: 'placeholder', namespace: 'apps', chart: './charts/placeholder' }] });
    await expect(render()).rejects.toThrow(/release "placeholder", chart "\.\/charts\/placeholder": the release renders no resources/);
    expect(await treeDigest(repo.manifests)).toEqual(before);
    await repo.writeSpec(spec);
  });

  it('refuses a resource whose name would escape manifests/', async () => {
    const before = await treeDigest(repo.manifests);
    await repo.write('helmfile/charts/escape/Chart.yaml', 'apiVersion: v2\nname: escape\nversion: 0.1.0\n');
    await repo.write(
      'helmfile/charts/escape/templates/cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ../../../../tmp/owned\n',
    );
    await repo.writeSpec({ ...spec, releases: [...releases, { name: 'escape', namespace: 'apps', chart: './charts/escape' }] });
    await expect(render()).rejects.toThrow(/release "escape".*unsafe name of ConfigMap "..\/..\/..\/..\/tmp\/owned"/);
    expect(await treeDigest(repo.manifests)).toEqual(before);
    await repo.writeSpec(spec);
  });

  it('refuses the same resource rendered by two releases, naming both', async () => {
    await repo.writeSpec({
      ...spec,
      releases: [...releases, { name: 'widgets-two', namespace: 'operators', chart: 'widget-operator', version: '0.1.0' }],
    });
    await expect(render()).rejects.toThrow(
      /CustomResourceDefinition.apiextensions.k8s.io widgets.example.com is rendered by both release "widgets" and release "widgets-two"/,
    );
    await repo.writeSpec(spec);
  });
});

describe('render for a chosen Kubernetes version', () => {
  it('passes the version to charts as .Capabilities.KubeVersion', async () => {
    const toolchain = await testToolchain();
    const repo = await GitopsRepo.create({ repositoryUrl: inject('chartRepositoryUrl'), environments: ['staging'], releases: [] });
    try {
      await repo.write('helmfile/charts/versioned/Chart.yaml', 'apiVersion: v2\nname: versioned\nversion: 0.1.0\n');
      await repo.write(
        'helmfile/charts/versioned/templates/cm.yaml',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: versioned\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n',
      );
      await repo.writeSpec({
        repositoryUrl: inject('chartRepositoryUrl'),
        environments: ['staging'],
        releases: [{ name: 'versioned', namespace: 'x', chart: './charts/versioned' }],
      });
      for (const version of ['1.34.2', '1.35.0']) {
        await hydrate({ helmfile: repo.helmfile, outputDir: repo.manifests, kubeVersion: version }, toolchain);
        expect(await readFile(join(repo.manifests, 'staging/versioned/configmap_x_versioned.yaml'), 'utf8')).toContain(
          `kube: "v${version}"`,
        );
      }
    } finally {
      await repo.remove();
      await toolchain.remove();
    }
  });
});
