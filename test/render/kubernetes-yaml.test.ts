import { describe, expect, it } from 'vitest';
import { kubernetesValue, parseKubernetesDocument, resolvePlainScalar } from '../../src/render/kubernetes-yaml.js';
import { insertNamespace, splitHelmDocuments } from '../../src/render/helm-documents.js';

describe('YAML read as Kubernetes reads it (go-yaml v2)', () => {
  it.each([
    ['0400', 256],
    ['0755', 493],
    ['0o17', 15],
    ['0x1F', 31],
    ['0b101', 5],
    ['-0b1', -1],
    ['1_000', 1000],
    ['08', 8],
    ['1e3', 1000],
    ['.5', 0.5],
    ['+12', 12],
    ['yes', true],
    ['on', true],
    ['y', true],
    ['Off', false],
    ['n', false],
    ['~', null],
    ['', null],
    ['NULL', null],
    ['9007199254740993', 9007199254740993n],
    ['18446744073709551615', 18446744073709551615n],
    ['190:20:30', '190:20:30'],
    ['2001-12-14', '2001-12-14'],
    ['-', '-'],
    ['0x', '0x'],
    ['yes please', 'yes please'],
  ])('reads the plain scalar "%s" as %s', (source, expected) => {
    expect(resolvePlainScalar(source)).toEqual(expected);
  });

  it('resolves only plain scalars: quoted and block scalars, and !!str, stay strings', () => {
    const value = kubernetesValue(
      parseKubernetesDocument('a: 0400\nb: "0400"\nc: !!str 0400\nd: |\n  0400\nyes: on\nbase: &b {x: 1}\nmerged:\n  <<: *b\n  z: 2\n'),
    );
    // `yes` is a boolean key as well, written back as "true" (sigs.k8s.io/yaml does the same).
    expect(value).toEqual({ a: 256, b: '0400', c: '0400', d: '0400\n', true: true, base: { x: 1 }, merged: { x: 1, z: 2 } });
  });
});

describe("helm's documents", () => {
  it('splits a file into documents with their own bytes, comments and flow style kept', () => {
    const text =
      '---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: { k: "v" }  # why\n\n---\n# Source: c/templates/b.yaml\n---\n# Source: c/templates/c.yaml\nkind: X\n...\n';
    const documents = splitHelmDocuments(text);
    expect(documents.map((document) => document.text)).toEqual([
      '# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: { k: "v" }  # why\n',
      '# Source: c/templates/b.yaml\n',
      '# Source: c/templates/c.yaml\nkind: X\n',
    ]);
    expect(documents[1]!.value).toBeNull();
  });

  it('keeps the trailing blank lines of a keep-chomping block scalar', () => {
    const [document] = splitHelmDocuments('data:\n  script: |+\n    run\n\n');
    expect(document!.value).toEqual({ data: { script: 'run\n\n' } });
    expect(document!.text).toBe('data:\n  script: |+\n    run\n\n');
  });

  it('writes the namespace right after the name, in block and flow mappings, quoted when YAML would read it otherwise', () => {
    const [block] = splitHelmDocuments('kind: A\nmetadata:\n  labels:\n    a: b\n  name: x  # the name\n  annotations: {}\n');
    expect(insertNamespace(block!, 'apps')).toBe(
      'kind: A\nmetadata:\n  labels:\n    a: b\n  name: x  # the name\n  namespace: apps\n  annotations: {}\n',
    );
    expect(insertNamespace(block!, 'yes')).toContain('  namespace: "yes"\n');
    expect(insertNamespace(block!, '0123')).toContain('  namespace: "0123"\n');
    const [flow] = splitHelmDocuments('kind: A\nmetadata: {name: x, labels: {a: b}}\n');
    expect(insertNamespace(flow!, 'apps')).toBe('kind: A\nmetadata: {name: x, namespace: apps, labels: {a: b}}\n');
    const [empty] = splitHelmDocuments('kind: A\nmetadata:\n  name: x\n  namespace: ""\n');
    expect(insertNamespace(empty!, 'apps')).toBe('kind: A\nmetadata:\n  name: x\n  namespace: apps\n');
  });
});
