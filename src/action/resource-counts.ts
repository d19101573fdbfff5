import { resourceId, type EnvironmentManifests } from '../render/index.js';

export interface ResourceCounts {
  added: number;
  changed: number;
  removed: number;
  /** Resources rendered on head. */
  total: number;
}

/**
 * Counts resources added, changed (different bytes) and removed between two renders, per
 * environment (pure). Environments that failed on either side are not compared.
 */
export function countResourceChanges(base: readonly EnvironmentManifests[], head: readonly EnvironmentManifests[], compared: ReadonlySet<string>): ResourceCounts {
  const counts: ResourceCounts = { added: 0, changed: 0, removed: 0, total: 0 };
  for (const environment of head) counts.total += environment.releases.reduce((sum, release) => sum + release.resources.length, 0);
  for (const name of compared) {
    const index = (environments: readonly EnvironmentManifests[]) =>
      new Map((environments.find((environment) => environment.environment === name)?.releases ?? []).flatMap((release) => release.resources.map((resource) => [resourceId(resource.key), resource.content] as const)));
    const before = index(base);
    const after = index(head);
    for (const [id, content] of after) {
      const previous = before.get(id);
      if (previous === undefined) counts.added++;
      else if (previous !== content) counts.changed++;
    }
    for (const id of before.keys()) if (!after.has(id)) counts.removed++;
  }
  return counts;
}
