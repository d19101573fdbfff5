import { defaultImagePlatformsDirectory } from '../images/registry-lookup.js';
import { withPersistedDirectory } from './persisted-directory.js';

/**
 * Keeps the platforms of manifests and indexes, by digest, between workflow runs (see
 * withPersistedDirectory): content addressed, so never stale; tags are resolved on every run.
 */
export function withPersistedImagePlatforms<T>(task: () => Promise<T>): Promise<T> {
  return withPersistedDirectory(
    { directory: defaultImagePlatformsDirectory(), keyPrefix: 'helmfile-hydrate-image-platforms-', what: 'image platforms' },
    task,
  );
}
