import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalServer, type LocalServer } from './static-server.js';

/** The project root (this file is test/support/kubernetes-openapi-server.ts). */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Real upstream OpenAPI v3 documents for Kubernetes 1.34 and 1.35, kept beside the project
 * (`<root>/../shared/kubernetes-openapi/<minor>/api/openapi-spec/v3/`). Read at test time only.
 * `$HYDRATE_KUBERNETES_OPENAPI` points elsewhere; a clone outside the workplace (e.g. in /tmp)
 * falls back to the workplace's copy.
 */
export const SHARED_KUBERNETES_OPENAPI = locateSharedOpenApi();

function locateSharedOpenApi(): string {
  const candidates = [
    process.env.HYDRATE_KUBERNETES_OPENAPI,
    resolve(PROJECT_ROOT, '..', 'shared', 'kubernetes-openapi'),
    '/work/shared/kubernetes-openapi',
  ];
  const found = candidates.find((candidate): candidate is string => Boolean(candidate) && existsSync(join(candidate!, '1.35')));
  if (!found) {
    throw new Error(
      `the Kubernetes OpenAPI documents the tests serve are not at ${candidates.filter(Boolean).join(' or ')}; set HYDRATE_KUBERNETES_OPENAPI to the directory holding 1.34/ and 1.35/`,
    );
  }
  return found;
}

export interface KubernetesOpenApiServer extends LocalServer {
  /** A schema base URL for the validate settings: `{minor}` is filled in by the schema source. */
  baseUrl: string;
}

/**
 * Serves `<shared>/<minor>/api/openapi-spec/v3/<file>` at `/<minor>/api/openapi-spec/v3/<file>` on
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
    const file = normalize(join(SHARED_KUBERNETES_OPENAPI, decodeURIComponent(path)));
    if (!file.startsWith(SHARED_KUBERNETES_OPENAPI + sep) || !file.endsWith('.json')) {
      response.writeHead(404).end('not found');
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body),
      () => response.writeHead(404).end('not found'),
    );
  });
  return { ...server, baseUrl: `${server.url}/{minor}/api/openapi-spec/v3/` };
}
