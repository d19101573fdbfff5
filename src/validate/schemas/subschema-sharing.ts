import type { JsonSchema } from './schema-conversion.js';

/** Keywords whose value is one subschema. */
const SUBSCHEMA_KEYWORDS = ['items', 'additionalProperties', 'if', 'then', 'else'] as const;
/**
 * Keywords whose subschemas are alternatives. Nothing under them is moved: `describeViolations`
 * recognises the errors of a branch by `/anyOf/<n>/` (or `/oneOf/`, `/not/`) in the schema path,
 * and an error raised behind a `$ref` carries the path inside the referenced schema only.
 */
const BRANCH_KEYWORDS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * Rewrites a converted schema so that every object schema with `properties` outside a branch
 * becomes a `$ref` to one entry of the root's `definitions`, equal subschemas sharing one entry.
 *
 * Why: Ajv generates one function per schema resource and inlines every nested subschema, and
 * with `verbose` each error site spells the whole path from the root to its schema. CRDs repeat
 * large structures (a Prometheus has several full container schemas, an ApplicationSet nests its
 * generators five levels deep), so inline code grew to 16 MB for one CRD; Ajv's and V8's
 * compilation of it dominated a validation run. Behind a `$ref` each distinct structure compiles
 * once, at depth one. What a value is checked against is unchanged; errors differ only in
 * `schemaPath` (now inside `#/definitions/...`), which nothing but the branch test above reads.
 *
 * Returns a new root; the schema given is not changed.
 */
export function shareSubschemas(schema: JsonSchema): JsonSchema {
  if (typeof schema !== 'object') return schema;
  const definitions: Record<string, JsonSchema> = {};
  const names = new Map<string, string>();
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
    // The root stays where it is: Ajv compiles it, and its `$id` is what the `$ref`s resolve against.
    if (isRoot || !movable || !isRecord(out.properties)) return out;
    const signature = signatureOf(out);
    if (signature === undefined) return out;
    let name = names.get(signature);
    if (!name) {
      name = `shared${names.size}`;
      names.set(signature, name);
      definitions[name] = out;
    }
    return { $ref: `#/definitions/${name}` };
  };
  const root = visit(schema, true, true) as Record<string, unknown>;
  if (names.size === 0) return schema;
  if ('definitions' in root) throw new Error('internal: a converted schema has definitions of its own');
  root.definitions = definitions;
  return root;
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
