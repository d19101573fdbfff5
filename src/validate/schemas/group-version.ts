/** An API group and version as served by Kubernetes: `{ group: 'apps', version: 'v1' }`; group '' is the core group. */
export interface GroupVersion {
  group: string;
  version: string;
}

export function parseApiVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function formatApiVersion({ group, version }: GroupVersion): string {
  return group ? `${group}/${version}` : version;
}

/** The name upstream gives the OpenAPI v3 document of a group/version under `api/openapi-spec/v3/`. */
export function openApiDocumentName({ group, version }: GroupVersion): string {
  return group ? `apis__${group}__${version}_openapi.json` : `api__${version}_openapi.json`;
}

/** Group and version segments that can safely become part of a URL and a file name. */
const SEGMENT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

export function isWellFormedGroupVersion({ group, version }: GroupVersion): boolean {
  return (group === '' || SEGMENT.test(group)) && SEGMENT.test(version) && !version.includes('.');
}
