import { analyzeRisks } from '../../src/risk/analyze.js';
import type { Risk } from '../../src/risk/types.js';
import { environment, release } from '../diff/manifest-builder.js';

type Objects = Record<string, unknown>[];
type Releases = Record<string, Objects>;

/**
 * Runs the analysis on a base/head fixture pair built in memory: each side is a list of objects
 * (one release `app`) or objects per release.
 */
export function risksOf(base: Objects | Releases, head: Objects | Releases): Risk[] {
  const side = (objects: Objects | Releases) => {
    const releases = Array.isArray(objects) ? { app: objects } : objects;
    return [
      environment(
        'production',
        Object.entries(releases).map(([name, list]) => ({ release: release(name), objects: list })),
      ),
    ];
  };
  return analyzeRisks({ base: side(base), head: side(head) });
}

export function named(risks: readonly Risk[], rule: Risk['rule']): Risk[] {
  return risks.filter((risk) => risk.rule === rule);
}

/** A deep copy with `edit` applied: the head side of a pair. */
export function changed<T>(object: T, edit: (copy: any) => void): T {
  const copy = structuredClone(object);
  edit(copy);
  return copy;
}

export function workload(
  kind: string,
  name: string,
  spec: Record<string, unknown> = {},
  group = 'apps',
  namespace = 'apps',
): Record<string, unknown> {
  const labels = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: group ? `${group}/v1` : 'v1',
    kind,
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'registry.example.com/app:1.4.2' }] } },
      ...spec,
    },
  };
}

/** The CustomResourceDefinition of `Widget.example.com` (namespaced) with these versions. */
export function widgetDefinition<Version>(versions: Version[], names: Record<string, string> = {}) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', ...names }, versions },
  };
}
