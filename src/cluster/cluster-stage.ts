import type { EnvironmentManifests } from '../model/manifests.js';
import type { LocalCluster } from './local-cluster.js';

/** One environment as the local cluster checks it: the releases the change touches, and both sides' manifests. */
export interface EnvironmentPlan {
  environment: string;
  /** Releases synced (those whose manifests the change touches; every release in the rebuild drill). */
  releases: string[];
  /** Absent in the rebuild drill, where only the head is applied to an empty cluster. */
  base?: EnvironmentManifests;
  head: EnvironmentManifests;
}

/**
 * A check that rides on the sync of one environment's cluster, at the points the sync gives it:
 * before the base is applied, once the base is, and once the head is (pruning done). Every stage of
 * a run shares the one cluster per environment, started once at the highest level they need.
 */
export interface ClusterStage {
  name: string;
  prepare?(cluster: LocalCluster, plan: EnvironmentPlan): Promise<void>;
  afterBase?(cluster: LocalCluster, plan: EnvironmentPlan): Promise<void>;
  afterHead?(cluster: LocalCluster, plan: EnvironmentPlan): Promise<void>;
}
