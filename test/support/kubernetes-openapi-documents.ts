import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDirectory } from '../../src/tools/resolve.js';
import { parseKubernetesVersion } from '../../src/validate/schemas/kubernetes-version.js';
import { fetchWithRetries, writeAtomically, type FetchFunction } from '../../src/validate/schemas/schema-download.js';
import { DEFAULT_SCHEMA_BASE_URL, fillSchemaBaseUrl } from '../../src/validate/schemas/schema-source.js';
import digestsFile from './kubernetes-openapi-digests.json' with { type: 'json' };

/** The project root (this file is test/support/kubernetes-openapi-documents.ts). */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A directory of documents holds `<minor>/api/openapi-spec/v3/<file>`, the layout of the Kubernetes source tree. */
export const OPENAPI_SPEC_PATH = join('api', 'openapi-spec', 'v3');

/** A directory holding the documents (`<minor>/api/openapi-spec/v3/`): used as it is, nothing is downloaded. */
export const DOCUMENTS_DIRECTORY_ENV = 'HYDRATE_KUBERNETES_OPENAPI';
/** Where the documents are downloaded from instead of upstream (a mirror); `{ref}`, `{version}`, `{minor}` are filled in. */
export const UPSTREAM_BASE_URL_ENV = 'HYDRATE_KUBERNETES_OPENAPI_BASE_URL';

/** The committed digests, relative to the project root (named in errors). */
const DIGESTS_FILE = 'test/support/kubernetes-openapi-digests.json';

/** Downloads under way at once: a 36-file minor version takes seconds, and upstream sees no burst. */
const PARALLEL_DOWNLOADS = 4;

/** One minor version's documents: the release they are taken from and SHA-256 by file name. */
export interface PinnedVersion {
  /** A patch version (`1.35.0`): the documents come from the `v1.35.0` tag. */
  version: string;
  files: Record<string, string>;
}

/** Pinned documents by minor version (`1.35`). */
export type PinnedDocuments = Record<string, PinnedVersion>;

/** The digests committed in kubernetes-openapi-digests.json. */
export function committedDigests(): PinnedDocuments {
  return Object.fromEntries(Object.entries(digestsFile).filter(([key]) => !key.startsWith('$'))) as PinnedDocuments;
}

export interface KubernetesOpenApiOptions {
  env?: NodeJS.ProcessEnv;
  /** Whose `../shared/kubernetes-openapi` is looked at; default this project. */
  projectRoot?: string;
  /** Where downloaded documents are kept; default `<tool cache>/test-kubernetes-openapi`. */
  cacheRoot?: string;
  pinned?: PinnedDocuments;
  fetch?: FetchFunction;
  log?: (message: string) => void;
}

/**
 * The directory holding `<minor>/api/openapi-spec/v3/<file>` for every pinned minor version, for
 * the tests to serve as the upstream location: `$HYDRATE_KUBERNETES_OPENAPI`, else
 * `<project>/../shared/kubernetes-openapi` when it is there, else the tool cache, into which the
 * pinned upstream documents are downloaded once (each checked against its committed SHA-256).
 */
export async function prepareKubernetesOpenApi(options: KubernetesOpenApiOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const pinned = options.pinned ?? committedDigests();
  const minors = Object.keys(pinned);
  const explicit = env[DOCUMENTS_DIRECTORY_ENV];
  if (explicit) {
    const missing = minors.filter((minor) => !existsSync(join(explicit, minor, OPENAPI_SPEC_PATH)));
    if (missing.length > 0) {
      throw new Error(
        `${DOCUMENTS_DIRECTORY_ENV}=${explicit} has no ${missing.map((minor) => join(minor, OPENAPI_SPEC_PATH)).join(' or ')}: point it at a directory holding <minor>/api/openapi-spec/v3/ for ${minors.join(' and ')}, or unset it to download the documents`,
      );
    }
    return explicit;
  }
  const shared = resolve(options.projectRoot ?? PROJECT_ROOT, '..', 'shared', 'kubernetes-openapi');
  if (minors.every((minor) => existsSync(join(shared, minor, OPENAPI_SPEC_PATH)))) return shared;

  // Keyed by the digests: a new pin never reads documents verified against an old one.
  const fingerprint = createHash('sha256').update(JSON.stringify(pinned)).digest('hex').slice(0, 12);
  const cache = join(options.cacheRoot ?? join(defaultCacheDirectory(env), 'test-kubernetes-openapi'), fingerprint);
  // Only verified documents are ever renamed into place, so a file that is there is a good one.
  const missing = Object.entries(pinned).flatMap(([minor, { version, files }]) =>
    Object.entries(files)
      .map(([file, sha256]) => ({ version, file, sha256, target: join(cache, minor, OPENAPI_SPEC_PATH, file) }))
      .filter(({ target }) => !existsSync(target)),
  );
  if (missing.length === 0) return cache;

  const baseUrl = env[UPSTREAM_BASE_URL_ENV] || DEFAULT_SCHEMA_BASE_URL;
  const fetchFunction = options.fetch ?? ((url, init) => fetch(url, init));
  options.log?.(`${shared} is absent: downloading ${missing.length} Kubernetes OpenAPI documents from ${baseUrl} into ${cache}`);
  const failures: string[] = [];
  const queue = [...missing];
  const worker = async () => {
    // The first failure stops new downloads: the run cannot go on, and an unreachable host would
    // otherwise cost every remaining file its full timeout.
    while (queue.length > 0 && failures.length === 0) {
      const next = queue.shift()!;
      try {
        await downloadDocument({ ...next, baseUrl, fetchFunction });
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_DOWNLOADS }, worker));
  if (failures.length > 0) {
    const advice = `Nothing unverified was cached. Put the documents in ${shared} or set ${DOCUMENTS_DIRECTORY_ENV} to a directory holding them, or set ${UPSTREAM_BASE_URL_ENV} to a mirror of ${DEFAULT_SCHEMA_BASE_URL}.`;
    throw new Error(
      failures.length === 1
        ? `${failures[0]} ${advice}`
        : `${failures.length} Kubernetes OpenAPI documents could not be obtained:\n- ${failures.join('\n- ')}\n${advice}`,
    );
  }
  return cache;
}

async function downloadDocument(request: {
  version: string;
  file: string;
  sha256: string;
  target: string;
  baseUrl: string;
  fetchFunction: FetchFunction;
}): Promise<void> {
  const filled = fillSchemaBaseUrl(request.baseUrl, parseKubernetesVersion(request.version));
  const url = `${filled.endsWith('/') ? filled : `${filled}/`}${request.file}`;
  const what = `the Kubernetes ${request.version} OpenAPI document ${request.file} (${url}, expected sha256 ${request.sha256})`;
  const fetched = await fetchWithRetries(url, request.fetchFunction);
  if (fetched.status === 'failed') throw new Error(`could not download ${what}: ${fetched.problem}.`);
  if (fetched.status === 'not-found') throw new Error(`could not download ${what}: HTTP 404, the location does not have it.`);
  const actual = createHash('sha256').update(fetched.body).digest('hex');
  if (actual !== request.sha256) {
    throw new Error(`${what} has sha256 ${actual}: the download is not the pinned upstream file (digests in ${DIGESTS_FILE}).`);
  }
  await mkdir(dirname(request.target), { recursive: true });
  await writeAtomically(request.target, fetched.body);
}
