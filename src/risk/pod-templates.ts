import { isRecord, valueAt, type JsonObject } from './values.js';

/** Where each workload kind keeps its pod template (`spec` of a Pod itself). */
const POD_TEMPLATE_PATHS: Record<string, string> = {
  'apps|Deployment': 'spec.template',
  'apps|StatefulSet': 'spec.template',
  'apps|DaemonSet': 'spec.template',
  'apps|ReplicaSet': 'spec.template',
  'batch|Job': 'spec.template',
  'batch|CronJob': 'spec.jobTemplate.spec.template',
};

/** Where a kind keeps its pod spec, as a risk names the field: `spec.template.spec`, `spec` for a Pod. */
export function podSpecPath(group: string, kind: string): string {
  if (group === '' && kind === 'Pod') return 'spec';
  const path = POD_TEMPLATE_PATHS[`${group}|${kind}`];
  return path ? `${path}.spec` : 'spec';
}

/** The pod template (`metadata` + `spec`) of a built-in workload; a Pod is its own template. */
export function podTemplate(group: string, kind: string, object: JsonObject | undefined): JsonObject | undefined {
  if (!object) return undefined;
  if (group === '' && kind === 'Pod') return object;
  const path = POD_TEMPLATE_PATHS[`${group}|${kind}`];
  const template = path ? valueAt(object, path) : undefined;
  return isRecord(template) ? template : undefined;
}

/** A reference from a pod to a ConfigMap or Secret: a single key, or the whole object. */
export interface ConfigReference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** The key read; undefined when every key is read (envFrom, a volume without items). */
  key?: string;
  optional: boolean;
  /** Where, for messages: `container web env DB_HOST`, `volume config`. */
  via: string;
}

/** Every ConfigMap/Secret a pod spec reads (containers, init containers, volumes, projected volumes). */
export function configReferences(podSpec: unknown): ConfigReference[] {
  if (!isRecord(podSpec)) return [];
  const references: ConfigReference[] = [];
  const containers = [...list(podSpec.initContainers), ...list(podSpec.containers)];
  for (const container of containers) {
    const containerName = String(container.name ?? '?');
    for (const variable of list(container.env)) {
      for (const [field, kind] of [
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
      ] as const) {
        const ref = valueAt(variable, `valueFrom.${field}`);
        if (isRecord(ref) && typeof ref.name === 'string')
          references.push({
            kind,
            name: ref.name,
            key: String(ref.key ?? ''),
            optional: ref.optional === true,
            via: `container ${containerName} env ${String(variable.name ?? '?')}`,
          });
      }
    }
    for (const source of list(container.envFrom)) {
      for (const [field, kind] of [
        ['configMapRef', 'ConfigMap'],
        ['secretRef', 'Secret'],
      ] as const) {
        const ref = source[field];
        if (isRecord(ref) && typeof ref.name === 'string')
          references.push({ kind, name: ref.name, optional: ref.optional === true, via: `container ${containerName} envFrom` });
      }
    }
  }
  for (const volume of list(podSpec.volumes)) {
    const volumeName = String(volume.name ?? '?');
    const sources: { kind: 'ConfigMap' | 'Secret'; source: JsonObject }[] = [];
    if (isRecord(volume.configMap)) sources.push({ kind: 'ConfigMap', source: volume.configMap });
    if (isRecord(volume.secret)) sources.push({ kind: 'Secret', source: { ...volume.secret, name: volume.secret.secretName } });
    for (const projected of list(valueAt(volume, 'projected.sources'))) {
      if (isRecord(projected.configMap)) sources.push({ kind: 'ConfigMap', source: projected.configMap });
      if (isRecord(projected.secret)) sources.push({ kind: 'Secret', source: projected.secret });
    }
    for (const { kind, source } of sources) {
      if (typeof source.name !== 'string') continue;
      const items = list(source.items);
      const optional = source.optional === true;
      if (items.length === 0) references.push({ kind, name: source.name, optional, via: `volume ${volumeName}` });
      for (const item of items)
        references.push({ kind, name: source.name, key: String(item.key ?? ''), optional, via: `volume ${volumeName}` });
    }
  }
  return references;
}

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
