import type { KubeClient } from './kube-client.js';

/** Where the API server serves a kind: its resource name and whether objects live in a namespace. */
export interface ServedKind {
  resource: string;
  namespaced: boolean;
}

/** Aggregated discovery (GA since 1.30): every group, version and resource in two answers. */
const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

interface DiscoveryList {
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: { resource: string; scope: string; responseKind?: { kind?: string } }[] }[];
  }[];
}

/** What the server serves, by `apiVersion` and kind (`apps/v1 Deployment`). */
export class ServedKinds {
  private constructor(private readonly kinds: Map<string, ServedKind>) {}

  static async discover(client: KubeClient): Promise<ServedKinds> {
    const kinds = new Map<string, ServedKind>();
    for (const path of ['/api', '/apis']) {
      const response = await client.request('GET', path, undefined, { accept: AGGREGATED_DISCOVERY });
      if (response.status !== 200) throw new Error(`API discovery (${path}) answered ${response.status}: ${response.text.slice(0, 500)}`);
      for (const group of (response.json as DiscoveryList).items ?? []) {
        const groupName = group.metadata?.name ?? '';
        for (const version of group.versions ?? []) {
          const apiVersion = groupName ? `${groupName}/${version.version}` : version.version;
          for (const resource of version.resources ?? []) {
            const kind = resource.responseKind?.kind;
            if (kind) kinds.set(kindId(apiVersion, kind), { resource: resource.resource, namespaced: resource.scope === 'Namespaced' });
          }
        }
      }
    }
    return new ServedKinds(kinds);
  }

  get(apiVersion: string, kind: string): ServedKind | undefined {
    return this.kinds.get(kindId(apiVersion, kind));
  }
}

function kindId(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

/** The REST path of one object (no name: the collection). */
export function objectPath(apiVersion: string, served: ServedKind, namespace: string | undefined, name?: string): string {
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const scope = served.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${served.resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
