import type { KubeClient } from '../apiserver/kube-client.js';
import { readClusterState, stateFingerprint, stillMoving, type ClusterState, type LiveObject } from './cluster-state.js';
import { bindClaims, type StorageClasses } from './volume-binder.js';

/** How often the state is read while the controllers work (each read is a handful of small lists). */
const POLL_MS = 100;
/**
 * Reads in a row that must see the same state, with nothing still moving, before the cluster
 * counts as settled: the controllers retry a failed create within milliseconds at first, so a few
 * hundred quiet milliseconds mean they have nothing more to do.
 */
const QUIET_READS = 3;
/** A cluster that keeps changing this long is reported as it is (a controller looping), never waited on for ever. */
const SETTLE_TIMEOUT_MS = 60_000;

export interface SettleOutcome {
  state: ClusterState;
  /** False when the deadline came first: the state is what the cluster looked like then. */
  settled: boolean;
}

/**
 * Waits until the controllers, the scheduler and KWOK are done with what was applied: every pod
 * judged by the scheduler and started or refused, every workload's spec observed, the state the
 * same over a few reads (`judged`: the workloads whose availability matters; the others only need
 * their pods placed). Claims of known StorageClasses are bound on the way, as their
 * provisioner would. `failed` names a program of the cluster that died (its output is the error).
 */
export async function settle(
  client: KubeClient,
  storage: StorageClasses,
  failed: () => string | undefined,
  judged: (workload: LiveObject) => boolean = () => true,
): Promise<SettleOutcome> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let previous = '';
  let quiet = 0;
  for (;;) {
    const dead = failed();
    if (dead) throw new Error(`a program of the local cluster ended during the rehearsal: ${dead}`);
    const state = await readClusterState(client);
    const bound = await bindClaims(client, state.claims, storage);
    const fingerprint = stateFingerprint(state, judged);
    quiet = !bound && !stillMoving(state, judged) && fingerprint === previous ? quiet + 1 : 0;
    previous = fingerprint;
    if (quiet >= QUIET_READS) return { state, settled: true };
    if (Date.now() > deadline) return { state, settled: false };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
