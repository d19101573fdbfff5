import { isDeepStrictEqual } from 'node:util';
import { fastKubernetesValue } from './fast-yaml.js';
import {
  insertNamespace,
  insertNamespaceAfterName,
  listItemDocuments,
  sourceComment,
  splitHelmDocuments,
  type HelmDocument,
} from './helm-documents.js';
import { kubernetesJsonReplacer, kubernetesValue, parseKubernetesDocument } from './kubernetes-yaml.js';
import { RenderError, type RenderErrorContext } from './errors.js';
import { assertDistinctFileNames, assertSafePathSegment, resourceFileName } from './file-name.js';
import type { HelmfileRelease } from '../model/release.js';
import type { DocumentTally, EnvironmentManifests, ReleaseManifests, RenderedResource } from '../model/manifests.js';
import { apiGroup, compareResourceKeys, formatResourceKey, resourceId, type ResourceKey } from '../model/resource-key.js';
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

interface ParsedDocument {
  release: HelmfileRelease;
  file: string;
  source: string;
  helmDocument: HelmDocument;
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
  /** Releases kept from the committed manifests: they take part in scopes and duplicate checks. */
  kept: readonly ReleaseManifests[] = [],
): EnvironmentManifests {
  assertSafePathSegment(environment, 'environment name');
  const parsed = outputs.map((output) => {
    const context = { environment, release: output.release.name, chart: output.release.chart };
    wrap(context, () => assertSafePathSegment(output.release.name, 'release name'));
    const tally: DocumentTally = { emitted: 0, written: 0, lists: 0, testHooks: 0 };
    const documents = output.files.flatMap((file) => parseRenderedFile(file, output.release, environment, tally));
    if (tally.emitted !== tally.written + tally.lists + tally.testHooks) {
      throw new RenderError(
        context,
        `helm emitted ${tally.emitted} document(s) but ${tally.written} resource(s), ${tally.lists} List(s) and ${tally.testHooks} ` +
          `test hook(s) were accounted for; nothing was written`,
      );
    }
    return { output, documents, tally };
  });

  // A custom resource in one release may be defined by a CRD shipped in another.
  const scopes = new ScopeCatalog(extraClusterScopedKinds);
  for (const { documents } of [...parsed, { documents: kept.flatMap((release) => release.resources) }]) {
    for (const { object } of documents) {
      if (object.kind === 'CustomResourceDefinition' && apiGroup(String(object.apiVersion)) === 'apiextensions.k8s.io') {
        const spec = (object.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string } };
        if (spec.group && spec.names?.kind) scopes.addCustomResourceDefinition(spec.group, spec.names.kind, spec.scope ?? 'Namespaced');
      }
    }
  }

  const owners = new Map<string, RenderedResource>(
    kept.flatMap((release) => release.resources.map((resource) => [resourceId(resource.key), resource] as const)),
  );
  const releases: ReleaseManifests[] = parsed.map(({ output, documents, tally }) => {
    const resources: RenderedResource[] = [];
    for (const parsedDocument of documents) {
      const resource = toResource(environment, parsedDocument, scopes);
      const id = resourceId(resource.key);
      const previous = owners.get(id);
      if (previous) {
        const where =
          previous.release === resource.release
            ? `twice by release "${resource.release}"`
            : `by both release "${previous.release}" and release "${resource.release}"`;
        throw new RenderError(
          { environment },
          `${formatResourceKey(resource.key)} is rendered ${where} (${previous.source}, ${resource.source}); a resource must belong ` +
            `to exactly one release: remove it from one of them`,
        );
      }
      owners.set(id, resource);
      resources.push(resource);
    }
    resources.sort((a, b) => compareResourceKeys(a.key, b.key));
    assertDistinctFileNames(environment, output.release, resources);
    return { release: output.release, resources, documents: tally, origin: 'rendered' as const };
  });
  return { environment, releases: [...releases, ...kept] };
}

