import { inject } from 'vitest';
import { ApiServerPool } from '../../src/apiserver/server-pool.js';
import { resolveApiServer } from '../../src/tools/api-server-resolve.js';
import { DEFAULT_KUBERNETES_VERSION } from '../../src/validate/schemas/kubernetes-version.js';

/** A pool of real local API servers (kube-apiserver + etcd installed by the global setup). */
export function testApiServerPool(): ApiServerPool {
  const explicitDirectory = inject('apiServerDirectory');
  return new ApiServerPool(() => resolveApiServer({ kubernetesVersion: DEFAULT_KUBERNETES_VERSION, explicitDirectory }));
}
