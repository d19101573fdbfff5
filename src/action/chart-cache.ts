import { sharedHelmPaths } from '../render/helm-home.js';
import { withPersistedDirectory } from './persisted-directory.js';

/**
 * Keeps helm's content cache between workflow runs: charts stored under the SHA-256 digest their
 * repository index gives, shared by every helmfile process of a run (see helm-home.ts). A run then
 * downloads only the charts a change adds.
 */
export function withPersistedChartCache<T>(env: Readonly<Record<string, string | undefined>>, task: () => Promise<T>): Promise<T> {
  return withPersistedDirectory(
    { directory: sharedHelmPaths(env).contentCache, keyPrefix: 'helmfile-hydrate-helm-charts-', what: 'helm charts' },
    task,
  );
}
