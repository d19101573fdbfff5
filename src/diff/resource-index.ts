import type { EnvironmentManifests, RenderedResource } from '../model/manifests.js';
import { resourceId } from '../model/resource-key.js';

/** A rendered resource with the release that rendered it. */
export interface LocatedResource {
  resource: RenderedResource;
  release: string;
}

/** An environment's resources by `resourceId`, for pairing one side's resource with the other's; empty for a missing side. */
export function resourcesById(environment: EnvironmentManifests | undefined): Map<string, LocatedResource> {
  const result = new Map<string, LocatedResource>();
  for (const { release, resources } of environment?.releases ?? []) {
    for (const resource of resources) result.set(resourceId(resource.key), { resource, release: release.name });
  }
  return result;
}
