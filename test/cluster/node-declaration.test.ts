import { describe, expect, it } from 'vitest';
import { ASSUMED_NODE, environmentArchitectures, environmentCluster, NodeDeclarationError } from '../../src/cluster/node-declaration.js';
import { nodesFromKubectl, withDeclaredNodes } from '../../src/cluster/node-import.js';
import { parseRepositoryPins } from '../../src/tools/repository-pins.js';

const DECLARATION = `helm: 4.3.1
environments:
  production:
    nodes:
      - name: node-1
        architecture: arm64
        labels: { disk: ssd }
        taints: [{ key: dedicated, value: storage, effect: NoSchedule }]
        allocatable: { cpu: "4", memory: 16Gi }
    storageClasses:
      - { name: nfs, provisioner: nfs.csi.k8s.io, default: true }
`;

describe('the node declaration of .helmfile-hydrate.yaml', () => {
  it('reads nodes, taints, allocatable (pods and ephemeral-storage defaulted) and outside StorageClasses', () => {
    const pins = parseRepositoryPins(DECLARATION, '.helmfile-hydrate.yaml');
    expect(pins.versions).toEqual({ helm: '4.3.1' });
    const production = environmentCluster(pins.environments!, 'production');
    expect(production).toEqual({
      environment: 'production',
      declared: true,
      nodes: [
        {
          name: 'node-1',
          architecture: 'arm64',
          labels: { disk: 'ssd' },
          taints: [{ key: 'dedicated', value: 'storage', effect: 'NoSchedule' }],
          allocatable: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
        },
      ],
      storageClasses: [{ name: 'nfs', provisioner: 'nfs.csi.k8s.io', default: true }],
    });
    expect(environmentArchitectures(production)).toEqual(['arm64']);
  });

  it('assumes one large untainted amd64 node for an environment it does not declare', () => {
    const staging = environmentCluster(parseRepositoryPins(DECLARATION, 'f').environments!, 'staging');
    expect(staging).toEqual({ environment: 'staging', declared: false, nodes: [ASSUMED_NODE], storageClasses: [] });
    expect(environmentArchitectures(staging)).toEqual(['amd64']);
  });

  it.each([
    ['environments:\n  p:\n    nodes: []\n', 'environments.p.nodes is empty'],
    [
      'environments:\n  p:\n    nodes:\n      - { name: a, allocatable: { cpu: lots, memory: 1Gi } }\n',
      'allocatable.cpu: "lots" is not a Kubernetes quantity',
    ],
    [
      'environments:\n  p:\n    nodes:\n      - { name: a, allocatable: { cpu: "1", memory: 1Gi }, taints: [{ key: k, effect: Never }] }\n',
      'taints[0].effect: "Never"',
    ],
    ['environments:\n  p:\n    nodes:\n      - { name: a, cpus: 2 }\n', 'unknown key "cpus"'],
    [
      'environments:\n  p:\n    nodes:\n      - { name: a, allocatable: { cpu: "1", memory: 1Gi } }\n      - { name: a, allocatable: { cpu: "1", memory: 1Gi } }\n',
      '"a" is declared twice',
    ],
  ])('refuses a bad declaration, naming the entry: %s', (text, message) => {
    expect(() => parseRepositoryPins(text, '.helmfile-hydrate.yaml')).toThrow(NodeDeclarationError);
    expect(() => parseRepositoryPins(text, '.helmfile-hydrate.yaml')).toThrow(message);
  });
});

describe('nodes import', () => {
  const kubectl = JSON.stringify({
    kind: 'List',
    items: [
      {
        metadata: {
          name: 'b',
          labels: { 'kubernetes.io/arch': 'arm64', 'kubernetes.io/hostname': 'b', 'node-role.kubernetes.io/control-plane': '' },
        },
        spec: {
          taints: [
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
            { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
          ],
        },
        status: {
          allocatable: { cpu: '3800m', memory: '15Gi', pods: '110', 'ephemeral-storage': '50Gi' },
          nodeInfo: { architecture: 'arm64' },
        },
      },
      { metadata: { name: 'a' }, status: { allocatable: { cpu: '2', memory: '8Gi', pods: '110' }, nodeInfo: { architecture: 'amd64' } } },
    ],
  });

  it("keeps what a person set (labels, taints other than health conditions) and the node's allocatable, sorted by name", () => {
    expect(nodesFromKubectl(kubectl, 'nodes.json')).toEqual([
      {
        name: 'a',
        architecture: 'amd64',
        labels: {},
        taints: [],
        allocatable: { cpu: '2', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      },
      {
        name: 'b',
        architecture: 'arm64',
        labels: { 'node-role.kubernetes.io/control-plane': '' },
        taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
        allocatable: { cpu: '3800m', memory: '15Gi', pods: '110', 'ephemeral-storage': '50Gi' },
      },
    ]);
  });

  it('writes the block into the file, keeping its comments and other keys, and the result reads back', () => {
    const before = '# pins\nhelm: 4.3.1 # bumped by Renovate\n';
    const after = withDeclaredNodes(before, 'production', nodesFromKubectl(kubectl, 'nodes.json'));
    expect(after).toContain('# pins\nhelm: 4.3.1 # bumped by Renovate\n');
    const pins = parseRepositoryPins(after, 'f');
    expect(pins.environments!.get('production')!.nodes.map((node) => node.name)).toEqual(['a', 'b']);
    expect(withDeclaredNodes(after, 'production', nodesFromKubectl(kubectl, 'nodes.json'))).toBe(after);
  });

  it('refuses input that is not kubectl JSON, naming it', () => {
    expect(() => nodesFromKubectl('not json', 'nodes.json')).toThrow('nodes.json is not JSON');
    expect(() => nodesFromKubectl('{"kind":"List","items":[]}', 'stdin')).toThrow('stdin holds no Node');
  });
});
