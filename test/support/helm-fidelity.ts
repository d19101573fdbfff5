import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { HelmfileCommand } from '../../src/render/helmfile.js';
import type { RenderToolchain } from '../../src/render/render.js';

/** One document as helm wrote it, read with the `yaml` package's own YAML 1.1 schema (independent of the product's reader). */
export interface HelmDocumentView {
  release: string;
  kind: string;
  name: string;
  object: Record<string, unknown>;
}

const YAML_1_1 = { version: '1.1', merge: true } as const;

function read(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text, YAML_1_1)
    .map((document) => document.toJS({ maxAliasCount: 100 }) as unknown)
    .filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null)
    .flatMap((object) => unwrap(object));
}

function unwrap(object: Record<string, unknown>): Record<string, unknown>[] {
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
    return (object.items as Record<string, unknown>[]).flatMap((item) => unwrap(item));
  }
  return [object];
}

function view(release: string, object: Record<string, unknown>): HelmDocumentView {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  return { release, kind: String(object.kind), name: String(metadata.name), object };
}

/** Every document of a real `helmfile template` of one environment, per release. */
export async function helmDocuments(
  toolchain: RenderToolchain,
  helmfile: string,
  environment: string,
  cwd?: string,
): Promise<HelmDocumentView[]> {
  const directory = await mkdtemp(join(tmpdir(), 'hydrate-helm-documents-'));
  try {
    const command = new HelmfileCommand({
      helmfile: toolchain.helmfile.path,
      helm: toolchain.helm.path,
      file: helmfile,
      cwd,
      env: toolchain.env,
    });
    await command.template(environment, directory);
    const documents: HelmDocumentView[] = [];
    for (const release of (await readdir(directory)).sort()) {
      for (const entry of await readdir(join(directory, release), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        for (const object of read(await readFile(join(entry.parentPath, entry.name), 'utf8'))) documents.push(view(release, object));
      }
    }
    return documents;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Every committed resource file of one environment (`<environment>/<release>/<file>`). */
export async function committedDocuments(
  manifests: string,
  environment: string,
): Promise<(HelmDocumentView & { path: string; text: string })[]> {
  const result: (HelmDocumentView & { path: string; text: string })[] = [];
  for (const release of (await readdir(join(manifests, environment))).sort()) {
    for (const file of (await readdir(join(manifests, environment, release))).sort()) {
      const text = await readFile(join(manifests, environment, release, file), 'utf8');
      const objects = read(text);
      if (objects.length !== 1) throw new Error(`${environment}/${release}/${file} holds ${objects.length} documents; expected one`);
      result.push({ ...view(release, objects[0]!), path: `${environment}/${release}/${file}`, text });
    }
  }
  return result;
}

/**
 * Differences between helm's documents and the committed ones, read as YAML 1.1: each committed
 * object must equal helm's, except a `metadata.namespace` helm left out. Empty when faithful.
 */
export async function fidelityProblems(
  toolchain: RenderToolchain,
  helmfile: string,
  manifests: string,
  environment: string,
  cwd?: string,
): Promise<string[]> {
  const helm = await helmDocuments(toolchain, helmfile, environment, cwd);
  const committed = await committedDocuments(manifests, environment);
  const problems: string[] = [];
  if (helm.length !== committed.length) problems.push(`helm wrote ${helm.length} documents, ${committed.length} files are committed`);
  const remaining = [...committed];
  for (const document of helm) {
    const index = remaining.findIndex(
      (candidate) => candidate.release === document.release && candidate.kind === document.kind && candidate.name === document.name,
    );
    if (index === -1) {
      problems.push(`${document.release}: ${document.kind} ${document.name} is not committed`);
      continue;
    }
    const [match] = remaining.splice(index, 1);
    const expected = structuredClone(document.object);
    const metadata = expected.metadata as Record<string, unknown>;
    const committedNamespace = (match!.object.metadata as Record<string, unknown>).namespace;
    if (!metadata.namespace && committedNamespace !== undefined) metadata.namespace = committedNamespace;
    if (JSON.stringify(sortKeys(expected)) !== JSON.stringify(sortKeys(match!.object)))
      problems.push(`${match!.path} differs from helm's document`);
  }
  return problems;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, child]) => [key, sortKeys(child)]),
    );
  }
  return value;
}
