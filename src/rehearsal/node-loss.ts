import type { KubeClient } from '../apiserver/kube-client.js';
import { resourceId } from '../model/resource-key.js';
import { listObjects, readWarningEvents, type LiveObject, type LivePod } from './cluster-state.js';
import { settle } from './settle.js';
import type { StorageClasses } from './volume-binder.js';
import { workloadStates, type JudgedWorkload } from './workload-states.js';

/** What stops working while one node is gone. */
export interface NodeLossOutcome {
  node: string;
  /** Workloads with fewer available pods than they ask for, once the rest of the cluster has done what it can. */
  short: { workload: JudgedWorkload; desired: number; ready: number; reasons: string[] }[];
  /** PodDisruptionBudgets whose healthy pods fall below what they require (`namespace/name`: the message). */
  budgets: { namespace: string; name: string; message: string }[];
}

/**
 * Loses each node in turn, as a node failure does once its pods are evicted: the node takes no
 * new pods, its pods are gone (those of DaemonSets aside: they belong to that node), and the
 * controllers and the scheduler place what they can on the others. Then the node comes back and
 * the cluster settles before the next. Waiting out the eviction timeout (300 s) would change nothing but the time.
 */
export async function loseEachNode(
  client: KubeClient,
  nodes: readonly string[],
  workloads: readonly JudgedWorkload[],
  storage: StorageClasses,
  failed: () => string | undefined,
  blocked: ReadonlySet<string> = new Set(),
  watched: (workload: LiveObject) => boolean = () => true,
): Promise<NodeLossOutcome[]> {
  // A DaemonSet's pod belongs to its node, a Job runs to its end: neither moves. What did not roll out is reported as blocked already.
  const judged = workloads.filter(
    (workload) => workload.key.kind !== 'DaemonSet' && workload.key.kind !== 'Job' && !blocked.has(resourceId(workload.key)),
  );
  const outcomes: NodeLossOutcome[] = [];
  for (const node of nodes) {
    await setSchedulable(client, node, false);
    const since = Date.now();
    const pods = await listObjects<LivePod>(client, `/api/v1/pods?fieldSelector=spec.nodeName%3D${encodeURIComponent(node)}`, 'Pod');
    await Promise.all(pods.filter((pod) => !ownedByDaemonSet(pod)).map((pod) => forceDelete(client, pod)));
    const { state } = await settle(client, storage, failed, watched);
    const events = await readWarningEvents(client);
    const short = workloadStates(judged, state, events, since)
      .filter((item) => item.ready < item.desired)
      .map(({ workload, desired, ready, reasons }) => ({ workload, desired, ready, reasons }));
    const budgets = state.disruptionBudgets.flatMap((budget) => {
      const status = (budget.status ?? {}) as { currentHealthy?: number; desiredHealthy?: number };
      if ((status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0)) return [];
      return [
        {
          namespace: budget.metadata.namespace ?? 'default',
          name: budget.metadata.name,
          message: `${status.currentHealthy ?? 0} healthy pod(s) of the ${status.desiredHealthy ?? 0} it requires`,
        },
      ];
    });
    outcomes.push({ node, short, budgets });
    await setSchedulable(client, node, true);
    await settle(client, storage, failed, watched);
  }
  return outcomes;
}

function ownedByDaemonSet(pod: LivePod): boolean {
  return pod.metadata.ownerReferences?.some((owner) => owner.kind === 'DaemonSet') ?? false;
}

async function setSchedulable(client: KubeClient, node: string, schedulable: boolean): Promise<void> {
  const answer = await client.request(
    'PATCH',
    `/api/v1/nodes/${encodeURIComponent(node)}`,
    JSON.stringify({ spec: { unschedulable: !schedulable } }),
    {
      'content-type': 'application/merge-patch+json',
    },
  );
  if (answer.status >= 300)
    throw new Error(
      `marking the node ${node} ${schedulable ? 'schedulable' : 'lost'} failed (${answer.status}): ${answer.text.slice(0, 300)}`,
    );
}

async function forceDelete(client: KubeClient, pod: LivePod): Promise<void> {
  const path = `/api/v1/namespaces/${pod.metadata.namespace}/pods/${encodeURIComponent(pod.metadata.name)}`;
  const answer = await client.request('DELETE', path, JSON.stringify({ gracePeriodSeconds: 0 }), { 'content-type': 'application/json' });
  if (answer.status >= 300 && answer.status !== 404)
    throw new Error(
      `deleting the pod ${pod.metadata.namespace}/${pod.metadata.name} failed (${answer.status}): ${answer.text.slice(0, 300)}`,
    );
}
