import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchemaSource } from '../../../src/validate/schemas/schema-source.js';
import { DEFAULT_KUBERNETES_VERSION } from '../../../src/validate/schemas/kubernetes-version.js';
import { SchemaDownloadError } from '../../../src/validate/schemas/schema-download.js';
import { validateEnvironments } from '../../../src/validate/validate.js';
import {
  KUBERNETES_OPENAPI_DOCUMENTS,
  startKubernetesOpenApiServer,
  type KubernetesOpenApiServer,
} from '../../support/kubernetes-openapi-server.js';
import { environment } from '../fixtures.js';

const migration = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: StorageVersionMigration
metadata: {name: migrate-secrets}
spec:
  resource: {group: '', resource: secrets${apiVersion.endsWith('v1alpha1') ? ', version: v1' : ''}}
`;

async function filesUnder(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory, { recursive: true })).map(String).sort();
  } catch {
    return [];
  }
}

describe('Kubernetes schema source', () => {
  let cache: string;
  let servers: KubernetesOpenApiServer[];
  const serve = async (options?: Parameters<typeof startKubernetesOpenApiServer>[0]) => {
    const server = await startKubernetesOpenApiServer(options);
    servers.push(server);
    return server;
  };
  beforeEach(async () => {
    cache = await mkdtemp(join(tmpdir(), 'hydrate-schema-cache-'));
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await rm(cache, { recursive: true, force: true });
  });

  it('defaults to the newest supported minor and the upstream release branch; a patch version uses its tag', () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe('1.35');
    const minor = createSchemaSource({ cacheDirectory: cache });
    expect(minor.kubernetesVersion).toEqual({ version: '1.35', minor: '1.35', ref: 'release-1.35' });
    expect(minor.baseUrl).toBe('https://raw.githubusercontent.com/kubernetes/kubernetes/release-1.35/api/openapi-spec/v3/');
    expect(minor.cacheDirectory).toBe(join(cache, '1.35'));
    const patch = createSchemaSource({ kubernetesVersion: 'v1.34.2', cacheDirectory: cache });
    expect(patch.baseUrl).toBe('https://raw.githubusercontent.com/kubernetes/kubernetes/v1.34.2/api/openapi-spec/v3/');
    expect(patch.cacheDirectory).toBe(join(cache, '1.34.2'));
    expect(() => createSchemaSource({ kubernetesVersion: 'latest' })).toThrow(
      'Kubernetes version "latest": not a Kubernetes version; use a minor version such as 1.35 or a patch version such as 1.35.2',
    );
  });

  it('selects the schemas of the chosen version: 1.34 and 1.35 serve different storagemigration versions', async () => {
    const server = await serve();
    const env = (apiVersion: string) => [environment('staging', { migrations: migration(apiVersion) })];
    const on134 = createSchemaSource({ kubernetesVersion: '1.34', kubernetesSchemas: server.baseUrl, cacheDirectory: cache });
    const on135 = createSchemaSource({ kubernetesVersion: '1.35', kubernetesSchemas: server.baseUrl, cacheDirectory: cache });

    expect((await validateEnvironments(env('storagemigration.k8s.io/v1alpha1'), { schemas: on134 })).findings).toEqual([]);
    const alphaOn135 = await validateEnvironments(env('storagemigration.k8s.io/v1alpha1'), { schemas: on135 });
    expect(alphaOn135.findings.map((finding) => finding.message)).toEqual([
      'apiVersion storagemigration.k8s.io/v1alpha1 is not served by Kubernetes 1.35; use storagemigration.k8s.io/v1beta1',
    ]);
    expect((await validateEnvironments(env('storagemigration.k8s.io/v1beta1'), { schemas: on135 })).findings).toEqual([]);
    const betaOn134 = await validateEnvironments(env('storagemigration.k8s.io/v1beta1'), { schemas: on134 });
    expect(betaOn134.findings.map((finding) => finding.message)).toEqual([
      'apiVersion storagemigration.k8s.io/v1beta1 is not served by Kubernetes 1.34; use storagemigration.k8s.io/v1alpha1',
    ]);
    // The same spec is valid in one version and not in the other: v1alpha1 needs resource.version.
    const wrongShape = await validateEnvironments(
      env('storagemigration.k8s.io/v1beta1').map(() =>
        environment('staging', {
          migrations: migration('storagemigration.k8s.io/v1beta1').replace('resource: secrets}', 'resource: secrets, version: v1}'),
        }),
      ),
      { schemas: on135 },
    );
    expect(wrongShape.findings.map((finding) => [finding.path, finding.message])).toEqual([
      ['.spec.resource.version', 'unknown field "version"; allowed here: group, resource'],
    ]);

    expect(await filesUnder(on134.cacheDirectory!)).toContain('apis__storagemigration.k8s.io__v1alpha1_openapi.json');
    expect(await filesUnder(on135.cacheDirectory!)).toContain('apis__storagemigration.k8s.io__v1alpha1_openapi.json.not-served');
    expect(on134.cacheDirectory).toMatch(/[/\\]1\.34\+[0-9a-f]{12}$/);
  });

  it('downloads only the documents the render needs, once, and works from the cache without the network afterwards', async () => {
    const server = await serve();
    const envs = [
      environment('staging', {
        web: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: b}\nspec: {selector: {}, template: {}}\n',
      }),
    ];
    const schemas = createSchemaSource({ kubernetesSchemas: server.baseUrl, cacheDirectory: cache });
    const first = await validateEnvironments(envs, { schemas });
    expect(server.requests.sort()).toEqual([
      'GET /1.35/api/openapi-spec/v3/api__v1_openapi.json',
      'GET /1.35/api/openapi-spec/v3/apis__apps__v1_openapi.json',
    ]);
    expect(await filesUnder(schemas.cacheDirectory!)).toEqual(['api__v1_openapi.json', 'apis__apps__v1_openapi.json']);
    await server.close();
    // A new process state (new source) with the same cache: no request at all, same report.
    const second = await validateEnvironments(envs, {
      schemas: createSchemaSource({ kubernetesSchemas: server.baseUrl, cacheDirectory: cache }),
    });
    expect(second).toEqual(first);
  });

  it('reads a local directory holding the upstream layout, without caching', async () => {
    const schemas = createSchemaSource({
      kubernetesSchemas: join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3'),
      cacheDirectory: cache,
    });
    expect(schemas.cacheDirectory).toBeUndefined();
    const report = await validateEnvironments(
      [environment('staging', { web: 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: "80"}]}\n' })],
      { schemas },
    );
    expect(report.findings.map((finding) => finding.path)).toEqual(['.spec.ports[0].port']);
    expect(await filesUnder(cache)).toEqual([]);
  });

  it('fails clearly on a server error and caches nothing', async () => {
    const server = await serve({ fail: (path) => (path.endsWith('apis__apps__v1_openapi.json') ? 503 : undefined) });
    const schemas = createSchemaSource({ kubernetesSchemas: server.baseUrl, cacheDirectory: cache });
    const envs = [environment('staging', { web: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n' })];
    const failure = validateEnvironments(envs, { schemas });
    await expect(failure).rejects.toThrow(SchemaDownloadError);
    await expect(failure).rejects.toThrow(
      `could not download the Kubernetes 1.35 OpenAPI schema of apps/v1 from ${server.url}/1.35/api/openapi-spec/v3/apis__apps__v1_openapi.json: HTTP 503 Service Unavailable. Nothing was cached; check the network and the location, or point it at a mirror or a local directory holding api/openapi-spec/v3/`,
    );
    // Tried three times (transient), then gave up; core/v1 came through and is the only file cached.
    expect(server.requests.filter((request) => request.includes('apps__v1'))).toHaveLength(3);
    expect(await filesUnder(schemas.cacheDirectory!)).toEqual(['api__v1_openapi.json']);
  });

  it('leaves nothing half-cached when a download breaks off midway, and recovers on the next run', async () => {
    let broken = true;
    const folder = () => createSchemaSource({ kubernetesSchemas: server.baseUrl, cacheDirectory: cache }).cacheDirectory!;
    const server = await serve({ fail: (path) => (broken && path.endsWith('api__v1_openapi.json') ? 'abort' : undefined) });
    const envs = [environment('staging', { web: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' })];
    await expect(
      validateEnvironments(envs, { schemas: createSchemaSource({ kubernetesSchemas: server.baseUrl, cacheDirectory: cache }) }),
    ).rejects.toThrow(
      /could not download the Kubernetes 1.35 OpenAPI schema of v1 from .*api__v1_openapi.json: the download broke off .*Nothing was cached/,
    );
    expect(await filesUnder(cache)).toEqual([]);
    broken = false;
    const report = await validateEnvironments(envs, {
      schemas: createSchemaSource({ kubernetesSchemas: server.baseUrl, cacheDirectory: cache }),
    });
    expect(report.findings).toEqual([]);
    expect(await filesUnder(folder())).toEqual(['api__v1_openapi.json']);
  });

  it('refuses a document that is not an OpenAPI document, and an unreachable server, with the fix in the message', async () => {
    const server = await serve({ fail: () => undefined });
    const notJson = createSchemaSource({ kubernetesSchemas: `${server.url}/not-there/`, cacheDirectory: cache });
    const envs = [environment('staging', { web: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' })];
    await expect(validateEnvironments(envs, { schemas: notJson })).rejects.toThrow(
      `there is no Kubernetes 1.35 OpenAPI schema of core/v1 at ${server.url}/not-there/; the location must hold api__v1_openapi.json and the apis__<group>__<version>_openapi.json documents`,
    );
    await server.close();
    const unreachable = createSchemaSource({ kubernetesSchemas: server.baseUrl, cacheDirectory: cache });
    await expect(validateEnvironments(envs, { schemas: unreachable })).rejects.toThrow(
      /could not download .*: ECONNREFUSED\. Nothing was cached/,
    );
    // The wrong location's 404 is cached apart from the right location's documents.
    expect(await filesUnder(unreachable.cacheDirectory!)).toEqual([]);
    expect(await filesUnder(notJson.cacheDirectory!)).toEqual(['api__v1_openapi.json.not-served']);
  });
});
