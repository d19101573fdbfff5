import type { EnvironmentManifests } from '../model/manifests.js';
import { resourceId } from '../model/resource-key.js';
import { JUDGED_KINDS } from './workload-states.js';

/** The pod spec fields that decide where a pod can run; the rest (images, args, env, probes) do not move a pod. */
const PLACEMENT_FIELDS = [
  'nodeSelector',
  'affinity',
  'tolerations',
  'topologySpreadConstraints',
  'priorityClassName',
  'schedulerName',
  'nodeName',
  'hostNetwork',
  'volumes',
  'overhead',
  'runtimeClassName',
] as const;

interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  [field: string]: unknown;
}

interface ContainerLike {
  resources?: { requests?: unknown; limits?: unknown };
  ports?: { hostPort?: number; protocol?: string }[];
}

/**
 * What decides where the pods of the releases' workloads can run, by workload (pure): replicas,
 * the placement fields of the pod template, each container's requests and host ports. When base
 * and head agree on it, losing a node does to the head exactly what it does to the base, so the
 * node-loss drill has nothing to tell about the change.
 */
export function placementSignature(environment: EnvironmentManifests | undefined, releases: ReadonlySet<string>): string {
  if (!environment) return '';
  const entries = environment.releases
    .filter((release) => releases.has(release.release.name))
    .flatMap((release) => release.resources)
    .filter((resource) => JUDGED_KINDS.has(resource.key.kind))
    .map((resource) => {
      const spec = (resource.object.spec ?? {}) as { replicas?: unknown; template?: { spec?: PodSpecLike } };
      const pod = spec.template?.spec ?? {};
      const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])].map((container) => ({
        requests: container.resources?.requests ?? container.resources?.limits ?? null,
        hostPorts: (container.ports ?? []).filter((port) => port.hostPort).map((port) => `${port.hostPort}/${port.protocol ?? 'TCP'}`),
      }));
      const placement = Object.fromEntries(PLACEMENT_FIELDS.map((field) => [field, pod[field] ?? null]));
      return `${resourceId(resource.key)}=${JSON.stringify({ replicas: spec.replicas ?? 1, placement, containers })}`;
    });
  return entries.sort().join('\n');
}
