import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import * as cache from '@actions/cache';
import * as core from '@actions/core';

export interface PersistedDirectory {
  directory: string;
  /** The cache key's prefix; the rest names the set of files the directory holds. */
  keyPrefix: string;
  /** What the directory holds, for log lines (`Kubernetes schemas`). */
  what: string;
}

/**
 * Keeps a directory of content-addressed files between workflow runs with the Actions cache:
 * restored before the task, saved after it when the task added files the cache did not hold.
 * The cache only saves time; a cache service that fails or is missing never fails the run.
 */
export async function withPersistedDirectory<T>(persisted: PersistedDirectory, task: () => Promise<T>): Promise<T> {
  const { directory, keyPrefix, what } = persisted;
  if (!cache.isFeatureAvailable()) return task();
  let restored: string | undefined;
  try {
    restored = await cache.restoreCache([directory], `${keyPrefix}restore`, [keyPrefix]);
    if (restored) core.info(`restored ${what} from the Actions cache (${restored})`);
  } catch (error) {
    core.warning(`could not restore the ${what} cache: ${(error as Error).message}`);
  }
  const result = await task();
  try {
    // The key names the set of files: a run that added one saves anew, an unchanged set is not saved again.
    const names = (await readdir(directory, { recursive: true }).catch(() => [] as string[])).sort();
    if (names.length === 0) return result;
    const key = `${keyPrefix}${createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16)}`;
    if (key !== restored) await cache.saveCache([directory], key);
  } catch (error) {
    core.warning(`could not save the ${what} cache: ${(error as Error).message}`);
  }
  return result;
}
