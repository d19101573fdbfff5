import type { KubeClient } from '../apiserver/kube-client.js';
import type { DeclaredNode, DeclaredStorageClass } from '../cluster/node-declaration.js';
import { KWOK_NODE_ANNOTATION, KWOK_NODE_ANNOTATION_VALUE } from '../cluster/cluster-controllers.js';

/** The Node a kubelet of `version` would register for a declared node, marked for KWOK to play (pure). */
export function nodeObject(node: DeclaredNode, kubeletVersion: string): Record<string, unknown> {
  const allocatable = { ...node.allocatable };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        ...node.labels,
        'kubernetes.io/arch': node.architecture,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': node.labels['kubernetes.io/hostname'] ?? node.name,
      },
      annotations: { [KWOK_NODE_ANNOTATION]: KWOK_NODE_ANNOTATION_VALUE },
    },
    spec: { taints: node.taints },
    status: {
      allocatable,
      capacity: allocatable,
      nodeInfo: {
        architecture: node.architecture,
        operatingSystem: 'linux',
        kubeletVersion: `v${kubeletVersion}`,
        kubeProxyVersion: '',
        bootID: '',
        containerRuntimeVersion: '',
        kernelVersion: '',
        machineID: '',
        osImage: '',
        systemUUID: '',
      },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'played by KWOK for the rehearsal' }],
    },
  };
}

/** A declared StorageClass as the cluster holds it (pure). */
export function storageClassObject(storageClass: DeclaredStorageClass): Record<string, unknown> {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: storageClass.name,
      ...(storageClass.default ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    provisioner: storageClass.provisioner,
  };
}

/** Registers the environment's nodes and the StorageClasses that exist outside the repository. */
export async function registerNodes(
  client: KubeClient,
  nodes: readonly DeclaredNode[],
  storageClasses: readonly DeclaredStorageClass[],
  kubeletVersion: string,
): Promise<void> {
  const create = async (path: string, object: Record<string, unknown>) => {
    const answer = await client.request('POST', path, JSON.stringify(object), { 'content-type': 'application/json' });
    if (answer.status >= 300) {
      const name = (object.metadata as { name: string }).name;
      throw new Error(
        `the local API server refused the declared ${String(object.kind)} "${name}" (${answer.status}): ${answer.text.slice(0, 500)}`,
      );
    }
  };
  // The API server taints a new node not-ready (admission, TaintNodesByCondition) until the node
  // lifecycle controller sees it Ready; that controller does not run here, so the declared taints are set back.
  const register = async (node: DeclaredNode) => {
    await create('/api/v1/nodes', nodeObject(node, kubeletVersion));
    const answer = await client.request(
      'PATCH',
      `/api/v1/nodes/${encodeURIComponent(node.name)}`,
      JSON.stringify({ spec: { taints: node.taints } }),
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    if (answer.status >= 300)
      throw new Error(`setting the declared taints of the node "${node.name}" failed (${answer.status}): ${answer.text.slice(0, 500)}`);
  };
  await Promise.all([
    ...nodes.map(register),
    ...storageClasses.map((storageClass) => create('/apis/storage.k8s.io/v1/storageclasses', storageClassObject(storageClass))),
  ]);
}
