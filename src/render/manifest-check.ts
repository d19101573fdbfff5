import type { EnvironmentManifests } from '../model/manifests.js';

/** A committed file that is not what a full render writes. */
export interface ManifestDifference {
  /** `<environment>/<release>/<file>` */
  path: string;
  problem: 'differs' | 'missing' | 'not-rendered';
}

/**
 * Compares a full render with the committed manifests of the same environments, file by file
 * (pure): what `render --check` reports. Sorted by path.
 */
export function compareWithCommitted(
  rendered: readonly EnvironmentManifests[],
  committed: readonly EnvironmentManifests[],
): ManifestDifference[] {
  const files = (environments: readonly EnvironmentManifests[]) =>
    new Map(
      environments.flatMap((environment) =>
        environment.releases.flatMap((release) => release.resources.map((resource) => [resource.path, resource.content] as const)),
      ),
    );
  const renderedFiles = files(rendered);
  const committedFiles = files(committed);
  const differences: ManifestDifference[] = [];
  for (const [path, content] of renderedFiles) {
    const before = committedFiles.get(path);
    if (before === undefined) differences.push({ path, problem: 'missing' });
    else if (before !== content) differences.push({ path, problem: 'differs' });
  }
  for (const path of committedFiles.keys()) if (!renderedFiles.has(path)) differences.push({ path, problem: 'not-rendered' });
  return differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export const DIFFERENCE_WORDS: Record<ManifestDifference['problem'], string> = {
  differs: 'differs from what the helmfile renders',
  missing: 'is rendered but not committed',
  'not-rendered': 'is committed but no longer rendered',
};
