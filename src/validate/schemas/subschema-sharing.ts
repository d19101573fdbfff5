import { createHash } from 'node:crypto';
import type { JsonSchema } from './schema-conversion.js';

/** Keywords whose value is one subschema. */
const SUBSCHEMA_KEYWORDS = ['items', 'additionalProperties', 'if', 'then', 'else'] as const;
/**
 * Keywords whose subschemas are alternatives. Nothing under them is moved: `describeViolations`
 * recognises the errors of a branch by `/anyOf/<n>/` (or `/oneOf/`, `/not/`) in the schema path,
 * and an error raised behind a `$ref` carries the path inside the referenced schema only.
 */
const BRANCH_KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;

/** Where shared subschemas live: named by a digest of their content, so equal ones are one schema. */
const SHARED_ID_PREFIX = 'https://custom-resources.invalid/shared/';

export interface SharedSubschemas {
  /** The schema with its object subschemas replaced by `$ref`s. */
  schema: JsonSchema;
  /** The referenced schemas, each with its `$id`; children before their parents. */
  shared: { id: string; schema: Record<string, unknown> }[];
}

/**
 * Rewrites a converted schema so that every object schema with `properties` outside a branch
 * becomes a `$ref` to a schema of its own, named by its content: equal subschemas (within a CRD
 * and across CRDs) are one schema, which Ajv compiles once per process.
 *
 * Why: Ajv generates one function per schema resource and inlines every nested subschema, and
 * with `verbose` each error site spells the whole path from the root to its schema. CRDs repeat
 * large structures (a Prometheus has several full container schemas, an ApplicationSet nests its
 * generators five levels deep), so inline code grew to 16 MB for one CRD; Ajv's and V8's
 * compilation of it dominated a validation run. Behind a `$ref` each distinct structure compiles
 * once, at depth one. What a value is checked against is unchanged; errors differ only in
 * `schemaPath` (now inside the shared schema), which nothing but the branch test above reads.
 *
 * The schema given is not changed.
 */
export function shareSubschemas(schema: JsonSchema): SharedSubschemas {
  const shared = new Map<string, Record<string, unknown>>();
  const visit = (node: JsonSchema, movable: boolean, isRoot = false): JsonSchema => {
    if (typeof node !== 'object') return node;
    const out: Record<string, unknown> = { ...node };
    if (isRecord(node.properties)) {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, property] of Object.entries(node.properties)) properties[name] = visit(property as JsonSchema, movable);
      out.properties = properties;
    }
    for (const keyword of SUBSCHEMA_KEYWORDS) {
      const child = node[keyword];
      if (isRecord(child)) out[keyword] = visit(child, movable);
    }
    for (const keyword of BRANCH_KEYWORDS) {
      const branches = node[keyword];
      if (Array.isArray(branches)) out[keyword] = branches.map((branch) => visit(branch as JsonSchema, false));
    }
    if (isRecord(node.not)) out.not = visit(node.not, false);
    // The root stays: it carries the CRD's `$id`.
    if (isRoot || !movable || !isRecord(out.properties) || '$id' in out) return out;
    const signature = signatureOf(out);
    if (signature === undefined) return out;
    const id = `${SHARED_ID_PREFIX}${createHash('sha256').update(signature).digest('hex').slice(0, 32)}.json`;
    if (!shared.has(id)) shared.set(id, { $id: id, ...out });
    return { $ref: id };
  };
  const root = visit(schema, true, true);
  return { schema: root, shared: [...shared].map(([id, sharedSchema]) => ({ id, schema: sharedSchema })) };
}

/** The schema's JSON; undefined when it holds a BigInt (JSON has no lossless text for it, so it is not shared). */
function signatureOf(schema: Record<string, unknown>): string | undefined {
  let exact = true;
  const text = JSON.stringify(schema, (_key, value: unknown) => {
    if (typeof value !== 'bigint') return value;
    exact = false;
    return null;
  });
  return exact ? text : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
