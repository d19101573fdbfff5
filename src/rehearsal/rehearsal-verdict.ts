import { resourceId, type ResourceKey } from '../model/resource-key.js';
import type { Risk } from '../risk/types.js';
import type { NodeLossOutcome } from './node-loss.js';
import type { JudgedWorkload, WorkloadState } from './workload-states.js';

/** What the rehearsal saw of one side of one environment once the cluster settled. */
export interface SideObservation {
  states: WorkloadState[];
  /** One outcome per declared node (absent: fewer than two nodes, or nothing declared). */
  losses?: NodeLossOutcome[];
}

/** A rendered object the verdict can name (a PodDisruptionBudget, a PersistentVolumeClaim). */
export interface NamedObject {
  release: string;
  path: string;
  key: ResourceKey;
}

export interface EnvironmentObservation {
  environment: string;
  /** Absent in the rebuild drill: everything the head does is reported, nothing is compared. */
  base?: SideObservation;
  head: SideObservation;
  /** Rendered objects by `namespace/name` of their kind (`PodDisruptionBudget/ns/name`). */
  objects: ReadonlyMap<string, NamedObject>;
  /** Claims of a StorageClass neither rendered nor declared. */
  unknownStorageClasses: { claim: NamedObject; storageClass: string }[];
}

const BLOCKED_FIX =
  "fix what the controller or the scheduler names (the environment's nodes are declared in .helmfile-hydrate.yaml: " +
  'capacity, labels, taints), or allow the risk after checking the real cluster';
const NODE_LOSS_FIX =
  'spread the replicas over nodes (more replicas, a topology spread or anti-affinity that is preferred, not required), ' +
  'leave room on the other nodes, or allow the risk when the platform accepts this outage';

/** The rehearsal's risks for one environment (pure): what the head blocks that the base did not, and what a node loss takes down. */
export function rehearsalRisks(observation: EnvironmentObservation): Risk[] {
  return [...blockedRollouts(observation), ...missingNodeAgents(observation), ...nodeLossRisks(observation), ...storageRisks(observation)];
}

function blockedRollouts(observation: EnvironmentObservation): Risk[] {
  const baseStates = new Map((observation.base?.states ?? []).map((state) => [resourceId(state.workload.key), state]));
  return observation.head.states
    .filter((state) => !state.complete)
    .map((state) => {
      const before = baseStates.get(resourceId(state.workload.key));
      const already = observation.base !== undefined && before !== undefined && !before.complete;
      const reasons = state.reasons.length ? state.reasons.join('; ') : 'its pods never became available';
      return workloadRisk(observation.environment, state.workload, {
        rule: 'rollout-blocked',
        severity: already ? 'medium' : 'high',
        message:
          (state.workload.key.kind === 'Job'
            ? `the Job does not complete: ${reasons}; `
            : `the rollout does not complete: ${state.updated} of ${state.desired} pod(s) of the new template, ${state.ready} available: ${reasons}; `) +
          (already
            ? 'blocked on the base already, not by this change'
            : state.workload.key.kind === 'Job'
              ? 'a hook Job fails the sync; Argo CD waits on any other'
              : 'Argo CD shows it Progressing until its progressDeadlineSeconds, then Degraded'),
        fix: BLOCKED_FIX,
        change: before
          ? { from: `${before.ready}/${before.desired} available`, to: `${state.ready}/${state.desired} available` }
          : undefined,
      });
    });
}

function missingNodeAgents(observation: EnvironmentObservation): Risk[] {
  if (!observation.base) return [];
  const baseStates = new Map(observation.base.states.map((state) => [resourceId(state.workload.key), state]));
  return observation.head.states.flatMap((state) => {
    if (state.workload.key.kind !== 'DaemonSet') return [];
    const before = baseStates.get(resourceId(state.workload.key));
    const lost = (before?.nodes ?? []).filter((node) => !state.nodes.includes(node));
    if (lost.length === 0) return [];
    return [
      workloadRisk(observation.environment, state.workload, {
        rule: 'rollout-blocked',
        severity: 'high',
        message: `the DaemonSet no longer runs on ${lost.length} node(s) it ran on with the base: ${lost.join(', ')} (its selector, affinity or tolerations no longer match them)`,
        fix: 'give the DaemonSet back the tolerations, node selector or affinity that matched those nodes, or allow the risk when the node agent is meant to leave them',
        change: { from: before!.nodes.join(', '), to: state.nodes.join(', ') || 'no node' },
      }),
    ];
  });
}

function nodeLossRisks(observation: EnvironmentObservation): Risk[] {
  const baseLosses = new Map((observation.base?.losses ?? []).map((loss) => [loss.node, loss]));
  return (observation.head.losses ?? []).flatMap((loss) => {
    const before = baseLosses.get(loss.node);
    const workloads = loss.short.flatMap((item) => {
      const was = before?.short.find((other) => resourceId(other.workload.key) === resourceId(item.workload.key));
      // Only what the change makes worse: the base short of as many pods (or more) on the same node is not blamed on it.
      if (observation.base && was && was.ready <= item.ready) return [];
      const none = item.ready === 0;
      return [
        workloadRisk(observation.environment, item.workload, {
          rule: 'node-loss',
          severity: none ? 'high' : 'medium',
          message:
            `when the node ${loss.node} is lost, ${item.ready} of ${item.desired} pod(s) can run on the remaining nodes` +
            (item.reasons.length ? `: ${item.reasons.join('; ')}` : '') +
            (none ? ': the service is down until the node returns' : ''),
          fix: NODE_LOSS_FIX,
        }),
      ];
    });
    const budgets = loss.budgets.flatMap((budget) => {
      if (observation.base && before?.budgets.some((other) => other.namespace === budget.namespace && other.name === budget.name))
        return [];
      const object = observation.objects.get(`PodDisruptionBudget/${budget.namespace}/${budget.name}`);
      if (!object) return [];
      return [
        {
          rule: 'node-loss' as const,
          severity: 'medium' as const,
          environment: observation.environment,
          release: object.release,
          resource: object.key,
          path: object.path,
          message: `when the node ${loss.node} is lost, the PodDisruptionBudget cannot be met: ${budget.message}; node drains block until the node returns`,
          fix: NODE_LOSS_FIX,
        },
      ];
    });
    return [...workloads, ...budgets];
  });
}

function storageRisks(observation: EnvironmentObservation): Risk[] {
  return observation.unknownStorageClasses.map(({ claim, storageClass }) => ({
    rule: 'rollout-blocked',
    severity: 'high',
    environment: observation.environment,
    release: claim.release,
    resource: claim.key,
    path: claim.path,
    field: 'spec.storageClassName',
    message: `the claim asks for the StorageClass "${storageClass}", which neither the render nor .helmfile-hydrate.yaml defines: it stays Pending and so do its pods`,
    fix: `fix the storageClassName, render the StorageClass, or declare it under environments.${observation.environment}.storageClasses in .helmfile-hydrate.yaml`,
  }));
}

function workloadRisk(
  environment: string,
  workload: JudgedWorkload,
  fields: Pick<Risk, 'rule' | 'severity' | 'message' | 'fix'> & { change?: Risk['change'] },
): Risk {
  const { change, ...rest } = fields;
  return { ...rest, ...(change ? { change } : {}), environment, release: workload.release, resource: workload.key, path: workload.path };
}
