import { mapLimited } from '../concurrency/map-limited.js';
import type { EnvironmentManifests } from '../render/resource.js';
import { applyObjects } from './apply-objects.js';
import type { ApiServerRefusal, NotExercised } from './refusal.js';
import type { ApiServerPool } from './server-pool.js';
import { syncObjectOf, type SyncObject } from './sync-order.js';

/** Environments applied at once: each has a server of its own (about 300 MB each). */
const CONCURRENT_ENVIRONMENTS = 2;

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
  const settled = await mapLimited(environments, CONCURRENT_ENVIRONMENTS, async (environment) => {
    const objects = environment.releases
      .flatMap((release) => release.resources)
      .filter((resource) => !options.skip?.(resource))
      .map(syncObjectOf);
    const server = await pool.acquire();
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
