import { containerImages } from '../diff/images.js';
import { formatResourceKey } from '../model/resource-key.js';
import { podTemplate } from './pod-templates.js';
import type { ResourcePair } from './resource-pairs.js';
import type { Risk } from './types.js';
import { deepEqual, isRecord, valueAt, type JsonObject } from './values.js';

/** Host paths a CNI plugin installs itself into (the container runtime reads them on every pod start). */
const CNI_HOST_PATHS = ['/etc/cni/net.d', '/opt/cni/bin', '/var/lib/cni', '/run/netns', '/var/run/netns'];
/** Host paths of kubelet's plugin registration and CSI sockets. */
const CSI_HOST_PATHS = ['/var/lib/kubelet/plugins', '/var/lib/kubelet/plugins_registry'];
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

/** Image, critical-path, replica and disruption-budget risks of one environment's pairs. */
export function workloadRisks(pairs: readonly ResourcePair[]): Risk[] {
  return [
    ...pairs.flatMap((pair) => [...imageRisks(pair), ...criticalDaemonSetRisks(pair), ...replicaRisks(pair), ...releaseMoveRisks(pair)]),
    ...disruptionBudgetRisks(pairs),
  ];
}

/** `1.2.3` -> 1, `v2` -> 2, `0.14.1` -> 0.14 (in 0.x the minor is the breaking part); undefined for `latest` or a digest. */
export function majorVersion(image: string): number | undefined {
  const withoutDigest = image.split('@')[0]!;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon <= slash) return undefined;
  const match = /^v?(\d+)(?:\.(\d+))?/.exec(withoutDigest.slice(colon + 1));
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 0 && match[2] !== undefined ? Number(`0.${match[2]}`) : major;
}

function imageRisks(pair: ResourcePair): Risk[] {
  if (!pair.changed || !WORKLOAD_KINDS.has(pair.key.kind)) return [];
  const before = containerImages(pair.base!.resource.object);
  const after = containerImages(pair.head!.resource.object);
  const risks: Risk[] = [];
  for (const [container, image] of after) {
    const old = before.get(container);
    if (!old || old === image) continue;
    const from = majorVersion(old);
    const to = majorVersion(image);
    if (from === undefined || to === undefined || to <= from) continue;
    risks.push({
      rule: 'image-major-bump',
      severity: 'medium',
      environment: pair.environment,
      release: pair.release,
      resource: pair.key,
      field: `container ${container}`,
      change: { from: old, to: image },
      message:
        `container ${container} moves to a new major version (${from} -> ${to}); major versions change configuration formats, ` +
        `flags and stored data`,
      fix: 'read the release notes between the two versions for breaking changes and migrations before merging',
    });
  }
  return risks;
}

/** The DaemonSets a cluster cannot run without: kube-system, network (CNI) and storage (CSI) node agents. */
export function criticalPathReason(object: JsonObject, namespace: string | undefined): string | undefined {
  if (namespace === 'kube-system') return 'it runs in kube-system';
  const spec = valueAt(object, 'spec.template.spec');
  const hostPaths = (isRecord(spec) && Array.isArray(spec.volumes) ? spec.volumes : [])
    .map((volume) => String(valueAt(volume, 'hostPath.path') ?? ''))
    .filter(Boolean);
  const under = (prefixes: string[]) =>
    hostPaths.find((path) => prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)));
  const cni = under(CNI_HOST_PATHS);
  if (cni) return `it is a network (CNI) agent: it mounts ${cni} from every node`;
  const csi = under(CSI_HOST_PATHS);
  if (csi) return `it is a storage (CSI) node plugin: it mounts ${csi} from every node`;
  return undefined;
}

/**
 * A DaemonSet in the node's network namespace is a node agent (MetalLB's speaker, frr-k8s,
 * kube-vip, node-local DNS): the node's addresses, routes or DNS go through it, so a failing
 * version takes the node's traffic down with it, as a failing CNI agent does.
 */
export function nodeAgentReason(object: JsonObject): string | undefined {
  return valueAt(object, 'spec.template.spec.hostNetwork') === true ? "it is a node agent on the host's network (hostNetwork)" : undefined;
}

function criticalDaemonSetRisks(pair: ResourcePair): Risk[] {
  if (!pair.changed || pair.key.group !== 'apps' || pair.key.kind !== 'DaemonSet') return [];
  const { base, head } = pair.masked;
  // Pods restart only when the template (or how they are rolled) changes.
  if (
    deepEqual(valueAt(base, 'spec.template'), valueAt(head, 'spec.template')) &&
    deepEqual(valueAt(base, 'spec.updateStrategy'), valueAt(head, 'spec.updateStrategy'))
  )
    return [];
  const critical = criticalPathReason(pair.head!.resource.object, pair.key.namespace);
  const nodeAgent = critical ? undefined : nodeAgentReason(pair.head!.resource.object);
  const reason = critical ?? nodeAgent;
  if (!reason) return [];
  const strategy = valueAt(head, 'spec.updateStrategy.type') ?? 'RollingUpdate';
  const maxUnavailable = valueAt(head, 'spec.updateStrategy.rollingUpdate.maxUnavailable') ?? 1;
  return [
    {
      rule: critical ? 'critical-daemonset' : 'node-agent-rollout',
      severity: 'high',
      environment: pair.environment,
      release: pair.release,
      resource: pair.key,
      field: 'spec.template',
      change: {
        from: 'running pods',
        to: strategy === 'OnDelete' ? 'new pods on delete (OnDelete)' : `rolled ${String(maxUnavailable)} node(s) at a time`,
      },
      message:
        `the DaemonSet's pods are replaced on every node and ${reason}: when the new version fails, every node loses it ` +
        (critical
          ? '(pods cannot start, volumes cannot mount)'
          : "(the node's addresses, routes or DNS it serves stop answering: LoadBalancer addresses, BGP routes, name lookups)"),
      fix:
        'merge with a person watching the rollout on one node first (updateStrategy maxUnavailable: 1, or OnDelete and delete one ' +
        'pod), with the previous version ready to roll back',
    },
  ];
}

