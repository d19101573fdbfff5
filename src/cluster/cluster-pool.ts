import { LocalCluster, type ClusterBinaries } from './local-cluster.js';

/**
 * Fresh local clusters, one per environment checked (cluster-scoped objects of two environments
 * would collide in one), at the level the run's checks need. One is started ahead (`prestart`),
 * so its start-up overlaps the render; every cluster handed out is stopped by `close()`.
 */
export class ClusterPool {
  private ahead: Promise<LocalCluster> | undefined;
  private readonly started: Promise<LocalCluster>[] = [];

  constructor(private readonly binaries: () => Promise<ClusterBinaries>) {}

  /** Starts a cluster now, in the background, for the next `acquire`. */
  prestart(): void {
    this.ahead ??= this.start();
    // A start that fails is reported by the acquire that takes it, not as an unhandled rejection.
    this.ahead.catch(() => undefined);
  }

  /** A cluster nobody used before. */
  acquire(): Promise<LocalCluster> {
    const cluster = this.ahead ?? this.start();
    this.ahead = undefined;
    return cluster;
  }

  /** Stops every cluster started, whatever state it is in. */
  async close(): Promise<void> {
    const clusters = await Promise.allSettled(this.started);
    await Promise.all(clusters.map((cluster) => (cluster.status === 'fulfilled' ? cluster.value.stop() : undefined)));
  }

  private start(): Promise<LocalCluster> {
    const cluster = this.binaries().then((binaries) => LocalCluster.start(binaries));
    this.started.push(cluster);
    return cluster;
  }
}
