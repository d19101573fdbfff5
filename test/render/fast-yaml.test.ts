import { describe, expect, it } from 'vitest';
import { fastKubernetesValue } from '../../src/render/fast-yaml.js';
import { kubernetesValue, parseKubernetesDocument } from '../../src/render/kubernetes-yaml.js';

const DOCUMENTS = [
  'a: 0400\nb: "0400"\nc: |\n  0400\nyes: on\nn: y\nbase: &b {x: 1}\nmerged:\n  <<: *b\n  z: 2\n',
  'big: 9007199254740993\nneg: -0b1\nunder: 1_000\nfloat: 1e3\nts: 2001-12-14\nempty:\nnothing: ~\nlist: [ 0755, "0755", yes, off ]\n',
  '# Source: x\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {on: "off"}}\ndata:\n  script: |+\n    run\n\n',
];

describe('the fast reader agrees with the Kubernetes reading of the yaml package', () => {
  it.each(DOCUMENTS.map((text, index) => [index, text]))('document %i', (_index, text) => {
    expect(fastKubernetesValue(text as string)!.value).toEqual(kubernetesValue(parseKubernetesDocument(text as string)));
  });

  it('declines what it cannot read exactly (duplicate keys, explicit tags), so the caller falls back', () => {
    expect(fastKubernetesValue('a: 1\na: 2\n')).toBeUndefined();
    expect(fastKubernetesValue('a: !!int "7"\n')).toBeUndefined();
  });
});
