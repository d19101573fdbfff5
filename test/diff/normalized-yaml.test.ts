import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toNormalizedYaml } from '../../src/diff/normalized-yaml.js';

describe('toNormalizedYaml', () => {
  it('writes block YAML that reads back to the same value', () => {
    const value = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'x' }, annotations: {} },
      data: {
        'script.sh': '#!/bin/sh\necho "hi"\n  indented\n',
        noNewline: 'a\nb',
        trailing: 'a\n\n',
        leadingSpace: '  x\ny\n',
        numberLike: '8080',
        boolLike: 'yes',
        empty: '',
        colon: 'a: b',
        hash: 'a #b',
        quote: "'x'",
        dash: '- x',
        date: '2024-01-01',
        tab: 'a\tb',
        unicode: 'grüße ✓',
        marker: '<secret: unchanged, 3 bytes>',
      },
      list: [1, 'two', null, true, { a: 1, b: [{ c: 'd' }, []] }, [1, [2]], {}],
      nested: [[{ x: 1 }]],
    };
    const text = toNormalizedYaml(value);
    expect(parse(text)).toEqual(value);
    expect(text).toContain('  script.sh: |\n    #!/bin/sh\n    echo "hi"\n      indented\n');
    expect(toNormalizedYaml(value)).toBe(text);
  });

  // Its speed on such objects (the reason it exists) is measured by bench/diff, not asserted here.
  it('writes a multi-megabyte CRD-like object that reads back to the same value', () => {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < 6000; i++)
      properties[`field${i}`] = {
        type: 'string',
        description: `Field ${i} explained at some length so that the object is large.`,
        properties: { a: { type: 'integer' }, b: { type: 'array', items: { type: 'string' } } },
      };
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: { properties } } }] },
    };
    const text = toNormalizedYaml(crd);
    expect(text.length).toBeGreaterThan(1_500_000);
    expect(parse(text)).toEqual(crd);
  });
});
