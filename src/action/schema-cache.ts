import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import type { SchemaSource } from '../validate/index.js';

const KEY_PREFIX = 'helmfile-hydrate-kubernetes-openapi';

/**
 * Keeps the downloaded Kubernetes OpenAPI documents between workflow runs with the Actions cache:
 * restored before validation, saved after it when it downloaded documents the cache did not hold.
 * The cache only saves time; a cache service that fails or is missing never fails the run.
 */
export async function withPersistedSchemaCache<T>(schemas: SchemaSource, task: () => Promise<T>): Promise<T> {
  const directory = schemas.cacheDirectory;
  if (!directory || !cache.isFeatureAvailable()) return task();
  const prefix = `${KEY_PREFIX}-${basename(directory)}-`;
  let restored: string | undefined;
  try {
    restored = await cache.restoreCache([directory], `${prefix}restore`, [prefix]);
    if (restored) core.info(`restored Kubernetes schemas from the Actions cache (${restored})`);
  } catch (error) {
    core.warning(`could not restore the Kubernetes schema cache: ${(error as Error).message}`);
  }
  const result = await task();
  try {
    // The key names the set of cached documents: a run that needed a new group/version saves anew.
    const names = (await readdir(directory).catch(() => [] as string[])).sort();
    if (names.length === 0) return result;
    const key = `${prefix}${createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16)}`;
    if (key !== restored) await cache.saveCache([directory], key);
  } catch (error) {
    core.warning(`could not save the Kubernetes schema cache: ${(error as Error).message}`);
  }
  return result;
}
