/**
 * The nodes an environment runs on, and the StorageClasses that exist outside the repository, as
 * the repository declares them in `.helmfile-hydrate.yaml` under `environments.<name>` (pure).
 * The rehearsal registers exactly these nodes; the image check reads their architectures.
 */

/** A taint as a Node carries it. */
export interface NodeTaint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** What the scheduler may place on a node (a Node's `status.allocatable`), as quantities. */
export interface NodeAllocatable {
  cpu: string;
  memory: string;
  pods: string;
  'ephemeral-storage': string;
}

export interface DeclaredNode {
  name: string;
  /** GOARCH word (`amd64`, `arm64`): the node's `kubernetes.io/arch` label. */
  architecture: string;
  labels: Record<string, string>;
  taints: NodeTaint[];
  allocatable: NodeAllocatable;
}

export interface DeclaredStorageClass {
  name: string;
  provisioner: string;
  /** The cluster's default class (`storageclass.kubernetes.io/is-default-class`). */
  default: boolean;
}

/** One environment's cluster: declared, or the assumed single node when the repository declares none. */
export interface EnvironmentCluster {
  environment: string;
  nodes: DeclaredNode[];
  storageClasses: DeclaredStorageClass[];
  /** False when nothing was declared: capacity and node loss are not judged on the assumed node. */
  declared: boolean;
}

/** The key of `.helmfile-hydrate.yaml` that holds the declarations. */
export const ENVIRONMENTS_KEY = 'environments';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/**
 * The node the rehearsal assumes without a declaration: untainted linux/amd64, large enough for
 * anything a home-lab platform asks (admission, selectors, tolerations and volumes are still judged).
 */
export const ASSUMED_NODE: DeclaredNode = {
  name: 'assumed-node',
  architecture: 'amd64',
  labels: {},
  taints: [],
  allocatable: { cpu: '1000', memory: '4Ti', pods: '1000', 'ephemeral-storage': '100Ti' },
};

/** A declaration helmfile-hydrate cannot use; the message quotes the file, the entry and the fix. */
export class NodeDeclarationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeDeclarationError';
  }
}

const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$/;

/** The cluster of `environment`: its declaration, else the assumed node. */
export function environmentCluster(declarations: ReadonlyMap<string, EnvironmentCluster>, environment: string): EnvironmentCluster {
  return declarations.get(environment) ?? { environment, nodes: [ASSUMED_NODE], storageClasses: [], declared: false };
}

/** The architectures of an environment's nodes, sorted; `amd64` without a declaration. */
export function environmentArchitectures(cluster: EnvironmentCluster): string[] {
  return [...new Set(cluster.nodes.map((node) => node.architecture))].sort();
}

/** Reads the `environments` mapping of the file (already parsed as plain data). */
export function parseEnvironmentClusters(value: unknown, location: string): Map<string, EnvironmentCluster> {
  const clusters = new Map<string, EnvironmentCluster>();
  if (value === undefined || value === null) return clusters;
  const environments = mapping(value, `${location}: ${ENVIRONMENTS_KEY}`);
  for (const [environment, entry] of Object.entries(environments)) {
    const where = `${location}: ${ENVIRONMENTS_KEY}.${environment}`;
    const fields = mapping(entry, where);
    refuseUnknown(fields, ['nodes', 'storageClasses'], where);
    const nodes = list(fields.nodes, `${where}.nodes`).map((node, index) => parseNode(node, `${where}.nodes[${index}]`));
    if (nodes.length === 0) throw new NodeDeclarationError(`${where}.nodes is empty: declare at least one node, or remove the environment`);
    const names = nodes.map((node) => node.name);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate) throw new NodeDeclarationError(`${where}.nodes: the name "${duplicate}" is declared twice; node names are unique`);
    const storageClasses = list(fields.storageClasses ?? [], `${where}.storageClasses`).map((item, index) =>
      parseStorageClass(item, `${where}.storageClasses[${index}]`),
    );
    clusters.set(environment, { environment, nodes, storageClasses, declared: true });
  }
  return clusters;
}

function parseNode(value: unknown, where: string): DeclaredNode {
  const fields = mapping(value, where);
  refuseUnknown(fields, ['name', 'architecture', 'labels', 'taints', 'allocatable'], where);
  const name = text(fields.name, `${where}.name`);
  const allocatable = mapping(fields.allocatable, `${where}.allocatable`);
  refuseUnknown(allocatable, ['cpu', 'memory', 'pods', 'ephemeral-storage'], `${where}.allocatable`);
  const quantity = (key: keyof NodeAllocatable, fallback?: string) => {
    const raw = allocatable[key] ?? fallback;
    const written = typeof raw === 'number' ? String(raw) : raw;
    if (typeof written !== 'string' || !QUANTITY.test(written)) {
      throw new NodeDeclarationError(
        `${where}.allocatable.${key}: "${String(raw ?? '')}" is not a Kubernetes quantity; write e.g. cpu: "8", memory: 32Gi, pods: "110"`,
      );
    }
    return written;
  };
  const labels = Object.fromEntries(
    Object.entries(mapping(fields.labels ?? {}, `${where}.labels`)).map(([key, label]) => [
      key,
      label === null ? '' : text(label, `${where}.labels.${key}`, true),
    ]),
  );
  return {
    name,
    architecture: fields.architecture === undefined ? 'amd64' : text(fields.architecture, `${where}.architecture`),
    labels,
    taints: list(fields.taints ?? [], `${where}.taints`).map((taint, index) => parseTaint(taint, `${where}.taints[${index}]`)),
    allocatable: {
      cpu: quantity('cpu'),
      memory: quantity('memory'),
      pods: quantity('pods', '110'),
      'ephemeral-storage': quantity('ephemeral-storage', '100Gi'),
    },
  };
}

function parseTaint(value: unknown, where: string): NodeTaint {
  const fields = mapping(value, where);
  refuseUnknown(fields, ['key', 'value', 'effect'], where);
  const effect = fields.effect;
  if (!TAINT_EFFECTS.includes(effect as NodeTaint['effect'])) {
    throw new NodeDeclarationError(
      `${where}.effect: "${String(effect ?? '')}" is not a taint effect; use one of ${TAINT_EFFECTS.join(', ')}`,
    );
  }
  const taint: NodeTaint = { key: text(fields.key, `${where}.key`), effect: effect as NodeTaint['effect'] };
  if (fields.value !== undefined && fields.value !== null) taint.value = text(fields.value, `${where}.value`, true);
  return taint;
}

function parseStorageClass(value: unknown, where: string): DeclaredStorageClass {
  const fields = mapping(value, where);
  refuseUnknown(fields, ['name', 'provisioner', 'default'], where);
  if (fields.default !== undefined && typeof fields.default !== 'boolean')
    throw new NodeDeclarationError(`${where}.default: "${String(fields.default)}" is not true or false`);
  return {
    name: text(fields.name, `${where}.name`),
    provisioner: text(fields.provisioner, `${where}.provisioner`),
    default: fields.default === true,
  };
}

function mapping(value: unknown, where: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new NodeDeclarationError(`${where} must be a mapping`);
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new NodeDeclarationError(`${where} must be a list`);
  return value;
}

function text(value: unknown, where: string, emptyAllowed = false): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || (!emptyAllowed && value === '')) throw new NodeDeclarationError(`${where} must be a non-empty string`);
  return value;
}

function refuseUnknown(fields: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(fields).find((key) => !known.includes(key));
  if (unknown)
    throw new NodeDeclarationError(`${where}: unknown key "${unknown}" (known: ${known.join(', ')}); remove it or fix its spelling`);
}
