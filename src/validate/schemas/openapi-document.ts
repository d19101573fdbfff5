/** The parts of an upstream Kubernetes OpenAPI v3 document that validation reads. */
export interface OpenApiDocument {
  components: { schemas: Record<string, OpenApiSchema> };
}

/** One schema of the document, as upstream writes it (OpenAPI 3.0 schema object plus `x-kubernetes-*`). */
export type OpenApiSchema = Record<string, unknown>;

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Whether a parsed JSON value has the shape of an OpenAPI v3 document with component schemas. */
export function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  if (typeof value !== 'object' || value === null) return false;
  const components = (value as { components?: unknown }).components;
  if (typeof components !== 'object' || components === null) return false;
  const schemas = (components as { schemas?: unknown }).schemas;
  return typeof schemas === 'object' && schemas !== null && !Array.isArray(schemas);
}

/** The component schema names of the kinds a document serves, by kind (from `x-kubernetes-group-version-kind`). */
export function kindsServed(document: OpenApiDocument, group: string, version: string): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const gvk of gvks as GroupVersionKind[]) {
      if (gvk.group === group && gvk.version === version && !kinds.has(gvk.kind)) kinds.set(gvk.kind, name);
    }
  }
  return kinds;
}
