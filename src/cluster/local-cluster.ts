import type { KubeClient } from '../apiserver/kube-client.js';
import { LocalApiServer } from '../apiserver/local-api-server.js';
import type { BackgroundProgram } from '../process/background-program.js';
import type { ApiServerBinaries } from '../tools/api-server-resolve.js';
import { startClusterControllers, type SchedulingBinaries } from './cluster-controllers.js';

/**
 * The levels of the throwaway cluster, each adding to the one before:
 *   api-server:  kube-apiserver and etcd (the sync check, the rebuild drill);
 *   scheduling:  + kube-controller-manager, kube-scheduler and KWOK playing the declared nodes (the rehearsal).
 */
export type ClusterLevel = 'api-server' | 'scheduling';

/** What a cluster of a level is started from; `scheduling` is absent at the api-server level. */
export interface ClusterBinaries {
  apiServer: ApiServerBinaries;
  scheduling?: SchedulingBinaries;
}

/** How long the controller-manager may take to create the `default` ServiceAccount (its sign of life; about 1 s here). */
const CONTROLLERS_READY_TIMEOUT_MS = 60_000;
const CONTROLLERS_POLL_MS = 100;

/**
 * One throwaway cluster on 127.0.0.1 for one environment of one run: the API server, and at the
 * scheduling level its controllers, scheduler and KWOK. One lifecycle: `stop()` ends every program
 * and removes the directory; a process that ends early kills them all (BackgroundProgram).
 */
export class LocalCluster {
  private constructor(
    readonly server: LocalApiServer,
    readonly level: ClusterLevel,
    private readonly controllers: BackgroundProgram[],
  ) {}

  static async start(binaries: ClusterBinaries): Promise<LocalCluster> {
    const scheduling = binaries.scheduling;
    const server = await LocalApiServer.start(binaries.apiServer, { serviceAccountAdmission: scheduling !== undefined });
    if (!scheduling) return new LocalCluster(server, 'api-server', []);
    let controllers: BackgroundProgram[] = [];
    try {
      controllers = await startClusterControllers(scheduling, server.access, server.directory);
      await waitForControllers(server.client, controllers);
      return new LocalCluster(server, 'scheduling', controllers);
    } catch (error) {
      await Promise.all(controllers.map((program) => program.stop(0)));
      await server.stop();
      throw error;
    }
  }

  get client(): KubeClient {
    return this.server.client;
  }

  get version(): string {
    return this.server.version;
  }

  /** A program of the cluster that ended on its own (it should run until `stop()`), with its last output. */
  failedProgram(): string | undefined {
    const dead = this.controllers.find((program) => program.exit);
    return dead ? `${dead.program} ${dead.exit}:\n${dead.outputTail()}` : undefined;
  }

  /** Stops every program and removes the data; safe to call twice. */
  async stop(): Promise<void> {
    // Controllers first: they would only log the server's absence.
    await Promise.all(this.controllers.map((program) => program.stop(0)));
    await this.server.stop();
  }
}

async function waitForControllers(client: KubeClient, controllers: readonly BackgroundProgram[]): Promise<void> {
  const deadline = Date.now() + CONTROLLERS_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const dead = controllers.find((program) => program.exit);
    if (dead) throw new Error(`${dead.program} ${dead.exit} while starting:\n${dead.outputTail()}`);
    const answer = await client.request('GET', '/api/v1/namespaces/default/serviceaccounts/default');
    if (answer.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, CONTROLLERS_POLL_MS));
  }
  throw new Error(
    `the local controller-manager did not create the default ServiceAccount within ${CONTROLLERS_READY_TIMEOUT_MS / 1000} s; its last output:\n` +
      controllers.map((program) => `${program.program}:\n${program.outputTail()}`).join('\n'),
  );
}
