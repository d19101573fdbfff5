import { isMap, parseDocument } from 'yaml';
import { ENVIRONMENTS_KEY, NodeDeclarationError, type DeclaredNode, type NodeTaint } from './node-declaration.js';

/**
 * Labels a node's kubelet and cloud set on every node by itself: they describe the machine, and the
 * rehearsal sets them again from the declaration (`kubernetes.io/arch`, `kubernetes.io/os`,
 * `kubernetes.io/hostname`) or has no use for them.
 */
const AUTOMATIC_LABELS = new Set([
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'kubernetes.io/hostname',
]);

/** Taints the node lifecycle puts on and takes off as a node's health changes: not part of what the node is. */
const CONDITION_TAINT_PREFIX = 'node.kubernetes.io/';

interface KubectlNode {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { taints?: { key: string; value?: string; effect: string }[] };
  status?: { allocatable?: Record<string, string>; nodeInfo?: { architecture?: string } };
}

/**
 * The declared nodes of `kubectl get nodes -o json` (a List, or one Node) (pure): name, the labels
 * a person set, taints other than health conditions, allocatable cpu/memory/pods/ephemeral-storage,
 * architecture. `source` names the input in messages.
 */
export function nodesFromKubectl(json: string, source: string): DeclaredNode[] {
  let parsed: { kind?: string; items?: KubectlNode[] } & KubectlNode;
  try {
    parsed = JSON.parse(json) as typeof parsed;
  } catch (error) {
    throw new NodeDeclarationError(`${source} is not JSON (${(error as Error).message}); give the output of kubectl get nodes -o json`);
  }
  const items = parsed.kind === 'Node' ? [parsed] : (parsed.items ?? []);
  if (items.length === 0) throw new NodeDeclarationError(`${source} holds no Node; give the output of kubectl get nodes -o json`);
  return items
    .map((item, index) => {
      const name = item.metadata?.name;
      if (!name) throw new NodeDeclarationError(`${source}: item ${index} has no metadata.name`);
      const allocatable = item.status?.allocatable ?? {};
      const labels = Object.fromEntries(
        Object.entries(item.metadata?.labels ?? {})
          .filter(([key]) => !AUTOMATIC_LABELS.has(key))
          .sort(),
      );
      const taints: NodeTaint[] = (item.spec?.taints ?? [])
        .filter((taint) => !taint.key.startsWith(CONDITION_TAINT_PREFIX))
        .map((taint) => ({ key: taint.key, ...(taint.value ? { value: taint.value } : {}), effect: taint.effect as NodeTaint['effect'] }));
      const quantity = (key: string) => {
        const value = allocatable[key];
        if (!value) throw new NodeDeclarationError(`${source}: node "${name}" has no status.allocatable.${key}`);
        return value;
      };
      return {
        name,
        architecture: item.status?.nodeInfo?.architecture ?? item.metadata?.labels?.['kubernetes.io/arch'] ?? 'amd64',
        labels,
        taints,
        allocatable: {
          cpu: quantity('cpu'),
          memory: quantity('memory'),
          pods: quantity('pods'),
          'ephemeral-storage': allocatable['ephemeral-storage'] ?? '100Gi',
        },
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The text of `.helmfile-hydrate.yaml` with `environments.<environment>.nodes` replaced by `nodes`
 * (pure): everything else, comments included, is kept as written.
 */
export function withDeclaredNodes(text: string, environment: string, nodes: readonly DeclaredNode[]): string {
  const document = parseDocument(text);
  if (document.errors.length) throw new NodeDeclarationError(`the file is not valid YAML: ${document.errors[0]!.message}`);
  if (document.contents !== null && !isMap(document.contents)) throw new NodeDeclarationError('the file must be a mapping');
  const plain = nodes.map((node) => ({
    name: node.name,
    architecture: node.architecture,
    ...(Object.keys(node.labels).length ? { labels: node.labels } : {}),
    ...(node.taints.length ? { taints: node.taints } : {}),
    allocatable: node.allocatable,
  }));
  document.setIn([ENVIRONMENTS_KEY, environment, 'nodes'], document.createNode(plain));
  return document.toString({ lineWidth: 0 });
}
