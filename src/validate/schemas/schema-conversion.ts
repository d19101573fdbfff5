import { BUILT_IN_TYPE_FORMATS, CUSTOM_RESOURCE_FORMATS } from './kubernetes-formats.js';
import { checkGoPattern } from './go-regexp.js';
import type { OpenApiDocument, OpenApiSchema } from './openapi-document.js';

/** A JSON Schema (draft-07, the dialect Ajv compiles by default). */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

/** Something the conversion could not carry over exactly (e.g. a Go-only regular expression). */
export interface ConversionNote {
  /** Where in the source schema: `.properties.spec.properties.name.pattern`. */
  location: string;
  message: string;
}

export interface ConvertedSchema {
  schema: JsonSchema;
  notes: ConversionNote[];
}

/** The custom Ajv keyword checking that the items of an `x-kubernetes-list-type: map` list have distinct keys. */
export const LIST_MAP_KEYS_KEYWORD = 'x-list-map-keys';

/** Component schemas upstream describes with `oneOf` but the API server decodes itself. */
const SPECIAL_DEFINITIONS: Record<string, JsonSchema> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: ['integer', 'string'] },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: ['string', 'number'], format: 'quantity' },
};

/** The schema of object metadata; the conversion of custom resource schemas points at it. */
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const COMPONENT_PREFIX = '#/components/schemas/';
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const COPIED_KEYWORDS = [
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'multipleOf',
  'uniqueItems',
] as const;

interface Context {
  mode: 'built-in' | 'custom-resource';
  /** Prefix of `$ref`s to other component schemas of the same document (built-in mode). */
  definitionBase: string;
  /** Component schemas taken from another document (see `SharedDefinitions`). */
  shared?: SharedDefinitions;
  /** `$ref` of ObjectMeta for embedded resources and custom resource metadata. */
  objectMetaRef: string;
  notes: ConversionNote[];
}

/**
 * Every group/version document repeats the core and apimachinery types it uses (PodSpec,
 * ObjectMeta...), generated from the same Go types. Pointing those `$ref`s at the core/v1
 * document of the same Kubernetes version makes Ajv compile PodSpec once per run instead of once
 * per group (apps, batch, core): the largest part of a cold run.
 */
export interface SharedDefinitions {
  /** `<core id>#/definitions/` */
  base: string;
  names: ReadonlySet<string>;
}

/** Names of a core/v1 document that other documents of the same version can share. */
export function shareableDefinitions(core: OpenApiDocument, coreId: string): SharedDefinitions {
  const names = Object.keys(core.components.schemas).filter(
    (name) => name.startsWith('io.k8s.api.core.v1.') || name.startsWith('io.k8s.apimachinery.'),
  );
  return { base: `${coreId}#/definitions/`, names: new Set(names) };
}

/**
 * Converts an upstream group/version document into one JSON Schema whose `definitions` are its
 * component schemas; kinds are compiled lazily by `$ref`ing `<id>#/definitions/<name>`.
 * Strict: an object schema with properties accepts no other field.
 */
export function convertBuiltInDocument(
  document: OpenApiDocument,
  id: string,
  objectMetaRef: string,
  shared?: SharedDefinitions,
): ConvertedSchema {
  const context: Context = {
    mode: 'built-in',
    definitionBase: `${id}#/definitions/`,
    objectMetaRef,
    notes: [],
    ...(shared ? { shared } : {}),
  };
  const definitions: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    definitions[name] = SPECIAL_DEFINITIONS[name] ?? convert(schema, context, `#/components/schemas/${name}`, false);
  }
  return { schema: { $id: id, definitions }, notes: context.notes };
}

/**
 * Converts the `openAPIV3Schema` of one served version of a CustomResourceDefinition the way the
 * apiextensions API server applies it: structural, unknown fields are errors except under
 * `x-kubernetes-preserve-unknown-fields`, metadata is ObjectMeta, embedded resources carry
 * apiVersion/kind/metadata, `nullable` and `x-kubernetes-int-or-string` are honoured.
 */
