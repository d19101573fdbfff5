import { mapLimited } from '../concurrency/map-limited.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import { applyObjects } from './apply-objects.js';
import type { ApiServerRefusal, NotExercised } from './refusal.js';
import type { ApiServerPool } from './server-pool.js';
import { syncObjectOf, type SyncObject } from './sync-order.js';

/**
 * Environments applied at once, each on a server of its own. One: establishing dozens of CRDs keeps
 * a server busy, and two on two cores only compete for the same CPU.
 */
const CONCURRENT_ENVIRONMENTS = 1;

export interface ApiServerJudgement {
  refusals: ApiServerRefusal[];
  notExercised: NotExercised[];
}

export interface RebuildDrillOptions {
  /** Why a resource is not sent (the kinds to skip); undefined sends it. */
  skip?: (resource: { key: SyncObject['key'] }) => string | undefined;
}

/**
 * The rebuild-from-git drill: could Argo CD bring each environment up on an empty cluster? Every
 * environment is applied, in sync order, to a fresh API server of its own; what the server
 * refuses is returned with its message.
 */
export async function rebuildDrill(
  pool: ApiServerPool,
  environments: readonly EnvironmentManifests[],
  options: RebuildDrillOptions = {},
): Promise<ApiServerJudgement> {
  let acquired = 0;
  const settled = await mapLimited(environments, CONCURRENT_ENVIRONMENTS, async (environment) => {
    const objects = environment.releases
      .flatMap((release) => release.resources)
      .filter((resource) => !options.skip?.(resource))
      .map(syncObjectOf);
    const server = await pool.acquire();
    // The next environment's server starts while this one is applied.
    if (++acquired < environments.length) pool.prestart();
    try {
      return await applyObjects(server.client, objects);
    } finally {
      await server.stop();
    }
  });
  const judged = settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  return { refusals: judged.flatMap((outcome) => outcome.refused), notExercised: judged.flatMap((outcome) => outcome.notExercised) };
}
