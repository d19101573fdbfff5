import { mapLimited } from '../concurrency/map-limited.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import { applyObjects } from './apply-objects.js';
import type { ApiServerRefusal, NotExercised } from './refusal.js';
import type { ClusterPool } from '../cluster/cluster-pool.js';
import type { ClusterStage } from '../cluster/cluster-stage.js';
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
  /** Checks that ride on each environment's cluster once it is applied (the rehearsal). */
  stages?: readonly ClusterStage[];
}

/**
 * The rebuild-from-git drill: could Argo CD bring each environment up on an empty cluster? Every
 * environment is applied, in sync order, to a fresh API server of its own; what the server
 * refuses is returned with its message.
 */
export async function rebuildDrill(
  pool: ClusterPool,
  environments: readonly EnvironmentManifests[],
  options: RebuildDrillOptions = {},
): Promise<ApiServerJudgement> {
  let acquired = 0;
  const settled = await mapLimited(environments, CONCURRENT_ENVIRONMENTS, async (environment) => {
    const objects = environment.releases
      .flatMap((release) => release.resources)
      .filter((resource) => !options.skip?.(resource))
      .map(syncObjectOf);
    const cluster = await pool.acquire();
    // The next environment's cluster starts while this one is applied.
    if (++acquired < environments.length) pool.prestart();
    const plan = {
      environment: environment.environment,
      releases: environment.releases.map((release) => release.release.name),
      head: environment,
    };
    const stages = options.stages ?? [];
    try {
      for (const stage of stages) await stage.prepare?.(cluster, plan);
      const applied = await applyObjects(cluster.client, objects);
      for (const stage of stages) await stage.afterHead?.(cluster, plan);
      return applied;
    } finally {
      await cluster.stop();
    }
  });
  const judged = settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  return { refusals: judged.flatMap((outcome) => outcome.refused), notExercised: judged.flatMap((outcome) => outcome.notExercised) };
}
