/** What identifies a Kubernetes resource in a cluster: API group, kind, namespace and name. */
export interface ResourceKey {
  /** API group; '' for the core group (`v1`). */
  group: string;
  kind: string;
  /** Absent for cluster-scoped resources. */
  namespace?: string;
  name: string;
}

/** The API group of an `apiVersion` (`apps/v1` -> `apps`, `v1` -> ''). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** A string that is equal for equal keys; for maps and sorting. */
export function resourceId(key: ResourceKey): string {
  return `${key.group}|${key.kind}|${key.namespace ?? ''}|${key.name}`;
}

/** How people write a resource: `Deployment.apps web/frontend`, `ClusterRole.rbac.authorization.k8s.io admin`. */
export function formatResourceKey(key: ResourceKey): string {
  const kind = key.group ? `${key.kind}.${key.group}` : key.kind;
  return `${kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name}`;
}

/** Orders resources by group, kind, namespace, name (cluster-scoped first within a kind). */
export function compareResourceKeys(a: ResourceKey, b: ResourceKey): number {
  return (
    compareStrings(a.group, b.group) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.namespace ?? '', b.namespace ?? '') ||
    compareStrings(a.name, b.name)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
