import { inject } from 'vitest';
import { ClusterPool } from '../../src/cluster/cluster-pool.js';
import type { ClusterLevel } from '../../src/cluster/local-cluster.js';
import { resolveClusterBinaries } from '../../src/cluster/run-clusters.js';
import { DEFAULT_KUBERNETES_VERSION } from '../../src/validate/schemas/kubernetes-version.js';

/**
 * A pool of real local clusters: kube-apiserver + etcd, and at the scheduling level
 * kube-controller-manager, kube-scheduler and KWOK (all installed by the global setup).
 */
export function testClusterPool(level: ClusterLevel = 'api-server'): ClusterPool {
  const explicitDirectory = inject('apiServerDirectory');
  return new ClusterPool(() => resolveClusterBinaries({ kubernetesVersion: DEFAULT_KUBERNETES_VERSION, explicitDirectory }, level));
}
