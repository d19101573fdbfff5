import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { defaultCacheDirectory } from '../../tools/resolve.js';
import { formatApiVersion, openApiDocumentName, type GroupVersion } from './group-version.js';
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion, type KubernetesVersion } from './kubernetes-version.js';
import { kindsServed, type OpenApiDocument } from './openapi-document.js';
import { cachedDocument, localDocument, type FetchFunction } from './schema-download.js';

/**
 * Where upstream publishes the OpenAPI v3 documents: `{ref}` becomes `release-1.35` for a
 * minor version and `v1.35.2` for a patch version. `{version}` and `{minor}` may be used by mirrors.
 */
export const DEFAULT_SCHEMA_BASE_URL = 'https://raw.githubusercontent.com/kubernetes/kubernetes/{ref}/api/openapi-spec/v3/';

export interface SchemaSourceSettings {
  /** `1.35` or `1.35.2`; default DEFAULT_KUBERNETES_VERSION. */
  kubernetesVersion?: string;
  /** URL (http/https) or local directory of the documents; `{ref}`, `{version}`, `{minor}` are filled in. */
  kubernetesSchemas?: string;
  /**
   * Root of the document cache; documents go to `<root>/<version>/` (`<root>/<version>+<hash>/`
   * for a base URL other than upstream). Default: `<tool cache>/kubernetes-openapi`.
   */
  cacheDirectory?: string;
  /** For tests; default the global fetch. */
  fetch?: FetchFunction;
}

/** A loaded group/version document and the kinds it serves (kind -> component schema name). */
export interface LoadedDocument {
  groupVersion: GroupVersion;
  document: OpenApiDocument;
  kinds: Map<string, string>;
}

/** Kubernetes schemas of one version, loaded lazily per group/version. */
export interface SchemaSource {
  readonly kubernetesVersion: KubernetesVersion;
  /** The base location with placeholders filled in. */
  readonly baseUrl: string;
  /** Where this version's documents are cached (undefined when reading a local directory). */
  readonly cacheDirectory: string | undefined;
  /** The document of a group/version; undefined when the target version does not serve it. */
  document(groupVersion: GroupVersion): Promise<LoadedDocument | undefined>;
  /** Documents already loaded in this process (to look for a kind in other versions of a group). */
  loadedDocuments(): LoadedDocument[];
}

/** The root under which schema documents are cached by version; the action keeps it with @actions/cache. */
export function defaultSchemaCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultCacheDirectory(env), 'kubernetes-openapi');
}

/** What names the cache folders of a schema location other than upstream: a digest of its URL template. */
export function schemaLocationDigest(template: string): string {
  return createHash('sha256').update(template).digest('hex').slice(0, 12);
}

/**
 * `<version>` for the upstream location; `<version>+<schemaLocationDigest>` for any other, so a
 * mirror (or a mistyped URL, whose 404s are cached as "not served") never mixes with upstream.
 */
function cacheFolder(kubernetesVersion: KubernetesVersion, template: string): string {
  if (template === DEFAULT_SCHEMA_BASE_URL) return kubernetesVersion.version;
  return `${kubernetesVersion.version}+${schemaLocationDigest(template)}`;
}

/** A schema base URL template with `{ref}`, `{version}` and `{minor}` filled in for one Kubernetes version. */
export function fillSchemaBaseUrl(template: string, kubernetesVersion: KubernetesVersion): string {
  return template
    .replaceAll('{ref}', kubernetesVersion.ref)
    .replaceAll('{version}', kubernetesVersion.version)
    .replaceAll('{minor}', kubernetesVersion.minor);
}

export function createSchemaSource(settings: SchemaSourceSettings = {}): SchemaSource {
  const kubernetesVersion = parseKubernetesVersion(settings.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const template = settings.kubernetesSchemas?.trim() || DEFAULT_SCHEMA_BASE_URL;
  const filled = fillSchemaBaseUrl(template, kubernetesVersion);
  const remote = /^https?:\/\//i.test(filled);
  const baseUrl = remote ? (filled.endsWith('/') ? filled : `${filled}/`) : resolve(filled);
  const cacheDirectory = remote
    ? join(settings.cacheDirectory ?? defaultSchemaCacheRoot(), cacheFolder(kubernetesVersion, template))
    : undefined;
  const fetchFunction = settings.fetch ?? ((url, init) => fetch(url, init));
  const pending = new Map<string, Promise<LoadedDocument | undefined>>();
  const loaded: LoadedDocument[] = [];

  const load = async (groupVersion: GroupVersion): Promise<LoadedDocument | undefined> => {
    const name = openApiDocumentName(groupVersion);
    const describe = `the Kubernetes ${kubernetesVersion.version} OpenAPI schema of ${formatApiVersion(groupVersion)}`;
    const lookup = remote
      ? await cachedDocument(baseUrl + name, name, cacheDirectory!, fetchFunction, describe)
      : await localDocument(baseUrl, name, describe);
    if (!lookup.served) return undefined;
    const result = {
      groupVersion,
      document: lookup.document,
      kinds: kindsServed(lookup.document, groupVersion.group, groupVersion.version),
    };
    loaded.push(result);
    return result;
  };

  return {
    kubernetesVersion,
    baseUrl,
    cacheDirectory,
    document(groupVersion) {
      const key = formatApiVersion(groupVersion);
      let promise = pending.get(key);
      if (!promise) {
        promise = load(groupVersion);
        // A failed load is not remembered: the error is reported, and a later call may try again.
        promise.catch(() => pending.delete(key));
        pending.set(key, promise);
      }
      return promise;
    },
    loadedDocuments: () => [...loaded],
  };
}
