import { isMap, isScalar, parseAllDocuments, Pair, Scalar, type Document, type YAMLMap } from 'yaml';
import { RenderError, type RenderErrorContext } from './errors.js';
import { assertSafePathSegment, resourceFileName } from './file-name.js';
import type { HelmfileRelease } from './release.js';
import type { EnvironmentManifests, RenderedResource } from './resource.js';
import { apiGroup, compareResourceKeys, formatResourceKey, resourceId, type ResourceKey } from './resource-key.js';
import { ScopeCatalog } from './scope.js';

/** A file helm wrote for a release: its path inside helm's output directory and its text. */
export interface RenderedFile {
  path: string;
  text: string;
}

export interface ReleaseRenderOutput {
  release: HelmfileRelease;
  files: RenderedFile[];
}

/** Helm's hook values that mark a chart test (`helm test`), which is not part of the desired state. */
const TEST_HOOKS = new Set(['test', 'test-success', 'test-failure']);

const SOURCE_COMMENT = /^\s*Source:\s*(.+?)\s*$/m;

/** Serialization that keeps long strings on one line, so output does not depend on a wrap width. */
const TO_STRING_OPTIONS = { lineWidth: 0, minContentWidth: 0 } as const;

interface ParsedDocument {
  release: HelmfileRelease;
  file: string;
  source: string;
  document: Document;
  object: Record<string, unknown>;
}

/**
 * Turns the files helm rendered for every release of an environment into one resource per file,
 * with explicit namespaces and stable names. Pure: no file system, no processes.
 */
export function buildEnvironmentManifests(
  environment: string,
  outputs: readonly ReleaseRenderOutput[],
  extraClusterScopedKinds: readonly string[] = [],
): EnvironmentManifests {
  assertSafePathSegment(environment, 'environment name');
  const parsed = outputs.map((output) => {
    const context = { environment, release: output.release.name, chart: output.release.chart };
    wrap(context, () => assertSafePathSegment(output.release.name, 'release name'));
    return { output, documents: output.files.flatMap((file) => parseRenderedFile(file, output.release, environment)) };
  });

  // A custom resource in one release may be defined by a CRD shipped in another.
  const scopes = new ScopeCatalog(extraClusterScopedKinds);
  for (const { documents } of parsed) {
    for (const { object } of documents) {
      if (object.kind === 'CustomResourceDefinition' && apiGroup(String(object.apiVersion)) === 'apiextensions.k8s.io') {
        const spec = (object.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string } };
        if (spec.group && spec.names?.kind) scopes.addCustomResourceDefinition(spec.group, spec.names.kind, spec.scope ?? 'Namespaced');
      }
    }
  }

  const owners = new Map<string, RenderedResource>();
  const releases = parsed.map(({ output, documents }) => {
    const resources: RenderedResource[] = [];
    for (const parsedDocument of documents) {
      const resource = toResource(environment, parsedDocument, scopes);
      const id = resourceId(resource.key);
      const previous = owners.get(id);
      if (previous) {
        const where = previous.release === resource.release ? `twice by release "${resource.release}"` : `by both release "${previous.release}" and release "${resource.release}"`;
        throw new RenderError(
          { environment },
          `${formatResourceKey(resource.key)} is rendered ${where} (${previous.source}, ${resource.source}); a resource must belong to exactly one release: remove it from one of them`,
        );
      }
      owners.set(id, resource);
      resources.push(resource);
    }
    resources.sort((a, b) => compareResourceKeys(a.key, b.key));
    assertDistinctFileNames(environment, output.release, resources);
    return { release: output.release, resources };
  });
  return { environment, releases };
}

