import { resolveApiServer, type ResolveApiServerOptions } from '../tools/api-server-resolve.js';
import { resolveKubeControllers } from '../tools/kube-controllers.js';
import { resolveTool } from '../tools/resolve.js';
import { ClusterPool } from './cluster-pool.js';
import type { ClusterBinaries, ClusterLevel } from './local-cluster.js';

/** The local clusters of one run: a pool with one cluster starting at once, and the release they run. */
export interface RunClusters {
  pool: ClusterPool;
  level: ClusterLevel;
  version: () => Promise<string>;
}

/**
 * Every program a cluster of `level` runs, installed once per run (parallel callers share the
 * installation): the API server's pair, and at the scheduling level the controllers of the same
 * release and KWOK.
 */
export async function resolveClusterBinaries(options: ResolveApiServerOptions, level: ClusterLevel): Promise<ClusterBinaries> {
  if (level === 'api-server') return { apiServer: await resolveApiServer(options) };
  const common = { installMethod: options.installMethod, cacheDirectory: options.cacheDirectory, log: options.log };
  const [apiServer, controllers, kwok] = await Promise.all([
    resolveApiServer(options),
    resolveKubeControllers({ kubernetesVersion: options.kubernetesVersion, ...common }),
    resolveTool('kwok', common),
  ]);
  return { apiServer, scheduling: { controllers, kwok: kwok.path } };
}

/**
 * Starts the first cluster of a run right away (it is ready while helmfile renders: the
 * controllers and the scheduler included); the binaries are resolved once, on first use. The
 * caller closes the pool whatever happens.
 */
export function startRunClusters(options: ResolveApiServerOptions, level: ClusterLevel): RunClusters {
  let binaries: Promise<ClusterBinaries> | undefined;
  const resolve = () => (binaries ??= resolveClusterBinaries(options, level));
  const pool = new ClusterPool(resolve);
  pool.prestart();
  return { pool, level, version: () => resolve().then((resolved) => resolved.apiServer.version) };
}
