import type { ResourceKey } from '../model/resource-key.js';
import type { ClusterState, LiveEvent, LiveObject, LivePod } from './cluster-state.js';

/** A workload of the render the rehearsal judges, with where it came from. */
export interface JudgedWorkload {
  environment: string;
  release: string;
  path: string;
  key: ResourceKey;
}

/** How one workload stands once the cluster has settled. */
export interface WorkloadState {
  workload: JudgedWorkload;
  /** Pods it asks for (a DaemonSet: the nodes it should run on). */
  desired: number;
  /** Pods that are available (of any template, while a rollout runs). */
  ready: number;
  /** Pods of its current template (the head's, after the head's sync). */
  updated: number;
  /** True when the rollout is complete: every desired pod updated and available (a Job: completed). */
  complete: boolean;
  /** Nodes its pods are placed on, sorted. */
  nodes: string[];
  /** Why pods are missing, in the scheduler's and the controllers' own words, sorted, each once. */
  reasons: string[];
}

/** The kinds whose pods the rehearsal follows. */
export const JUDGED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

/**
 * Each judged workload's state, from the cluster's objects and the warnings the controllers gave
 * since `since` (ms since the epoch; older warnings belong to an earlier sync) (pure).
 */
export function workloadStates(
  workloads: readonly JudgedWorkload[],
  state: ClusterState,
  events: readonly LiveEvent[],
  since: number,
): WorkloadState[] {
  const byKindAndName = new Map(state.workloads.map((live) => [`${live.kind}/${live.metadata.namespace}/${live.metadata.name}`, live]));
  const recent = events.filter((event) => eventTime(event) >= since - 1_000);
  return workloads.flatMap((workload) => {
    const live = byKindAndName.get(`${workload.key.kind}/${workload.key.namespace ?? 'default'}/${workload.key.name}`);
    if (!live) return [];
    const owners = ownerUids(live, state.workloads);
    const pods = state.pods.filter((pod) => pod.metadata.ownerReferences?.some((owner) => owners.has(owner.uid)));
    const counts = rolloutCounts(live);
    const complete = counts.ready >= counts.desired && counts.updated >= counts.desired && counts.total <= counts.desired;
    const reasons = complete ? [] : missingPodReasons(pods, recent, owners);
    const nodes = [
      ...new Set(pods.flatMap((pod) => (pod.spec.nodeName && !pod.metadata.deletionTimestamp ? [pod.spec.nodeName] : []))),
    ].sort();
    return [{ workload, desired: counts.desired, ready: counts.ready, updated: counts.updated, complete, nodes, reasons }];
  });
}

/** Whether a live workload is one of `workloads` (a ReplicaSet: whether its Deployment is) (pure). */
export function judgedLive(workloads: readonly JudgedWorkload[]): (live: LiveObject) => boolean {
  const ids = new Set(workloads.map((workload) => `${workload.key.kind}/${workload.key.namespace ?? 'default'}/${workload.key.name}`));
  return (live) => {
    const namespace = live.metadata.namespace ?? 'default';
    if (ids.has(`${live.kind}/${namespace}/${live.metadata.name}`)) return true;
    return (
      live.kind === 'ReplicaSet' &&
      (live.metadata.ownerReferences ?? []).some((owner) => ids.has(`${owner.kind}/${namespace}/${owner.name}`))
    );
  };
}

/** The workload's uid and those of the ReplicaSets a Deployment owns: the owners of its pods. */
function ownerUids(live: LiveObject, all: readonly LiveObject[]): Set<string> {
  const uids = new Set([live.metadata.uid]);
  if (live.kind === 'Deployment') {
    for (const other of all)
      if (other.kind === 'ReplicaSet' && other.metadata.ownerReferences?.some((owner) => owner.uid === live.metadata.uid))
        uids.add(other.metadata.uid);
  }
  return uids;
}

/** What the workload asks for and has; `total` counts old pods a rollout has not removed yet. */
function rolloutCounts(live: LiveObject): { desired: number; ready: number; updated: number; total: number } {
  const spec = live.spec ?? {};
  const status = live.status ?? {};
  const number = (value: unknown, fallback = 0) => (typeof value === 'number' ? value : fallback);
  switch (live.kind) {
    case 'DaemonSet':
      return {
        desired: number(status.desiredNumberScheduled),
        ready: number(status.numberAvailable),
        updated: number(status.updatedNumberScheduled),
        total: number(status.currentNumberScheduled),
      };
    case 'Job': {
      const done = ((status.conditions ?? []) as { type: string; status: string }[]).some(
        (condition) => condition.type === 'Complete' && condition.status === 'True',
      );
      return { desired: 1, ready: done ? 1 : 0, updated: 1, total: 1 };
    }
    case 'StatefulSet':
      return {
        desired: number(spec.replicas, 1),
        ready: number(status.availableReplicas, number(status.readyReplicas)),
        updated: status.currentRevision === status.updateRevision ? number(status.readyReplicas) : number(status.updatedReplicas),
        total: number(status.replicas),
      };
    default:
      return {
        desired: number(spec.replicas, 1),
        ready: number(status.availableReplicas),
        updated: number(status.updatedReplicas),
        total: number(status.replicas),
      };
  }
}

function missingPodReasons(pods: readonly LivePod[], events: readonly LiveEvent[], owners: ReadonlySet<string>): string[] {
  const unschedulable = pods.flatMap((pod) =>
    (pod.status.conditions ?? [])
      .filter((condition) => condition.type === 'PodScheduled' && condition.status === 'False' && condition.message)
      .map((condition) => `unschedulable: ${schedulerVerdict(condition.message!)}`),
  );
  const refused = events
    .filter((event) => event.reason === 'FailedCreate' && owners.has(event.involvedObject.uid ?? ''))
    .map((event) => `pods refused at creation: ${withoutPodName(event.message ?? '')}`);
  return [...new Set([...unschedulable, ...refused])].sort();
}

/** The scheduler's first sentence: the preemption it then tried says the same again. */
function schedulerVerdict(message: string): string {
  return message
    .replace(/\s*no new claims to deallocate,?/, '')
    .replace(/\s*preemption: .*$/s, '')
    .trim();
}

/** The controller names the pod it could not create (`pods "web-5d8c7b9f6-"`); one message per cause, whatever the pod. */
function withoutPodName(message: string): string {
  return message.replace(/^Error creating: /, '').replace(/pods "[^"]*" is forbidden: /, '');
}

function eventTime(event: LiveEvent): number {
  const stamp = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp;
  return stamp ? Date.parse(stamp) : 0;
}
