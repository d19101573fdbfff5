import { describe, expect, it } from 'vitest';
import { changed, named, risksOf, workload, widgetDefinition } from './risk-builder.js';

describe('immutable-field risks', () => {
  it('names a changed Deployment, DaemonSet and ReplicaSet selector with old -> new and the Replace=true fix', () => {
    for (const kind of ['Deployment', 'DaemonSet', 'ReplicaSet']) {
      const base = workload(kind, 'web');
      const head = changed(base, (o) => (o.spec.selector.matchLabels = { app: 'web' }));
      const [risk, ...rest] = named(risksOf([base], [head]), 'immutable-field');
      expect(rest).toEqual([]);
      expect(risk).toMatchObject({
        severity: 'high',
        field: 'spec.selector',
        resource: { kind, name: 'web', namespace: 'apps' },
        change: { from: '{"matchLabels":{"app.kubernetes.io/name":"web"}}', to: '{"matchLabels":{"app":"web"}}' },
      });
      expect(risk!.fix).toContain('argocd.argoproj.io/sync-options: Replace=true');
    }
  });

  it('names every forbidden StatefulSet field and lets replicas, template, updateStrategy and the others change', () => {
    const base = workload('StatefulSet', 'db', {
      serviceName: 'db',
      replicas: 1,
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      ],
    });
    const allowed = changed(base, (o) => {
      o.spec.replicas = 3;
      o.spec.template.spec.containers[0].image = 'registry.example.com/app:1.4.3';
      o.spec.updateStrategy = { type: 'OnDelete' };
      o.spec.minReadySeconds = 10;
      o.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain' };
      o.spec.ordinals = { start: 1 };
      o.spec.revisionHistoryLimit = 5;
      o.spec.podManagementPolicy = 'OrderedReady';
    });
    expect(named(risksOf([base], [allowed]), 'immutable-field')).toEqual([]);

    const forbidden = changed(base, (o) => {
      o.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi';
      o.spec.serviceName = 'db-headless';
      o.spec.podManagementPolicy = 'Parallel';
      o.spec.selector = { matchLabels: { app: 'db' } };
    });
    const risks = named(risksOf([base], [forbidden]), 'immutable-field');
    expect(risks.map((risk) => risk.field)).toEqual([
      'spec.podManagementPolicy',
      'spec.selector',
      'spec.serviceName',
      'spec.volumeClaimTemplates',
    ]);
    expect(risks.find((risk) => risk.field === 'spec.podManagementPolicy')!.change).toEqual({ from: 'OrderedReady', to: 'Parallel' });
    expect(risks.find((risk) => risk.field === 'spec.volumeClaimTemplates')!.fix).toContain('--cascade=orphan');
  });

  it('names a Job selector or template change, but not one of a hook Job', () => {
    const base = workload('Job', 'migrate', {}, 'batch');
    const head = changed(base, (o) => (o.spec.template.spec.containers[0].image = 'registry.example.com/app:1.5.0'));
    expect(named(risksOf([base], [head]), 'immutable-field')).toMatchObject([
      { field: 'spec.template.spec.containers', severity: 'high', message: expect.stringContaining("Job's pod template is immutable") },
    ]);
    const selector = changed(base, (o) => (o.spec.selector = { matchLabels: { job: 'x' } }));
    expect(named(risksOf([base], [selector]), 'immutable-field').map((risk) => risk.field)).toEqual(['spec.selector']);
    const hook = changed(base, (o) => (o.metadata.annotations = { 'helm.sh/hook': 'pre-upgrade' }));
    const hookHead = changed(hook, (o) => (o.spec.template.spec.containers[0].image = 'registry.example.com/app:1.5.0'));
    expect(named(risksOf([hook], [hookHead]), 'immutable-field')).toEqual([]);
  });

  const claim = (spec: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'apps' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, ...spec },
  });

  it('lets a PersistentVolumeClaim grow and change its volumeAttributesClassName; a shrink is pvc-shrink; other spec changes are immutable-field', () => {
    expect(risksOf([claim({})], [claim({ resources: { requests: { storage: '20Gi' } }, volumeAttributesClassName: 'fast' })])).toEqual([]);
    expect(named(risksOf([claim({})], [claim({ resources: { requests: { storage: '9000Mi' } } })]), 'pvc-shrink')).toMatchObject([
      { severity: 'high', field: 'spec.resources.requests.storage', change: { from: '10Gi', to: '9000Mi' } },
    ]);
    expect(
      named(risksOf([claim({})], [claim({ storageClassName: 'fast', accessModes: ['ReadWriteMany'] })]), 'immutable-field').map(
        (risk) => risk.field,
      ),
    ).toEqual(['spec.accessModes', 'spec.storageClassName']);
  });

  const service = (spec: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'apps' },
    spec: { ports: [{ port: 80 }], ...spec },
  });

  it('names a Service clusterIP change (headless included) and a primary ipFamily change; leaving clusterIP out is no change', () => {
    expect(named(risksOf([service({})], [service({ clusterIP: 'None' })]), 'immutable-field')).toMatchObject([
      { field: 'spec.clusterIP', change: { from: '(allocated)', to: 'None' } },
    ]);
    expect(named(risksOf([service({ clusterIP: 'None' })], [service({})]), 'immutable-field')).toMatchObject([
      { field: 'spec.clusterIP', change: { from: 'None', to: '(unset)' } },
    ]);
    expect(
      named(risksOf([service({ clusterIP: '10.0.0.10' })], [service({ clusterIPs: ['10.0.0.11'] })]), 'immutable-field'),
    ).toMatchObject([{ field: 'spec.clusterIPs', change: { from: '10.0.0.10', to: '10.0.0.11' } }]);
    expect(named(risksOf([service({ clusterIP: '10.0.0.10' })], [service({ ports: [{ port: 81 }] })]), 'immutable-field')).toEqual([]);
    expect(
      named(risksOf([service({ ipFamilies: ['IPv4'] })], [service({ ipFamilies: ['IPv6', 'IPv4'] })]), 'immutable-field'),
    ).toMatchObject([{ field: 'spec.ipFamilies[0]', change: { from: 'IPv4', to: 'IPv6' } }]);
    expect(named(risksOf([service({ ipFamilies: ['IPv4'] })], [service({ ipFamilies: ['IPv4', 'IPv6'] })]), 'immutable-field')).toEqual([]);
  });

  it('names a RoleBinding and ClusterRoleBinding roleRef change', () => {
    for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
      const base = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind,
        metadata: { name: 'reader', ...(kind === 'RoleBinding' ? { namespace: 'apps' } : {}) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [],
      };
      const head = changed(base, (o) => (o.roleRef.name = 'edit'));
      expect(named(risksOf([base], [head]), 'immutable-field')).toMatchObject([{ field: 'roleRef', resource: { kind } }]);
    }
  });

  it('names StorageClass provisioner, parameters, reclaimPolicy and volumeBindingMode changes; writing a default is no change', () => {
    const base = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'block' },
      provisioner: 'block.csi.example.com',
      parameters: { pool: 'a' },
    };
    const head = changed(base, (o) => {
      o.provisioner = 'other.csi.example.com';
      o.parameters.pool = 'b';
      o.reclaimPolicy = 'Retain';
      o.volumeBindingMode = 'WaitForFirstConsumer';
      o.allowVolumeExpansion = true;
    });
    expect(named(risksOf([base], [head]), 'immutable-field').map((risk) => risk.field)).toEqual([
      'parameters',
      'provisioner',
      'reclaimPolicy',
      'volumeBindingMode',
    ]);
    expect(risksOf([base], [changed(base, (o) => ((o.reclaimPolicy = 'Delete'), (o.volumeBindingMode = 'Immediate')))])).toEqual([]);
  });

  it('names the CSIDriver fields the API keeps immutable (attachRequired, volumeLifecycleModes), not the mutable ones', () => {
    const base = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name: 'block.csi.example.com' },
      spec: { attachRequired: true, podInfoOnMount: false },
    };
    const head = changed(
      base,
      (o) => ((o.spec.attachRequired = false), (o.spec.podInfoOnMount = true), (o.spec.volumeLifecycleModes = ['Persistent', 'Ephemeral'])),
    );
    expect(
      named(risksOf([base], [head]), 'immutable-field').map((risk) => `${risk.field}: ${risk.change!.from} -> ${risk.change!.to}`),
    ).toEqual(['spec.attachRequired: true -> false', 'spec.volumeLifecycleModes: ["Persistent"] -> ["Persistent","Ephemeral"]']);
  });

  it('names a CRD scope or names change', () => {
    const base = widgetDefinition([{ name: 'v1', served: true, storage: true }], { singular: 'widget', listKind: 'WidgetList' });
    const head = changed(base, (o) => ((o.spec.scope = 'Cluster'), (o.spec.names.singular = 'gadget')));
    expect(named(risksOf([base], [head]), 'immutable-field').map((risk) => risk.field)).toEqual(['spec.names.singular', 'spec.scope']);
  });

  it('names a changed namespace (delete and create), high for kinds that hold data', () => {
    const claimIn = (namespace: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace },
      spec: { resources: { requests: { storage: '1Gi' } } },
    });
    expect(named(risksOf([claimIn('apps')], [claimIn('data')]), 'namespace-change')).toMatchObject([
      { severity: 'high', field: 'metadata.namespace', change: { from: 'apps', to: 'data' } },
    ]);
    const mapIn = (namespace: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace }, data: {} });
    expect(named(risksOf([mapIn('apps')], [mapIn('web')]), 'namespace-change')).toMatchObject([{ severity: 'medium' }]);
  });

  it('names the changed keys of an immutable Secret without its values', () => {
    const value = Buffer.from('Very-Secret-Password-1').toString('base64');
    const base = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: 'apps' },
      immutable: true,
      data: { password: value },
    };
    const head = changed(base, (o) => (o.data = { password: Buffer.from('Very-Secret-Password-2').toString('base64') }));
    const risks = named(risksOf([base], [head]), 'immutable-field');
    expect(risks).toMatchObject([{ field: 'data', change: { from: 'password', to: 'password' } }]);
    expect(JSON.stringify(risks)).not.toMatch(/Very-Secret|VmVyeS1TZWNyZXQ/);
  });
});

describe('values beyond 2^53 (BigInt in parsed manifests)', () => {
  it('compares and quotes them exactly', () => {
    const base = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'big' },
      provisioner: 'x',
      parameters: { iops: 9007199254740993n },
    };
    const head = { ...base, parameters: { iops: 9007199254740995n } };
    expect(named(risksOf([base], [head]), 'immutable-field')).toMatchObject([
      { field: 'parameters', change: { from: '{"iops":"9007199254740993"}', to: '{"iops":"9007199254740995"}' } },
    ]);
    expect(risksOf([base], [structuredClone(base)])).toEqual([]);
  });
});
