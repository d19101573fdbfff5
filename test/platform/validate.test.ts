import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelmfileCommand } from '../../src/render/helmfile.js';
import { buildEnvironmentManifests, type EnvironmentManifests, type RenderedFile } from '../../src/render/index.js';
import { createSchemaSource, validateEnvironments, type ValidationReport } from '../../src/validate/index.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';
import { testToolchain } from '../support/toolchain.js';
import { PLATFORM_ENVIRONMENTS, PLATFORM_HELMFILE, platformHelmfile } from './support/platform.js';

/** The charts this project writes; upstream charts need the network to render. */
const OWN_RELEASES = ['platform-config', 'platform-gitops'];

let toolchain: Awaited<ReturnType<typeof testToolchain>>;
let server: KubernetesOpenApiServer;
let scratch: string;
let report: ValidationReport;
const environments: EnvironmentManifests[] = [];

async function renderedFiles(directory: string): Promise<RenderedFile[]> {
  const entries = (await readdir(directory, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  return Promise.all(entries.map(async (path) => ({ path: relative(directory, path).split(sep).join('/'), text: await readFile(path, 'utf8') })));
}

beforeAll(async () => {
  toolchain = await testToolchain();
  server = await startKubernetesOpenApiServer();
  scratch = await mkdtemp(join(tmpdir(), 'platform-validate-'));
  const helmfile = new HelmfileCommand({ helmfile: toolchain.helmfile.path, helm: toolchain.helm.path, file: PLATFORM_HELMFILE, env: toolchain.env });
  for (const environment of PLATFORM_ENVIRONMENTS) {
    const releases = (await helmfile.listReleases(environment)).filter((release) => OWN_RELEASES.includes(release.name));
    const output = join(scratch, 'render', environment);
    // The same template flags the render pipeline uses, plus --skip-deps: offline, no repositories.
    await platformHelmfile(toolchain, environment, [
      ...OWN_RELEASES.flatMap((name) => ['--selector', `name=${name}`]),
      'template', '--skip-deps', '--output-dir', output, '--output-dir-template', '{{ .OutputDir }}/{{ .Release.Name }}', '--include-crds', '--skip-tests',
    ]);
    const outputs = await Promise.all(releases.map(async (release) => ({ release, files: await renderedFiles(join(output, release.name)) })));
    environments.push(buildEnvironmentManifests(environment, outputs));
  }
  const schemas = createSchemaSource({ kubernetesVersion: '1.35', schemaBaseUrl: server.baseUrl, cacheDirectory: join(scratch, 'schemas') });
  // The CRDs of MetalLB, cert-manager, 1Password and Argo CD come with the upstream releases,
  // which cannot be rendered offline: their custom resources are listed as skipped.
  report = await validateEnvironments(environments, { schemas, ignoreMissingSchemas: true });
});

afterAll(async () => {
  await server?.close();
  await toolchain?.remove();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('own charts against the Kubernetes 1.35 schemas', () => {
  it('renders resources for both environments', () => {
    expect(environments.map((environment) => environment.environment)).toEqual([...PLATFORM_ENVIRONMENTS]);
    for (const environment of environments) {
      expect(environment.releases.map((release) => release.release.name).sort()).toEqual([...OWN_RELEASES].sort());
    }
    expect(report.resourceCount).toBe(environments.flatMap((environment) => environment.releases.flatMap((release) => release.resources)).length);
  });

  it('has no findings', () => {
    expect(report.findings).toEqual([]);
  });

  it('validates the built-in kinds and skips only custom resources whose CRD is outside the render', () => {
    const skippedKinds = [...new Set(report.skipped.map((entry) => `${entry.resource.kind}.${entry.resource.group}`))].sort();
    expect(skippedKinds).toEqual([
      'AppProject.argoproj.io',
      'Application.argoproj.io',
      'ApplicationSet.argoproj.io',
      'ClusterIssuer.cert-manager.io',
      'IPAddressPool.metallb.io',
      'L2Advertisement.metallb.io',
      'OnePasswordItem.onepassword.com',
    ]);
    expect(report.resourceCount - report.skipped.length).toBeGreaterThan(0);
  });
});
