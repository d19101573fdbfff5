import { toNormalizedYaml } from '../../src/diff/normalized-yaml.js';
import type { EnvironmentManifests, RenderedResource } from '../../src/model/manifests.js';
import type { HelmfileRelease } from '../../src/model/release.js';
import { apiGroup } from '../../src/model/resource-key.js';
import { resourceFileName } from '../../src/render/file-name.js';

/** Builds render results in memory for pure diff/report tests (the integration tests use real renders). */
export function release(name: string, chart = `fixtures/${name}`, version = '1.0.0', namespace = 'apps'): HelmfileRelease {
  return { name, namespace, chart, version, enabled: true, labels: '' };
}

export function resource(environment: string, releaseName: string, object: Record<string, unknown>): RenderedResource {
  const metadata = object.metadata as { name: string; namespace?: string };
  const key = {
    group: apiGroup(String(object.apiVersion)),
    kind: String(object.kind),
    name: metadata.name,
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
  };
  const content = `# Source: chart/templates/x.yaml\n${toNormalizedYaml(object)}`;
  return {
    key,
    apiVersion: String(object.apiVersion),
    environment,
    release: releaseName,
    path: `${environment}/${releaseName}/${resourceFileName(key)}`,
    content,
    object: structuredClone(object),
    source: 'chart/templates/x.yaml',
  };
}

export function environment(
  name: string,
  releases: Array<{ release: HelmfileRelease; objects: Record<string, unknown>[] }>,
): EnvironmentManifests {
  return {
    environment: name,
    releases: releases.map((r) => ({ release: r.release, resources: r.objects.map((o) => resource(name, r.release.name, o)) })),
  };
}

export function deployment(
  name: string,
  options: { image?: string; chart?: string; replicas?: number; env?: Array<Record<string, string>> } = {},
): Record<string, unknown> {
  const labels = { 'app.kubernetes.io/name': name, 'helm.sh/chart': options.chart ?? 'webapp-1.0.0', 'app.kubernetes.io/version': '1.0' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'apps', labels },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels, annotations: { 'checksum/config': options.chart ?? 'abc' } },
        spec: { containers: [{ name: 'web', image: options.image ?? 'nginx:1.27.0', ...(options.env ? { env: options.env } : {}) }] },
      },
    },
  };
}

export function secret(name: string, data: Record<string, string>, stringData?: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'apps' },
    type: 'Opaque',
    data,
    ...(stringData ? { stringData } : {}),
  };
}

export function configMap(name: string, data: Record<string, string>, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'apps', labels }, data };
}

export const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Asserts that every fenced block in markdown is closed: returns the number of fenced blocks. */
export function countClosedFences(markdown: string): number {
  let open: string | undefined;
  let blocks = 0;
  for (const line of markdown.split('\n')) {
    const match = /^ {0,3}(`{3,})(.*)$/.exec(line);
    if (!match) continue;
    if (open === undefined) {
      open = match[1];
    } else if (match[1]!.length >= open.length && match[2]!.trim() === '') {
      open = undefined;
      blocks++;
    }
  }
  if (open !== undefined) throw new Error('a fenced code block is not closed');
  return blocks;
}