function replicaRisks(pair: ResourcePair): Risk[] {
  if (!pair.changed || pair.key.group !== 'apps' || !['Deployment', 'StatefulSet', 'ReplicaSet'].includes(pair.key.kind)) return [];
  const before = valueAt(pair.base!.resource.object, 'spec.replicas') ?? 1;
  const after = valueAt(pair.head!.resource.object, 'spec.replicas');
  if (after !== 0 || before === 0) return [];
  return [
    {
      rule: 'replicas-to-zero',
      severity: 'high',
      environment: pair.environment,
      release: pair.release,
      resource: pair.key,
      field: 'spec.replicas',
      change: { from: String(before), to: '0' },
      message: `the ${pair.key.kind} scales to zero: every pod of it stops`,
      fix: 'if it is meant, merge it on purpose; otherwise set the replicas back (a chart default or an autoscaling switch often causes this)',
    },
  ];
}

function releaseMoveRisks(pair: ResourcePair): Risk[] {
  if (!pair.base || !pair.head || pair.base.release === pair.head.release) return [];
  return [
    {
      rule: 'release-move',
      severity: 'medium',
      environment: pair.environment,
      release: pair.head.release,
      resource: pair.key,
      change: { from: `release ${pair.base.release}`, to: `release ${pair.head.release}` },
      message:
        'the resource moves to another release: when releases are separate Argo CD Applications, both claim it ' +
        '(SharedResourceWarning) and the old one prunes it if it syncs last',
      fix:
        `sync ${pair.head.release} first and check that ${pair.base.release} no longer tracks the resource, or ` +
        `add \`argocd.argoproj.io/sync-options: Prune=false\` to it for the move`,
    },
  ];
}

/**
 * A PodDisruptionBudget that allows no eviction (maxUnavailable 0, or minAvailable at least the
 * replicas) blocks `kubectl drain`, node upgrades and the cluster autoscaler for its pods.
 */
function disruptionBudgetRisks(pairs: readonly ResourcePair[]): Risk[] {
  const risks: Risk[] = [];
  const workloads = pairs.filter(
    (pair) => pair.head && pair.key.group === 'apps' && ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(pair.key.kind),
  );
  for (const budget of pairs) {
    if (!budget.head || budget.key.group !== 'policy' || budget.key.kind !== 'PodDisruptionBudget') continue;
    const spec = valueAt(budget.head.resource.object, 'spec');
    const selector = valueAt(spec, 'selector.matchLabels');
    if (!isRecord(spec) || !isRecord(selector) || Object.keys(selector).length === 0) continue;
    for (const workload of workloads) {
      if (workload.key.namespace !== budget.key.namespace) continue;
      const labels = valueAt(podTemplate(workload.key.group, workload.key.kind, workload.head!.resource.object), 'metadata.labels');
      if (!isRecord(labels) || !Object.entries(selector).every(([key, value]) => labels[key] === value)) continue;
      // Introduced by this change: the budget or the workload is new or changed.
      if (!(budget.changed || !budget.base || workload.changed || !workload.base)) continue;
      const replicas = Number(valueAt(workload.head!.resource.object, 'spec.replicas') ?? 1);
      const blocking = blocksEviction(spec, replicas);
      if (!blocking) continue;
      risks.push({
        rule: 'pdb-blocks-eviction',
        severity: 'medium',
        environment: budget.environment,
        release: budget.release,
        resource: budget.key,
        field: blocking.field,
        change: { from: `${replicas} replica${replicas === 1 ? '' : 's'}`, to: `${blocking.field}: ${String(blocking.value)}` },
        message:
          `the budget allows no pod of ${formatResourceKey(workload.key)} to be evicted: node drains and cluster upgrades ` + `stall on it`,
        fix: 'allow at least one disruption (maxUnavailable: 1, or minAvailable below the replicas), or run more replicas',
      });
    }
  }
  return risks;
}

function blocksEviction(spec: JsonObject, replicas: number): { field: string; value: unknown } | undefined {
  const { maxUnavailable, minAvailable } = spec as { maxUnavailable?: unknown; minAvailable?: unknown };
  if (maxUnavailable === 0 || maxUnavailable === '0%') return { field: 'spec.maxUnavailable', value: maxUnavailable };
  if (typeof minAvailable === 'number' && minAvailable >= replicas) return { field: 'spec.minAvailable', value: minAvailable };
  if (minAvailable === '100%') return { field: 'spec.minAvailable', value: minAvailable };
  return undefined;
}
