import { readdir, readFile, rm } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { defaultSchemaCacheRoot, schemaLocationDigest } from '../../src/validate/schemas/schema-source.js';
import { prepareKubernetesOpenApi } from './kubernetes-openapi-documents.js';
import { startLocalServer, type LocalServer } from './static-server.js';

/**
 * Real upstream OpenAPI v3 documents for every pinned Kubernetes minor version
 * (`<directory>/<minor>/api/openapi-spec/v3/`): `../shared/kubernetes-openapi` beside the project,
 * else the copies downloaded once into the tool cache (see prepareKubernetesOpenApi; the global
 * setup downloads them before any test starts). Read at test time only.
 */
export const KUBERNETES_OPENAPI_DOCUMENTS = await prepareKubernetesOpenApi();

export interface KubernetesOpenApiServer extends LocalServer {
  /** A schema base URL for the validate settings: `{minor}` is filled in by the schema source. */
  baseUrl: string;
}

/**
 * Serves `<documents>/<minor>/api/openapi-spec/v3/<file>` at `/<minor>/api/openapi-spec/v3/<file>` on
 * 127.0.0.1, as the upstream location would (404 for a group/version the version does not serve).
 * `fail(path)` may answer a request itself (for download-failure tests).
 */
export async function startKubernetesOpenApiServer(
  options: { fail?: (path: string) => number | 'abort' | undefined } = {},
): Promise<KubernetesOpenApiServer> {
  const server = await startLocalServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const failure = options.fail?.(path);
    if (failure === 'abort') {
      // Headers promise a body that never fully arrives: a download broken off midway.
      response.writeHead(200, { 'content-length': '100000' });
      response.write('{"components": {"schemas": {');
      setTimeout(() => response.destroy(), 10);
      return;
    }
    if (failure !== undefined) {
      response.writeHead(failure).end(`failure ${failure}`);
      return;
    }
    const file = normalize(join(KUBERNETES_OPENAPI_DOCUMENTS, decodeURIComponent(path)));
    if (!file.startsWith(KUBERNETES_OPENAPI_DOCUMENTS + sep) || !file.endsWith('.json')) {
      response.writeHead(404).end('not found');
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body),
      () => response.writeHead(404).end('not found'),
    );
  });
  const baseUrl = `${server.url}/{minor}/api/openapi-spec/v3/`;
  return {
    ...server,
    baseUrl,
    // Programs given this URL (the action, the CLI) cache what they download under the user's
    // cache, in a folder named after the URL: its random port would leave a new folder per run.
    close: async () => {
      await server.close();
      const root = defaultSchemaCacheRoot();
      // One folder per Kubernetes version asked for, each `<version>+<hash of the URL>`.
      const suffix = `+${schemaLocationDigest(baseUrl)}`;
      const folders = (await readdir(root).catch(() => [])).filter((folder) => folder.endsWith(suffix));
      await Promise.all(folders.map((folder) => rm(join(root, folder), { recursive: true, force: true })));
    },
  };
}
