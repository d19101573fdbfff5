import type { KubeClient } from '../apiserver/kube-client.js';

/** The fields of a live object the rehearsal reads. */
export interface LiveObject {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    generation?: number;
    labels?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
    deletionTimestamp?: string;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface LivePod extends LiveObject {
  spec: { nodeName?: string; [field: string]: unknown };
  status: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export interface LiveEvent {
  reason?: string;
  message?: string;
  type?: string;
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string };
  count?: number;
  /** When the controller last said it (core/v1 events); `eventTime` on events of the events.k8s.io API. */
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
}

/** What the rehearsal reads of the cluster at one moment: the workloads, their pods, and the controllers' events. */
export interface ClusterState {
  pods: LivePod[];
  /** Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs. */
  workloads: LiveObject[];
  disruptionBudgets: LiveObject[];
  claims: LiveObject[];
}

/** The workload kinds the rehearsal watches, with where the API serves them. */
export const WORKLOAD_COLLECTIONS = [
  { kind: 'Deployment', path: '/apis/apps/v1/deployments' },
  { kind: 'ReplicaSet', path: '/apis/apps/v1/replicasets' },
  { kind: 'StatefulSet', path: '/apis/apps/v1/statefulsets' },
  { kind: 'DaemonSet', path: '/apis/apps/v1/daemonsets' },
  { kind: 'Job', path: '/apis/batch/v1/jobs' },
] as const;

export async function listObjects<T extends LiveObject | LiveEvent>(client: KubeClient, path: string, kind?: string): Promise<T[]> {
  const answer = await client.request('GET', path);
  if (answer.status !== 200) throw new Error(`GET ${path}: the local API server answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  const items = ((answer.json as { items?: T[] } | undefined)?.items ?? []) as T[];
  // List answers leave out each item's kind.
  return kind ? items.map((item) => ({ ...item, kind })) : items;
}

/** Reads the state the rehearsal judges, every collection at once. */
export async function readClusterState(client: KubeClient): Promise<ClusterState> {
  const [pods, disruptionBudgets, claims, ...workloads] = await Promise.all([
    listObjects<LivePod>(client, '/api/v1/pods', 'Pod'),
    listObjects<LiveObject>(client, '/apis/policy/v1/poddisruptionbudgets', 'PodDisruptionBudget'),
    listObjects<LiveObject>(client, '/api/v1/persistentvolumeclaims', 'PersistentVolumeClaim'),
    ...WORKLOAD_COLLECTIONS.map((collection) => listObjects<LiveObject>(client, collection.path, collection.kind)),
  ]);
  return { pods: pods as LivePod[], workloads: workloads.flat() as LiveObject[], disruptionBudgets, claims } as ClusterState;
}

/** The controllers' warnings (FailedCreate, FailedScheduling...), read when the cluster has settled. */
export function readWarningEvents(client: KubeClient): Promise<LiveEvent[]> {
  return listObjects<LiveEvent>(client, '/api/v1/events?fieldSelector=type%3DWarning');
}

/**
 * True while a controller, the scheduler or KWOK still has work it will do on its own: a pod the
 * scheduler has not judged, a scheduled pod KWOK has not started, a workload whose controller has
 * not seen its latest spec; for the `judged` workloads, also pods waiting out minReadySeconds and
 * a Job's finished pods not yet counted (pure).
 */
export function stillMoving(state: ClusterState, judged: (workload: LiveObject) => boolean = () => true): boolean {
  const podMoving = state.pods.some((pod) => {
    if (pod.metadata.deletionTimestamp) return true;
    if (!pod.spec.nodeName)
      return !pod.status.conditions?.some((condition) => condition.type === 'PodScheduled' && condition.status === 'False');
    return pod.status.phase === 'Pending' || pod.status.phase === undefined;
  });
  const workloadMoving = state.workloads.some((workload) => {
    if (workload.kind === 'Job') return judged(workload) && jobCatchingUp(workload, state.pods);
    const observed = workload.status?.observedGeneration as number | undefined;
    if (workload.metadata.generation !== undefined && observed !== workload.metadata.generation) return true;
    // Ready pods not yet available wait out the workload's minReadySeconds: the controller comes back to
    // them. Only for a judged workload: the others count for the capacity their pods take, placed already.
    if (!judged(workload)) return false;
    const status = workload.status ?? {};
    const ready = Number(status.readyReplicas ?? status.numberReady ?? 0);
    const available = Number(status.availableReplicas ?? status.numberAvailable ?? 0);
    return ready > available;
  });
  return podMoving || workloadMoving;
}

/** A Job whose finished pods its controller has not counted yet (it batches pod updates for a second). */
function jobCatchingUp(job: LiveObject, pods: readonly LivePod[]): boolean {
  const conditions = (job.status?.conditions ?? []) as { type: string; status: string }[];
  if (conditions.some((condition) => (condition.type === 'Complete' || condition.type === 'Failed') && condition.status === 'True'))
    return false;
  const finished = pods.filter(
    (pod) =>
      pod.metadata.ownerReferences?.some((owner) => owner.uid === job.metadata.uid) &&
      (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed'),
  ).length;
  return finished > Number(job.status?.succeeded ?? 0) + Number(job.status?.failed ?? 0);
}

/** A digest of what matters in the state: when it stays the same for a while, the cluster has settled (pure). */
export function stateFingerprint(state: ClusterState, judged: (workload: LiveObject) => boolean = () => true): string {
  const pods = state.pods.map(
    (pod) =>
      `${pod.metadata.namespace}/${pod.metadata.name}@${pod.spec.nodeName ?? ''}:${pod.status.phase ?? ''}:` +
      (pod.status.conditions ?? []).map((condition) => `${condition.type}=${condition.status}`).join(','),
  );
  // A workload the rehearsal does not judge changes its status as its minReadySeconds pass: not a reason to wait.
  const workloads = state.workloads
    .filter(judged)
    .map(
      (workload) => `${workload.kind}/${workload.metadata.namespace}/${workload.metadata.name}:${JSON.stringify(workload.status ?? {})}`,
    );
  const claims = state.claims.map((claim) => `${claim.metadata.namespace}/${claim.metadata.name}:${String(claim.status?.phase)}`);
  const budgets = state.disruptionBudgets.map(
    (budget) => `pdb/${budget.metadata.namespace}/${budget.metadata.name}:${JSON.stringify(budget.status ?? {})}`,
  );
  return [...pods, ...workloads, ...claims, ...budgets].sort().join('\n');
}
