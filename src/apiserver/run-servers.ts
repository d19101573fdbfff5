import { resolveApiServer, type ApiServerBinaries, type ResolveApiServerOptions } from '../tools/api-server-resolve.js';
import { ApiServerPool } from './server-pool.js';

/** The API servers of one run: a pool with one server starting at once, and the release they run. */
export interface RunApiServers {
  pool: ApiServerPool;
  version: () => Promise<string>;
}

/**
 * Starts the first server of a run right away (it is ready while helmfile renders); the binaries
 * are resolved once, on first use. The caller closes the pool whatever happens.
 */
export function startRunApiServers(options: ResolveApiServerOptions): RunApiServers {
  let binaries: Promise<ApiServerBinaries> | undefined;
  const resolve = () => (binaries ??= resolveApiServer(options));
  const pool = new ApiServerPool(resolve);
  pool.prestart();
  return { pool, version: () => resolve().then((resolved) => resolved.version) };
}
