import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { RenderError } from './errors.js';
import type { EnvironmentManifests, RenderedResource } from './resource.js';
import { apiGroup, compareResourceKeys, type ResourceKey } from './resource-key.js';

/**
 * Reads manifests written by `writeManifestTree` (e.g. those committed on the base branch)
 * back into the shape a render returns. Release metadata that only helmfile knows (chart,
 * version, namespace) is left empty.
 */
export async function readManifestTree(outputDir: string, environments?: readonly string[]): Promise<EnvironmentManifests[]> {
  const names = environments?.length ? [...environments] : await directories(outputDir);
  const result: EnvironmentManifests[] = [];
  for (const environment of names) {
    const releases = [];
    for (const release of await directories(join(outputDir, environment))) {
      const resources: RenderedResource[] = [];
      const files = (await readdir(join(outputDir, environment, release))).filter((name) => name.endsWith('.yaml')).sort();
      for (const file of files) {
        const path = `${environment}/${release}/${file}`;
        const content = await readFile(join(outputDir, environment, release, file), 'utf8');
        const document = parseDocument(content, { uniqueKeys: true });
        if (document.errors.length > 0) throw new RenderError({ environment, release, file: path }, `invalid YAML: ${document.errors[0]!.message}`);
        const object = document.toJS() as Record<string, unknown> | null;
        const metadata = (object?.metadata ?? {}) as { name?: unknown; namespace?: unknown };
        if (!object || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof metadata.name !== 'string') {
          throw new RenderError({ environment, release, file: path }, 'not a Kubernetes object with apiVersion, kind and metadata.name');
        }
        const key: ResourceKey = { group: apiGroup(object.apiVersion), kind: object.kind, name: metadata.name };
        if (typeof metadata.namespace === 'string') key.namespace = metadata.namespace;
        const source = /^#\s*Source:\s*(.+)$/m.exec(content)?.[1]?.trim() ?? path;
        resources.push({ key, apiVersion: object.apiVersion, environment, release, path, content, object, source });
      }
      resources.sort((a, b) => compareResourceKeys(a.key, b.key));
      releases.push({ release: { name: release, namespace: '', chart: '', version: '', enabled: true, labels: '' }, resources });
    }
    result.push({ environment, releases });
  }
  return result;
}

async function directories(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