export function convertCustomResourceSchema(openApiV3Schema: OpenApiSchema, id: string, objectMetaRef: string): ConvertedSchema {
  const context: Context = { mode: 'custom-resource', definitionBase: '', objectMetaRef, notes: [] };
  const converted = convert(openApiV3Schema, context, '', false);
  const root: Record<string, unknown> = typeof converted === 'object' ? { ...converted } : {};
  const properties = { ...((root.properties as Record<string, JsonSchema> | undefined) ?? {}) };
  properties.apiVersion = { type: 'string' };
  properties.kind = { type: 'string' };
  const declaredMetadata = isRecord(openApiV3Schema.properties)
    ? (openApiV3Schema.properties.metadata as OpenApiSchema | undefined)
    : undefined;
  const metadataConstraints = declaredMetadata
    ? convert({ ...declaredMetadata, 'x-kubernetes-preserve-unknown-fields': true }, context, '.properties.metadata', true)
    : true;
  properties.metadata = hasConstraints(metadataConstraints)
    ? { allOf: [{ $ref: objectMetaRef }, metadataConstraints] }
    : { $ref: objectMetaRef };
  root.properties = properties;
  if (!openApiV3Schema['x-kubernetes-preserve-unknown-fields']) root.additionalProperties = false;
  root.$id = id;
  return { schema: root, notes: context.notes };
}

/**
 * @param branch inside allOf/anyOf/oneOf/not: value validation only, never the strictness that
 *   belongs to the schema the object is pruned against.
 */
