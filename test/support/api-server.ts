import { inject } from 'vitest';
import { ClusterPool } from '../../src/cluster/cluster-pool.js';
import { resolveApiServer } from '../../src/tools/api-server-resolve.js';
import { DEFAULT_KUBERNETES_VERSION } from '../../src/validate/schemas/kubernetes-version.js';

/** A pool of real local API servers (kube-apiserver + etcd installed by the global setup). */
export function testClusterPool(): ClusterPool {
  const explicitDirectory = inject('apiServerDirectory');
  return new ClusterPool(async () => ({
    apiServer: await resolveApiServer({ kubernetesVersion: DEFAULT_KUBERNETES_VERSION, explicitDirectory }),
  }));
}
