import { describe, expect, it } from 'vitest';
import { analyzeRisks } from '../../src/risk/analyze.js';
import { majorVersion } from '../../src/risk/workload-signals.js';
import { environment, release } from '../diff/manifest-builder.js';
import { changed, named, risksOf, workload } from './risk-builder.js';

describe('workload signals', () => {
  it('image-major-bump: a container image moving to a new major version (0.x minors count as major)', () => {
    const base = workload('Deployment', 'web');
    const head = changed(base, (o) => (o.spec.template.spec.containers[0].image = 'registry.example.com/app:2.0.1'));
    expect(named(risksOf([base], [head]), 'image-major-bump')).toMatchObject([
      {
        severity: 'medium',
        field: 'container main',
        change: { from: 'registry.example.com/app:1.4.2', to: 'registry.example.com/app:2.0.1' },
      },
    ]);
    const minor = changed(base, (o) => (o.spec.template.spec.containers[0].image = 'registry.example.com/app:1.5.0'));
    expect(named(risksOf([base], [minor]), 'image-major-bump')).toEqual([]);
    expect([
      majorVersion('quay.io/cilium/cilium:v1.16.3@sha256:abc'),
      majorVersion('x:0.14.1'),
      majorVersion('localhost:5000/x'),
      majorVersion('x:latest'),
    ]).toEqual([1, 0.14, undefined, undefined]);
  });

  it('critical-daemonset: a CNI, CSI or kube-system DaemonSet whose pods are replaced', () => {
    const agent = (namespace: string, hostPath?: string) =>
      changed(
        workload('DaemonSet', 'agent', {}, 'apps', namespace),
        (o) => hostPath && (o.spec.template.spec.volumes = [{ name: 'host', hostPath: { path: hostPath } }]),
      );
    const bump = (o: any) => (o.spec.template.spec.containers[0].image = 'registry.example.com/app:1.4.3');
    for (const [namespace, path, reason] of [
      ['network', '/etc/cni/net.d', 'network (CNI)'],
      ['storage', '/var/lib/kubelet/plugins/block.csi.example.com', 'storage (CSI)'],
      ['kube-system', undefined, 'kube-system'],
    ] as const) {
      const base = agent(namespace, path);
      expect(named(risksOf([base], [changed(base, bump)]), 'critical-daemonset'), namespace).toMatchObject([
        { severity: 'high', message: expect.stringContaining(reason) },
      ]);
    }
    const plain = agent('monitoring', '/var/log');
    expect(named(risksOf([plain], [changed(plain, bump)]), 'critical-daemonset')).toEqual([]);
    // A label outside the template does not restart pods.
    const cni = agent('network', '/opt/cni/bin');
    expect(named(risksOf([cni], [changed(cni, (o) => (o.metadata.labels = { x: 'y' }))]), 'critical-daemonset')).toEqual([]);
  });

  it('replicas-to-zero: a workload scaled to zero', () => {
    const base = workload('StatefulSet', 'db', { replicas: 2 });
    expect(named(risksOf([base], [changed(base, (o) => (o.spec.replicas = 0))]), 'replicas-to-zero')).toMatchObject([
      { severity: 'high', change: { from: '2', to: '0' } },
    ]);
    const implicit = workload('Deployment', 'web');
    expect(named(risksOf([implicit], [changed(implicit, (o) => (o.spec.replicas = 0))]), 'replicas-to-zero')).toMatchObject([
      { change: { from: '1', to: '0' } },
    ]);
  });

  it('pdb-blocks-eviction: a budget that allows no eviction of the pods it selects', () => {
    const web = workload('Deployment', 'web', { replicas: 2 });
    const budget = (spec: Record<string, unknown>) => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, ...spec },
    });
    expect(named(risksOf([web], [web, budget({ minAvailable: 2 })]), 'pdb-blocks-eviction')).toMatchObject([
      { severity: 'medium', field: 'spec.minAvailable', resource: { kind: 'PodDisruptionBudget' } },
    ]);
    expect(named(risksOf([web], [web, budget({ maxUnavailable: 0 })]), 'pdb-blocks-eviction')).toMatchObject([
      { field: 'spec.maxUnavailable' },
    ]);
    expect(named(risksOf([web], [web, budget({ minAvailable: 1 })]), 'pdb-blocks-eviction')).toEqual([]);
    // Already on the base, nothing changed: not this change's doing.
    expect(named(risksOf([web, budget({ minAvailable: 2 })], [web, budget({ minAvailable: 2 })]), 'pdb-blocks-eviction')).toEqual([]);
  });

  it('release-move: a resource rendered by another release on head (Argo CD ownership)', () => {
    const map = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'apps' }, data: {} };
    expect(named(risksOf({ alpha: [map] }, { beta: [map] }), 'release-move')).toMatchObject([
      { severity: 'medium', release: 'beta', change: { from: 'release alpha', to: 'release beta' } },
    ]);
  });
});

describe('generated values (from the render-fidelity checks)', () => {
  it('generated-values: a new generated value in a resource that already exists; kept values and new resources say nothing', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'admin', namespace: 'apps' }, data: {} };
    const side = [environment('production', [{ release: release('app'), objects: [secret] }])];
    const key = { group: '', kind: 'Secret', namespace: 'apps', name: 'admin' };
    const signal = (outcome: 'kept' | 'new') => ({
      environment: 'production',
      release: 'app',
      resource: key,
      path: ['data', 'password'],
      outcome,
    });
    expect(analyzeRisks({ base: side, head: side, generatedValues: [signal('new'), signal('kept')] })).toMatchObject([
      { rule: 'generated-values', severity: 'medium', field: 'data.password' },
    ]);
    expect(analyzeRisks({ base: [], head: side, generatedValues: [signal('new')] })).toEqual([]);
  });
});
