import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { hydrate, renderEnvironments } from '../../src/render/render.js';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { createSchemaSource } from '../../src/validate/schemas/schema-source.js';
import { validateEnvironments, type ValidationReport } from '../../src/validate/validate.js';
import { GitopsRepo, type FixtureRepoSpec } from '../support/gitops-repo.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';
import { testToolchain } from '../support/toolchain.js';

/** A chart of the GitOps repo itself whose Widget is defined by the CRD another release (widget-operator) ships. */
const TENANT_CHART = {
  'helmfile/charts/tenant-widgets/Chart.yaml': 'apiVersion: v2\nname: tenant-widgets\nversion: 0.1.0\n',
  'helmfile/charts/tenant-widgets/values.yaml': 'size: 2\ncolor: green\n',
  'helmfile/charts/tenant-widgets/templates/widget.yaml': `apiVersion: example.com/v1alpha1
kind: Widget
metadata:
  name: {{ .Release.Name }}
spec:
  size: {{ .Values.size }}
  color: {{ .Values.color }}
  nickname: null
  extra:
    owner: tenant
`,
};

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { terminal: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

function lineOf(content: string, text: string): number {
  return content.split('\n').findIndex((line) => line.includes(text)) + 1;
}

describe('validate real renders of the fixture charts', () => {
  let toolchain: Awaited<ReturnType<typeof testToolchain>>;
  let helmHome: Awaited<ReturnType<typeof isolatedHelmEnv>>;
  let repo: GitopsRepo;
  let server: KubernetesOpenApiServer;
  let cache: string;
  let environments: EnvironmentManifests[];
  let report: ValidationReport;

  beforeAll(async () => {
    toolchain = await testToolchain();
    helmHome = await isolatedHelmEnv();
    // The CLI renders with the pinned tools and this process's environment: keep helm's state private.
    Object.assign(process.env, helmHome.env);
    server = await startKubernetesOpenApiServer();
    cache = await mkdtemp(join(tmpdir(), 'hydrate-validate-cache-'));
    const spec: FixtureRepoSpec = {
      repositoryUrl: inject('chartRepositoryUrl'),
      environments: ['staging', 'production'],
      releases: [
        { name: 'web', namespace: 'apps', chart: 'webapp', version: '1.1.0', valuesByEnvironment: { production: { replicaCount: 2 } } },
        // 2.1.0 takes the whole update strategy; staging still passes the 2.0.0 string.
        {
          name: 'csi',
          namespace: 'storage',
          chart: 'csi-driver',
          version: '2.1.0',
          valuesByEnvironment: { staging: { nodeplugin: { updateStrategy: 'RollingUpdate' } } },
        },
        { name: 'widgets', namespace: 'operators', chart: 'widget-operator', version: '0.2.0' },
        {
          name: 'tenant',
          namespace: 'tenants',
          chart: './charts/tenant-widgets',
          valuesByEnvironment: { staging: { size: 0, color: 'purple' } },
        },
      ],
    };
    repo = await GitopsRepo.create(spec);
    for (const [path, content] of Object.entries(TENANT_CHART)) await repo.write(path, content);
    await repo.commit('tenant chart');
    environments = await renderEnvironments({ helmfile: repo.helmfile, cwd: repo.dir }, toolchain);
    report = await validateEnvironments(environments, {
      schemas: createSchemaSource({ kubernetesSchemas: server.baseUrl, cacheDirectory: cache }),
    });
  });
  afterAll(async () => {
    await repo?.remove();
    await toolchain?.remove();
    await helmHome?.remove();
    await server?.close();
    if (cache) await rm(cache, { recursive: true, force: true });
  });

  const resource = (environment: string, path: string) =>
    environments
      .find((e) => e.environment === environment)!
      .releases.flatMap((r) => r.resources)
      .find((r) => r.path === path)!;

  it('passes every resource of the valid environment (PDB policy/v1, CRD, Widget with null and free-form fields)', () => {
    const production = report.findings.filter((finding) => finding.environment === 'production');
    expect(production).toEqual([]);
    const kinds = environments.find((e) => e.environment === 'production')!.releases.flatMap((r) => r.resources.map((x) => x.key.kind));
    expect(kinds).toEqual(
      expect.arrayContaining([
        'PodDisruptionBudget',
        'CustomResourceDefinition',
        'Widget',
        'DaemonSet',
        'CSIDriver',
        'StorageClass',
        'ClusterRole',
      ]),
    );
    expect(report.skipped).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('catches the old csi-driver values and a Widget violating the CRD shipped by another release, with file and line', () => {
    const daemonSet = resource('staging', 'staging/csi/daemonset.apps_storage_csi-nodeplugin.yaml');
    const widget = resource('staging', 'staging/tenant/widget.example.com_tenants_tenant.yaml');
    expect(
      report.findings.map(({ environment, release, file, line, path, message, rule }) => ({
        environment,
        release,
        file,
        line,
        path,
        message,
        rule,
      })),
    ).toEqual([
      {
        environment: 'staging',
        release: 'csi',
        file: daemonSet.path,
        line: lineOf(daemonSet.content, 'updateStrategy:'),
        path: '.spec.updateStrategy',
        message: 'expected object, got string "RollingUpdate"; this field takes an object, not a string',
        rule: 'invalid-value',
      },
      {
        environment: 'staging',
        release: 'tenant',
        file: widget.path,
        line: lineOf(widget.content, 'size: 0'),
        path: '.spec.size',
        message: 'integer 0 must be >= 1',
        rule: 'invalid-value',
      },
      {
        environment: 'staging',
        release: 'tenant',
        file: widget.path,
        line: lineOf(widget.content, 'color: purple'),
        path: '.spec.color',
        message: 'string "purple" is not one of the allowed values: "red", "green", "blue", "yellow"',
        rule: 'invalid-value',
      },
    ]);
    expect(report.resourceCount).toBe(environments.flatMap((e) => e.releases.flatMap((r) => r.resources)).length);
  });

  it('helmfile-hydrate validate renders, exits 1 with file:line messages on findings and 0 on a clean environment', async () => {
    const common = [
      '--helmfile',
      repo.helmfile,
      '--kubernetes-schemas',
      server.baseUrl,
      '--schema-cache',
      cache,
      '--helm',
      inject('helmPath'),
      '--helmfile-binary',
      inject('helmfilePath'),
    ];
    const staging = capture();
    expect(await runCli(['validate', '-e', 'staging', ...common], staging.terminal), staging.err.join('\n')).toBe(1);
    const text = staging.out.join('');
    const daemonSet = resource('staging', 'staging/csi/daemonset.apps_storage_csi-nodeplugin.yaml');
    expect(text).toContain(
      `manifests/staging/csi/daemonset.apps_storage_csi-nodeplugin.yaml:${lineOf(daemonSet.content, 'updateStrategy:')}: DaemonSet.apps storage/csi-nodeplugin .spec.updateStrategy: expected object, got string "RollingUpdate"; this field takes an object, not a string [invalid-value]`,
    );
    expect(text).toMatch(/\n3 finding\(s\) in \d+ resource\(s\) validated against Kubernetes 1\.35; 0 skipped, 0 warning\(s\)\n$/);

    const production = capture();
    expect(
      await runCli(['validate', '-e', 'production', '--format', 'json', ...common], production.terminal),
      production.err.join('\n'),
    ).toBe(0);
    const json = JSON.parse(production.out.join(''));
    expect(json).toMatchObject({ kubernetesVersion: '1.35', findings: [], warnings: [], skipped: [] });
    expect(json.resourceCount).toBeGreaterThan(10);

    const usage = capture();
    expect(await runCli(['validate', '--format', 'xml'], usage.terminal)).toBe(2);
    expect(usage.err.join('')).toMatch(/--format "xml": not one of text, json[\s\S]*Usage: helmfile-hydrate validate/);
    expect(await runCli(['validate', '--kubernetes-version', '2.0', '--manifests', repo.manifests], usage.terminal)).toBe(2);
  });

  it('helmfile-hydrate validate --manifests checks written manifests and reports duplicate keys with their line', async () => {
    await hydrate({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir, environments: ['production'] }, toolchain);
    const common = ['--manifests', repo.manifests, '--kubernetes-schemas', server.baseUrl, '--schema-cache', cache];
    const clean = capture();
    expect(await runCli(['validate', ...common], clean.terminal), clean.out.join('')).toBe(0);

    const file = join(repo.manifests, 'production/web/service_apps_web-webapp.yaml');
    const content = await readFile(file, 'utf8');
    const edited = content.replace(/^spec:\n/m, 'spec:\n  type: NodePort\n');
    await writeFile(file, edited);
    const dirty = capture();
    expect(await runCli(['validate', ...common], dirty.terminal)).toBe(1);
    expect(dirty.out.join('')).toContain(
      `${repo.manifests}/production/web/service_apps_web-webapp.yaml:${edited.split('\n').lastIndexOf('  type: ClusterIP') + 1}: Service apps/web-webapp: duplicate key "type": a key may appear once per mapping (the last value would silently win); remove one [duplicate-key]`,
    );
    await writeFile(file, content);
  });
});
