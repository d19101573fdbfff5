/**
 * The rollout rehearsal's fixture cases (the `rollout` fixture chart renders these objects as
 * written): each leaves pods Pending or lost after merge although the schemas, the API server and
 * the risk rules accept it. `base` is what main deploys, `head` the pull request.
 */

/** `.helmfile-hydrate.yaml` of the fixture platform: one untainted node in `single`; in `trio` a tainted control plane and two workers. */
export const NODE_DECLARATION = `environments:
  single:
    nodes:
      - { name: single-1, allocatable: { cpu: "4", memory: 16Gi } }
  trio:
    nodes:
      - name: trio-1
        labels: { node-role.kubernetes.io/control-plane: "", disk: ssd }
        taints: [{ key: node-role.kubernetes.io/control-plane, effect: NoSchedule }]
        allocatable: { cpu: "4", memory: 32Gi }
      - { name: trio-2, labels: { disk: ssd }, allocatable: { cpu: "4", memory: 32Gi } }
      - { name: trio-3, labels: { disk: ssd }, allocatable: { cpu: "4", memory: 32Gi } }
    storageClasses:
      - { name: ceph-block, provisioner: rook-ceph.rbd.csi.ceph.com, default: true }
`;

const NAMESPACE = 'cases';
const RESTRICTED = { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } };
const CONTAINER_RESTRICTED = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

interface PodOptions {
  replicas?: number;
  memory?: string;
  nodeSelector?: Record<string, string>;
  serviceAccountName?: string;
  antiAffinity?: boolean;
  privileged?: boolean;
  tolerations?: Record<string, unknown>[];
  namespace?: string;
  image?: string;
}

function podSpec(name: string, options: PodOptions): Record<string, unknown> {
  const container = {
    name: 'app',
    image: options.image ?? 'registry.example.com/app:1.0.0',
    resources: { requests: { cpu: '100m', memory: options.memory ?? '128Mi' } },
    securityContext: options.privileged ? { privileged: true } : CONTAINER_RESTRICTED,
  };
  return {
    securityContext: RESTRICTED,
    containers: [container],
    ...(options.serviceAccountName ? { serviceAccountName: options.serviceAccountName } : {}),
    ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
    ...(options.tolerations ? { tolerations: options.tolerations } : {}),
    ...(options.antiAffinity
      ? {
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchLabels: { app: name } }, topologyKey: 'kubernetes.io/hostname' },
              ],
            },
          },
        }
      : {}),
  };
}

export function deployment(name: string, options: PodOptions = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: options.namespace ?? NAMESPACE },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec(name, options) },
    },
  };
}

function daemonSet(name: string, options: PodOptions): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: NAMESPACE },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec(name, options) } },
  };
}

function claim(name: string, storageClassName: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: NAMESPACE },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: '1Gi' } } },
  };
}

const serviceAccount = (name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: NAMESPACE } });
const restrictedNamespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'locked', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
};
const CONTROL_PLANE_TOLERATION = { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' };

/** Objects of the `cases` release per environment and side. */
export const ROLLOUT_CASES: Record<'single' | 'trio', Record<'base' | 'head', Record<string, unknown>[]>> = {
  single: {
    // Two replicas that must not share a node, on a one-node environment.
    base: [deployment('spread', { antiAffinity: true }), deployment('steady', { image: 'registry.example.com/app:1.0.0' })],
    head: [deployment('spread', { antiAffinity: true, replicas: 2 }), deployment('steady', { image: 'registry.example.com/app:1.1.0' })],
  },
  trio: {
    base: [
      serviceAccount('worker'),
      restrictedNamespace,
      deployment('big'),
      deployment('picky', { nodeSelector: { disk: 'ssd' } }),
      deployment('lonely', { serviceAccountName: 'worker' }),
      deployment('root', { namespace: 'locked' }),
      deployment('pinned'),
      deployment('spread-ok', { replicas: 2, antiAffinity: true }),
      daemonSet('agent', { tolerations: [CONTROL_PLANE_TOLERATION] }),
      claim('data', 'ceph-block'),
    ],
    head: [
      serviceAccount('worker'),
      restrictedNamespace,
      // 64Gi on nodes of 32Gi.
      deployment('big', { memory: '64Gi' }),
      // A label no node has.
      deployment('picky', { nodeSelector: { dsik: 'ssd' } }),
      // A ServiceAccount no release creates.
      deployment('lonely', { serviceAccountName: 'wroker' }),
      // A privileged container in a namespace enforcing Pod Security "restricted".
      deployment('root', { namespace: 'locked', privileged: true }),
      // One replica pinned to one node: losing that node takes it down.
      deployment('pinned', { nodeSelector: { 'kubernetes.io/hostname': 'trio-2' } }),
      // Non-case: two replicas kept apart on the two workers; losing one worker leaves one, as on the base.
      deployment('spread-ok', { replicas: 2, antiAffinity: true }),
      // The node agent loses its control-plane toleration.
      daemonSet('agent', {}),
      claim('data', 'ceph-block'),
      // A StorageClass nobody defines.
      claim('cache', 'ceph-blok'),
    ],
  },
};