function parseRenderedFile(file: RenderedFile, release: HelmfileRelease, environment: string): ParsedDocument[] {
  const context: RenderErrorContext = { environment, release: release.name, chart: release.chart, file: file.path };
  const result: ParsedDocument[] = [];
  for (const document of parseAllDocuments(file.text, { uniqueKeys: true })) {
    const source = SOURCE_COMMENT.exec(document.commentBefore ?? '')?.[1] ?? file.path;
    if (document.errors.length > 0) {
      throw new RenderError({ ...context, file: source }, `helm produced invalid YAML: ${document.errors[0]!.message}`);
    }
    if (document.contents === null || (isScalar(document.contents) && document.contents.value === null)) continue;
    const object = document.toJS({ maxAliasCount: 100 }) as unknown;
    if (!isRecord(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      throw new RenderError({ ...context, file: source }, 'a rendered document is not a Kubernetes object (it needs apiVersion and kind)');
    }
    if (isTestHook(object)) continue;
    if (object.kind.endsWith('List') && Array.isArray(object.items)) {
      // `kind: List` wraps resources; each item is a resource of its own.
      for (const item of object.items as unknown[]) {
        if (!isRecord(item) || typeof item.apiVersion !== 'string' || typeof item.kind !== 'string') {
          throw new RenderError({ ...context, file: source }, `an item of ${object.kind} is not a Kubernetes object`);
        }
        if (isTestHook(item)) continue;
        const itemDocument = new (document.constructor as typeof Document)(item) as Document;
        result.push({ release, file: file.path, source, document: itemDocument, object: item });
      }
      continue;
    }
    result.push({ release, file: file.path, source, document, object });
  }
  return result;
}

function toResource(environment: string, parsed: ParsedDocument, scopes: ScopeCatalog): RenderedResource {
  const { release, document, object, source } = parsed;
  const context: RenderErrorContext = { environment, release: release.name, chart: release.chart, file: source };
  const apiVersion = object.apiVersion as string;
  const kind = object.kind as string;
  const metadata = isRecord(object.metadata) ? object.metadata : undefined;
  const name = metadata?.name;
  if (typeof name !== 'string' || name === '') {
    throw new RenderError(context, `${kind} has no metadata.name${metadata?.generateName ? ' (generateName cannot be committed: the name must be stable)' : ''}`);
  }
  const group = apiGroup(apiVersion);
  const namespaced = scopes.isNamespaced(group, kind);
  const declared = metadata?.namespace;
  const namespace = namespaced ? (typeof declared === 'string' && declared !== '' ? declared : release.namespace) : undefined;
  const key: ResourceKey = namespace === undefined ? { group, kind, name } : { group, kind, namespace, name };
  const fileName = wrap({ ...context, resource: `${kind} ${JSON.stringify(name)}` }, () => resourceFileName(key));

  if (namespaced && declared !== namespace) setNamespace(document, namespace!);
  if (!namespaced && declared !== undefined) document.deleteIn(['metadata', 'namespace']);
  let content = document.toString(TO_STRING_OPTIONS);
  if (content.startsWith('---\n')) content = content.slice(4);
  // The object is read back from the document so that it matches the file, key order included
  // (readers of committed manifests must see exactly what a render returns).
  const finalObject = document.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  return {
    key,
    apiVersion,
    environment,
    release: release.name,
    path: `${environment}/${release.name}/${fileName}`,
    content,
    object: finalObject,
    source,
  };
}

/** Puts `namespace` right after `name` in metadata, where people and helm put it. */
function setNamespace(document: Document, namespace: string): void {
  const metadata = document.getIn(['metadata'], true);
  if (!isMap(metadata)) {
    document.setIn(['metadata', 'namespace'], namespace);
    return;
  }
  const map = metadata as YAMLMap;
  const existing = map.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === 'namespace');
  if (existing !== -1) {
    map.items[existing]!.value = new Scalar(namespace);
    return;
  }
  const nameIndex = map.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === 'name');
  map.items.splice(nameIndex + 1, 0, new Pair(new Scalar('namespace'), new Scalar(namespace)));
}

function assertDistinctFileNames(environment: string, release: HelmfileRelease, resources: readonly RenderedResource[]): void {
  // Names differing only in case would collide on case-insensitive file systems (macOS, Windows).
  const seen = new Map<string, RenderedResource>();
  for (const resource of resources) {
    const folded = resource.path.toLowerCase();
    const other = seen.get(folded);
    if (other) {
      throw new RenderError(
        { environment, release: release.name, chart: release.chart },
        `${formatResourceKey(other.key)} and ${formatResourceKey(resource.key)} would be written to the same file ${resource.path} on a case-insensitive file system; rename one of them`,
      );
    }
    seen.set(folded, resource);
  }
}

function isTestHook(object: Record<string, unknown>): boolean {
  const annotations = isRecord(object.metadata) && isRecord(object.metadata.annotations) ? object.metadata.annotations : {};
  const hook = annotations['helm.sh/hook'];
  return typeof hook === 'string' && hook.split(',').some((value) => TEST_HOOKS.has(value.trim()));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wrap<T>(context: RenderErrorContext, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof RenderError) throw error;
    throw new RenderError(context, (error as Error).message);
  }
}
