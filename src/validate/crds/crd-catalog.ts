import type { OpenApiSchema } from '../schemas/openapi-document.js';

export interface CustomResourceVersion {
  name: string;
  served: boolean;
  schema?: OpenApiSchema;
}

/** A CustomResourceDefinition known to validation: from the render or from an extra CRD file. */
export interface CustomResourceDefinitionEntry {
  /** `widgets.example.com` */
  name: string;
  group: string;
  kind: string;
  versions: CustomResourceVersion[];
  /** Where it comes from, for messages: `release "widgets" (staging/widgets/...yaml)` or a file path. */
  origin: string;
}

/** The CRDs of one environment, by group and kind. A CRD of the render wins over an extra file's. */
export class CustomResourceCatalog {
  private readonly entries = new Map<string, CustomResourceDefinitionEntry>();

  /** Adds a CRD object if it names a group, a kind and versions; returns whether it did. */
  add(object: Record<string, unknown>, origin: string, replace = true): boolean {
    const entry = customResourceDefinitionEntry(object, origin);
    if (!entry) return false;
    const key = catalogKey(entry.group, entry.kind);
    if (replace || !this.entries.has(key)) this.entries.set(key, entry);
    return true;
  }

  lookup(group: string, kind: string): CustomResourceDefinitionEntry | undefined {
    return this.entries.get(catalogKey(group, kind));
  }
}

export function isCustomResourceDefinition(object: Record<string, unknown>): boolean {
  return (
    object.kind === 'CustomResourceDefinition' &&
    typeof object.apiVersion === 'string' &&
    object.apiVersion.startsWith('apiextensions.k8s.io/')
  );
}

function customResourceDefinitionEntry(object: Record<string, unknown>, origin: string): CustomResourceDefinitionEntry | undefined {
  if (!isCustomResourceDefinition(object)) return undefined;
  const spec = record(object.spec);
  const names = record(spec?.names);
  const group = spec?.group;
  const kind = names?.kind;
  if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec?.versions)) return undefined;
  const versions: CustomResourceVersion[] = [];
  for (const item of spec.versions as unknown[]) {
    const version = record(item);
    if (!version || typeof version.name !== 'string') continue;
    const schema = record(record(version.schema)?.openAPIV3Schema);
    versions.push({ name: version.name, served: version.served !== false, ...(schema ? { schema } : {}) });
  }
  const name =
    typeof record(object.metadata)?.name === 'string'
      ? (record(object.metadata)!.name as string)
      : `${String(names?.plural ?? kind.toLowerCase())}.${group}`;
  return { name, group, kind, versions, origin };
}

function catalogKey(group: string, kind: string): string {
  return `${group}|${kind}`;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
