import { Ajv, type AnySchema, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../src/validate/schemas/schema-conversion.js';
import { shareSubschemas } from '../../../src/validate/schemas/subschema-sharing.js';

const port = {
  type: ['object', 'null'],
  properties: { name: { type: 'string' }, port: { type: 'integer', minimum: 1 } },
  required: ['port'],
  additionalProperties: false,
};
const container = {
  type: 'object',
  properties: { name: { type: 'string' }, ports: { type: 'array', items: port } },
  required: ['name'],
  additionalProperties: false,
};

function crdSchema(id: string): Record<string, unknown> {
  return {
    $id: id,
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          containers: { type: 'array', items: container },
          initContainers: { type: 'array', items: container },
          either: { anyOf: [{ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, { type: 'string' }] },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  };
}

/** What a finding is made of: everything of Ajv's error but the schema path. */
function withoutSchemaPath(errors: ErrorObject[] | null | undefined): unknown[] {
  return (errors ?? []).map(({ schemaPath: _schemaPath, schema: _schema, parentSchema, ...rest }) => ({
    ...rest,
    parentProperties: Object.keys((parentSchema as { properties?: object } | undefined)?.properties ?? {}),
  }));
}

describe('shareSubschemas', () => {
  it('moves equal object subschemas of several schemas to one schema each, leaving branches and the input alone', () => {
    const first = crdSchema('https://custom-resources.invalid/first.json');
    const second = crdSchema('https://custom-resources.invalid/second.json');
    const before = JSON.stringify(first);
    const a = shareSubschemas(first);
    const b = shareSubschemas(second);
    expect(JSON.stringify(first)).toBe(before);
    // spec, container and port: three distinct object schemas, named by their content in both.
    expect(a.shared.map((entry) => entry.id)).toEqual(b.shared.map((entry) => entry.id));
    expect(a.shared).toHaveLength(3);
    const root = a.schema as { $id: string; properties: { spec: { $ref: string } } };
    expect(root.$id).toBe('https://custom-resources.invalid/first.json');
    const spec = a.shared.find((entry) => entry.id === root.properties.spec.$ref)!.schema as {
      properties: Record<string, { items?: { $ref: string }; anyOf?: JsonSchema[] }>;
    };
    expect(spec.properties.containers!.items).toEqual(spec.properties.initContainers!.items);
    // Inside anyOf the object stays inline: a branch's errors are recognised by their schema path.
    expect(spec.properties.either!.anyOf![0]).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: false,
    });
  });

  it('leaves schemas holding a BigInt inline', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { n: { maximum: 10n } } } } };
    expect(shareSubschemas(schema as unknown as JsonSchema)).toEqual({ schema, shared: [] });
  });

  it('gives Ajv the same errors in the same order, but for the schema path', () => {
    const ajvOptions = { allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true, inlineRefs: false };
    const inline = new Ajv(ajvOptions).compile(crdSchema('https://custom-resources.invalid/inline.json'));
    const sharingAjv = new Ajv(ajvOptions);
    const { schema, shared } = shareSubschemas(crdSchema('https://custom-resources.invalid/shared.json'));
    for (const entry of shared) sharingAjv.addSchema(entry.schema as AnySchema);
    const sharing = sharingAjv.compile(schema as AnySchema);
    const resources = [
      { spec: { containers: [{ name: 'a', ports: [{ port: 80 }, null] }], either: 'x' } },
      {
        spec: {
          containers: [{ ports: [{ port: 0, extra: 1 }] }, { name: 1 }],
          initContainers: [{ name: 'i', ports: [{ name: 'http' }], image: 'x' }],
          either: { a: 1 },
          unknown: true,
        },
      },
    ];
    for (const resource of resources) {
      expect(sharing(resource)).toBe(inline(resource));
      expect(withoutSchemaPath(sharing.errors)).toEqual(withoutSchemaPath(inline.errors));
    }
    expect(inline.errors?.length).toBeGreaterThan(5);
  });
});
