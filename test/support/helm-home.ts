import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private helm configuration, cache and data home, so tests never touch the user's helm setup. */
export async function isolatedHelmEnv(): Promise<{ env: Record<string, string>; remove: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'hydrate-helm-home-'));
  return {
    env: { HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') },
    remove: () => rm(home, { recursive: true, force: true }),
  };
}