function parseRenderedFile(file: RenderedFile, release: HelmfileRelease, environment: string, tally: DocumentTally): ParsedDocument[] {
  const context: RenderErrorContext = { environment, release: release.name, chart: release.chart, file: file.path };
  const result: ParsedDocument[] = [];
  const visit = (helmDocument: HelmDocument, nested: boolean): void => {
    const source = sourceComment(helmDocument.text) ?? file.path;
    if (helmDocument.error !== undefined) {
      throw new RenderError({ ...context, file: source }, `helm produced invalid YAML: ${helmDocument.error}`);
    }
    const object = helmDocument.value;
    if (object === null || object === undefined) return;
    if (!nested) tally.emitted++;
    if (!isRecord(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      throw new RenderError(
        { ...context, file: source },
        `${nested ? 'an item of a List' : 'a rendered document'} is not a Kubernetes object (it needs apiVersion and kind)`,
      );
    }
    if (isTestHook(object)) {
      if (!nested) tally.testHooks++;
      return;
    }
    if (object.kind.endsWith('List') && Array.isArray(object.items)) {
      // `kind: List` wraps resources (Lists may nest); each item is a resource of its own.
      if (!nested) tally.lists++;
      for (const item of listItemDocuments(helmDocument, `# Source: ${source}\n`)) visit(item, true);
      return;
    }
    if (!nested) tally.written++;
    result.push({ release, file: file.path, source, helmDocument, object });
  };
  for (const helmDocument of splitHelmDocuments(file.text)) visit(helmDocument, false);
  return result;
}

function toResource(environment: string, parsed: ParsedDocument, scopes: ScopeCatalog): RenderedResource {
  const { release, helmDocument, source } = parsed;
  let { object } = parsed;
  const context: RenderErrorContext = { environment, release: release.name, chart: release.chart, file: source };
  const apiVersion = object.apiVersion as string;
  const kind = object.kind as string;
  const metadata = isRecord(object.metadata) ? object.metadata : undefined;
  const name = metadata?.name;
  if (typeof name !== 'string' || name === '') {
    throw new RenderError(
      context,
      `${kind} has no metadata.name${metadata?.generateName ? ' (generateName cannot be committed: the name must be stable)' : ''}`,
    );
  }
  const group = apiGroup(apiVersion);
  const namespaced = scopes.isNamespaced(group, kind);
  const declared = metadata?.namespace;
  const hasNamespace = typeof declared === 'string' && declared !== '';
  const namespace = namespaced ? (hasNamespace ? declared : release.namespace) : undefined;
  const key: ResourceKey = namespace === undefined ? { group, kind, name } : { group, kind, namespace, name };
  const fileName = wrap({ ...context, resource: `${kind} ${JSON.stringify(name)}` }, () => resourceFileName(key));

  let content = helmDocument.text;
  if (namespaced && !hasNamespace) {
    // The one edit to helm's bytes: the namespace helm would have applied it to, written in.
    // By plain text when the shape allows, else through the syntax tree; either must read back as intended.
    const expected = { ...object, metadata: withNamespace(metadata!, namespace!) };
    const readBack = (edited: string | undefined) =>
      edited === undefined ? undefined : (fastKubernetesValue(edited)?.value ?? kubernetesValueOrUndefined(edited));
    const quick = insertNamespaceAfterName(helmDocument.text, namespace!);
    const quickValue = readBack(quick);
    const edited = quick !== undefined && isDeepStrictEqual(quickValue, expected) ? quick : insertNamespace(helmDocument, namespace!);
    const value = edited === quick ? quickValue : readBack(edited);
    if (edited !== undefined && isDeepStrictEqual(value, expected)) {
      content = edited;
      object = value as Record<string, unknown>;
    } else {
      content = `# Source: ${source}\n${JSON.stringify(expected, kubernetesJsonReplacer, 2)}\n`;
      object = expected;
    }
  }
  return {
    key,
    apiVersion,
    environment,
    release: release.name,
    path: `${environment}/${release.name}/${fileName}`,
    content,
    object,
    source,
  };
}

function kubernetesValueOrUndefined(text: string): unknown {
  const document = parseKubernetesDocument(text);
  return document.errors.length === 0 ? kubernetesValue(document) : undefined;
}

/** metadata with `namespace` right after `name`, where the text edit puts it. */
function withNamespace(metadata: Record<string, unknown>, namespace: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  let placed = false;
  for (const [key, value] of Object.entries(metadata)) {
    if (key === 'namespace') {
      result.namespace = namespace;
      placed = true;
      continue;
    }
    result[key] = value;
    if (key === 'name' && !('namespace' in metadata)) {
      result.namespace = namespace;
      placed = true;
    }
  }
  if (!placed) return { namespace, ...metadata };
  return result;
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