function convert(schema: OpenApiSchema, context: Context, location: string, branch: boolean): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref === 'string' && context.mode === 'built-in') {
    const name = ref.slice(COMPONENT_PREFIX.length);
    return { $ref: (context.shared?.names.has(name) ? context.shared.base : context.definitionBase) + name };
  }

  const allOf = schema.allOf;
  if (
    Array.isArray(allOf) &&
    allOf.length === 1 &&
    context.mode === 'built-in' &&
    schema.type === undefined &&
    schema.properties === undefined
  ) {
    // Upstream wraps every reference as `allOf: [{$ref}]` to attach a description and default.
    return convert(allOf[0] as OpenApiSchema, context, `${location}.allOf[0]`, branch);
  }

  const out: Record<string, unknown> = {};
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;

  Object.assign(out, valueKeywords(schema, context, location));

  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches))
      out[keyword] = branches.map((item, index) =>
        convert(item as OpenApiSchema, context, `${location}.${keyword}[${index}]`, context.mode === 'custom-resource'),
      );
  }
  if (isRecord(schema.not)) out.not = convert(schema.not, context, `${location}.not`, true);

  Object.assign(out, objectProperties(schema, context, location, branch));

  if (isRecord(schema.additionalProperties)) {
    const converted = convert(schema.additionalProperties, context, `${location}.additionalProperties`, branch);
    out.additionalProperties = schema.additionalProperties.nullable === true ? allowNull(converted) : converted;
  } else if (typeof schema.additionalProperties === 'boolean') {
    out.additionalProperties = schema.additionalProperties;
  } else if (!branch && !preserve) {
    const strict =
      context.mode === 'built-in' ? isRecord(schema.properties) : schema.type === 'object' || isRecord(schema.properties) || embedded;
    if (strict) out.additionalProperties = false;
  }

  if (isRecord(schema.items)) {
    const converted = convert(schema.items, context, `${location}.items`, branch);
    out.items = schema.items.nullable === true ? allowNull(converted) : converted;
  }
  if (context.mode === 'custom-resource' && !branch) {
    // The apiextensions API server rejects duplicates in set and map lists.
    if (schema['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
    const keys = schema['x-kubernetes-list-map-keys'];
    if (schema['x-kubernetes-list-type'] === 'map' && Array.isArray(keys) && keys.length > 0) out[LIST_MAP_KEYS_KEYWORD] = keys;
  }
  return Object.keys(out).length === 0 ? true : out;
}

/** The keywords about a value itself: type, format, enum, bounds, pattern (a Go pattern JavaScript cannot check is noted instead). */
function valueKeywords(schema: OpenApiSchema, context: Context, location: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const nullable = schema.nullable === true;
  const types: string[] = [];
  if (schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string') types.push('integer', 'string');
  else if (typeof schema.type === 'string' && TYPES.has(schema.type)) types.push(schema.type);
  if (types.length > 0 && nullable) types.push('null');
  if (types.length > 0) out.type = types.length === 1 ? types[0] : types;

  if (typeof schema.format === 'string') {
    const format =
      context.mode === 'built-in'
        ? BUILT_IN_TYPE_FORMATS.has(schema.format)
          ? schema.format
          : undefined
        : CUSTOM_RESOURCE_FORMATS.get(schema.format);
    if (format) out.format = format;
  }
  if (Array.isArray(schema.enum)) out.enum = nullable && !schema.enum.includes(null) ? [...schema.enum, null] : [...schema.enum];

  for (const keyword of COPIED_KEYWORDS) if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
  // OpenAPI 3.0 exclusiveMinimum/Maximum are booleans modifying minimum/maximum; draft-07 has numbers.
  if (typeof schema.minimum === 'number') out[schema.exclusiveMinimum === true ? 'exclusiveMinimum' : 'minimum'] = schema.minimum;
  if (typeof schema.maximum === 'number') out[schema.exclusiveMaximum === true ? 'exclusiveMaximum' : 'maximum'] = schema.maximum;

  if (typeof schema.pattern === 'string') {
    const checked = checkGoPattern(schema.pattern);
    if (checked.ok) out.pattern = schema.pattern;
    else
      context.notes.push({
        location: `${location}.pattern`,
        message: `pattern ${JSON.stringify(schema.pattern)} is not checked: ${checked.reason}`,
      });
  }
  return out;
}

/** `properties` and `required`: an optional field also accepts null; an embedded resource gets apiVersion, kind and metadata. */
function objectProperties(schema: OpenApiSchema, context: Context, location: string, branch: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const properties: Record<string, JsonSchema> = {};
  if (isRecord(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!isRecord(property)) continue;
      const converted = convert(property, context, `${location}.properties.${name}`, branch);
      // The API server accepts null for an optional field (it is dropped, or decodes to the zero value).
      properties[name] = !branch && (!required.has(name) || property.nullable === true) ? allowNull(converted) : converted;
    }
  }
  if (embedded && !branch) {
    properties.apiVersion ??= { type: 'string' };
    properties.kind ??= { type: 'string' };
    properties.metadata ??= { $ref: context.objectMetaRef };
    required.add('apiVersion').add('kind');
  }
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (required.size > 0) out.required = [...required];
  return out;
}

/** The same schema, also accepting null. */
function allowNull(schema: JsonSchema): JsonSchema {
  if (schema === true) return true;
  if (schema === false) return { type: 'null' };
  if ('$ref' in schema || 'allOf' in schema || 'anyOf' in schema || 'oneOf' in schema || 'not' in schema) {
    return { if: { type: 'null' }, then: true, else: schema };
  }
  const result = { ...schema };
  if (result.type !== undefined) {
    const types = Array.isArray(result.type) ? (result.type as string[]) : [result.type as string];
    if (!types.includes('null')) result.type = [...types, 'null'];
  }
  if (Array.isArray(result.enum) && !result.enum.includes(null)) result.enum = [...result.enum, null];
  return result;
}

function hasConstraints(schema: JsonSchema): boolean {
  return schema !== true && !(typeof schema === 'object' && Object.keys(schema).every((key) => key === 'type'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
