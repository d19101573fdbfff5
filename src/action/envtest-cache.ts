import { join } from 'node:path';
import { defaultCacheDirectory } from '../tools/resolve.js';
import { withPersistedDirectory } from './persisted-directory.js';

/** Where verified envtest archives are kept: data, checked by SHA-512 on every use (see downloadApiServer). */
export function envtestArchiveDirectory(): string {
  return join(defaultCacheDirectory(), 'downloads', 'envtest');
}

/**
 * Keeps the envtest archives between workflow runs, so the API server is not downloaded again.
 * The archives, not the unpacked binaries: a cache entry is checked before it is used, never run as it is.
 */
export function withPersistedEnvtestArchives<T>(task: () => Promise<T>): Promise<T> {
  return withPersistedDirectory(
    { directory: envtestArchiveDirectory(), keyPrefix: 'helmfile-hydrate-envtest-', what: 'API server archives' },
    task,
  );
}
