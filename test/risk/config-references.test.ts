import { describe, expect, it } from 'vitest';
import { structuralDiff } from '../../src/risk/config-references.js';
import { changed, named, risksOf, workload } from './risk-builder.js';

const configMap = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'apps' },
  data,
});
const b64 = (text: string) => Buffer.from(text).toString('base64');
const secret = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'creds', namespace: 'apps' },
  data,
});

function reader(spec: Record<string, unknown>): Record<string, unknown> {
  return changed(workload('Deployment', 'web'), (o) => Object.assign(o.spec.template.spec, spec));
}

describe('config-key-removed', () => {
  it('is high when a workload reads a single key the change removes (renamed key hinted)', () => {
    const web = reader({
      containers: [
        { name: 'web', image: 'web:1', env: [{ name: 'CLUSTER', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'clusterID' } } }] },
      ],
    });
    const risks = named(risksOf([configMap({ clusterID: 'a' }), web], [configMap({ clusterId: 'a' }), web]), 'config-key-removed');
    expect(risks).toMatchObject([
      {
        severity: 'high',
        resource: { kind: 'Deployment', name: 'web' },
        message: expect.stringContaining('reads key clusterID of the ConfigMap cfg, which the change removes (renamed to clusterId?)'),
      },
    ]);
  });

  it('is high for a Secret key read through a volume item, quoting key names only', () => {
    const web = reader({ volumes: [{ name: 'tls', secret: { secretName: 'creds', items: [{ key: 'password', path: 'pw' }] } }] });
    const risks = named(
      risksOf([secret({ password: b64('Hidden-Value-123') }), web], [secret({ pass: b64('Hidden-Value-123') }), web]),
      'config-key-removed',
    );
    expect(risks).toMatchObject([
      { severity: 'high', message: expect.stringContaining('(volume tls) reads key password of the Secret creds') },
    ]);
    expect(JSON.stringify(risks)).not.toContain('Hidden-Value');
    expect(JSON.stringify(risks)).not.toContain(b64('Hidden-Value-123'));
  });

  it('is medium when a workload reads every key (envFrom, whole volume) and one disappears; nothing for an optional reference', () => {
    const web = reader({ containers: [{ name: 'web', image: 'web:1', envFrom: [{ configMapRef: { name: 'cfg' } }] }] });
    expect(named(risksOf([configMap({ a: '1', b: '2' }), web], [configMap({ a: '1' }), web]), 'config-key-removed')).toMatchObject([
      { severity: 'medium', message: expect.stringContaining('removes b') },
    ]);
    const optional = reader({
      containers: [
        { name: 'web', image: 'web:1', env: [{ name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'b', optional: true } } }] },
      ],
    });
    expect(named(risksOf([configMap({ a: '1', b: '2' }), optional], [configMap({ a: '1' }), optional]), 'config-key-removed')).toEqual([]);
  });

  it('is high when the whole ConfigMap goes while a workload still mounts it', () => {
    const web = reader({ volumes: [{ name: 'config', configMap: { name: 'cfg' } }] });
    expect(named(risksOf([configMap({ a: '1' }), web], [web]), 'config-key-removed')).toMatchObject([
      { severity: 'high', message: expect.stringContaining('the ConfigMap cfg is removed') },
    ]);
  });
});

describe('embedded-config-changed', () => {
  it('shows the structured diff of a JSON config file whose setting is renamed, read by a DaemonSet (the CSI incident)', () => {
    const plugin = changed(
      workload('DaemonSet', 'csi-nodeplugin'),
      (o) => (o.spec.template.spec.volumes = [{ name: 'config', configMap: { name: 'cfg' } }]),
    );
    const base = configMap({ 'config.json': '[{"clusterID": "cluster-a", "monitors": ["10.0.0.11:6789"]}]' });
    const head = configMap({ 'config.json': '[{"clusterId": "cluster-a", "monitors": ["10.0.0.11:6789"]}]' });
    const [risk] = named(risksOf([base, plugin], [head, plugin]), 'embedded-config-changed');
    expect(risk).toMatchObject({
      severity: 'medium',
      field: 'data.config.json',
      resource: { kind: 'ConfigMap', name: 'cfg' },
      details: ['- [0].clusterID', '+ [0].clusterId: cluster-a'],
    });
    expect(risk!.message).toContain('read by DaemonSet.apps apps/csi-nodeplugin');
  });

  it('masks credentials inside an embedded YAML file', () => {
    const web = reader({ volumes: [{ name: 'config', configMap: { name: 'cfg' } }] });
    const base = configMap({ 'app.yaml': 'server:\n  port: 80\ndatabase:\n  password: Old-Password-777\n' });
    const head = configMap({
      'app.yaml': 'server:\n  listen: 80\ndatabase:\n  password: New-Password-888\n  url: postgres://app:Url-Password-999@db:5432/app\n',
    });
    const [risk] = named(risksOf([base, web], [head, web]), 'embedded-config-changed');
    expect(risk!.details).toEqual([
      '~ database.password: <secret> -> <secret>',
      '+ database.url: <secret>',
      '+ server.listen: 80',
      '- server.port',
    ]);
    expect(JSON.stringify(risk)).not.toMatch(/Password-777|Password-888|Password-999/);
  });

  it('says nothing of a config file no workload reads (a dashboard a sidecar loads by label), nor of changed values only', () => {
    const dashboard = (panels: unknown[]) => configMap({ 'dashboard.json': JSON.stringify({ title: 'x', panels }) });
    expect(named(risksOf([dashboard([{ id: 1 }, { id: 2 }])], [dashboard([{ id: 1 }])]), 'embedded-config-changed')).toEqual([]);
    const web = reader({ volumes: [{ name: 'config', configMap: { name: 'cfg' } }] });
    expect(
      named(
        risksOf([configMap({ 'a.json': '{"port": 80}' }), web], [configMap({ 'a.json': '{"port": 8080, "tls": true}' }), web]),
        'embedded-config-changed',
      ),
    ).toEqual([]);
  });

  it('structuralDiff names removed, added and changed paths', () => {
    expect(structuralDiff({ a: 1, b: { c: [1, 2] } }, { a: 2, b: { c: [1] }, d: true }, '')).toEqual([
      '~ a: 1 -> 2',
      '- b.c[1]',
      '+ d: true',
    ]);
  });
});
