import { describe, expect, it } from 'vitest';
import { changed, named, risksOf, widgetDefinition } from './risk-builder.js';

const crd = (versions: Array<{ name: string; served?: boolean; storage?: boolean }>) =>
  widgetDefinition(
    versions.map((v) => ({
      served: true,
      storage: false,
      schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      ...v,
    })),
  );
const widget = (version: string, name = 'default') => ({
  apiVersion: `example.com/${version}`,
  kind: 'Widget',
  metadata: { name, namespace: 'apps' },
  spec: { size: 1 },
});

describe('CRD version risks', () => {
  it('crd-version-not-served: the CRD stops serving a version custom resources are still rendered with', () => {
    const base = [crd([{ name: 'v1alpha1', storage: true }, { name: 'v1' }]), widget('v1alpha1')];
    const head = [crd([{ name: 'v1alpha1', served: false, storage: true }, { name: 'v1' }]), widget('v1alpha1')];
    const [risk] = named(risksOf(base, head), 'crd-version-not-served');
    expect(risk).toMatchObject({
      severity: 'high',
      resource: { kind: 'Widget', name: 'default' },
      field: 'apiVersion',
      change: { from: 'v1alpha1 served', to: 'v1alpha1 not served' },
    });
    expect(risk!.fix).toContain('example.com/v1');
    // Rendering the served version instead is fine.
    expect(named(risksOf(base, [head[0]!, widget('v1')]), 'crd-version-not-served')).toEqual([]);
  });

  it('crd-stored-version-removed: the storage version disappears from spec.versions', () => {
    const base = [crd([{ name: 'v1alpha1', storage: true }, { name: 'v1' }])];
    const head = [crd([{ name: 'v1', storage: true }])];
    expect(named(risksOf(base, head), 'crd-stored-version-removed')).toMatchObject([
      { severity: 'high', field: 'spec.versions', change: { from: 'v1alpha1 (storage)', to: 'v1' } },
    ]);
  });

  it('crd-storage-version-changed: the storage version moves while the old one is still listed (low)', () => {
    const base = [crd([{ name: 'v1alpha1', storage: true }, { name: 'v1' }])];
    const head = [crd([{ name: 'v1alpha1' }, { name: 'v1', storage: true }])];
    expect(named(risksOf(base, head), 'crd-storage-version-changed')).toMatchObject([
      { severity: 'low', change: { from: 'v1alpha1', to: 'v1' } },
    ]);
  });

  it('crd-deleted-with-resources: the CRD goes while its resources stay', () => {
    const base = { operator: [crd([{ name: 'v1', storage: true }])], widgets: [widget('v1', 'a'), widget('v1', 'b')] };
    const head = { widgets: [widget('v1', 'a'), widget('v1', 'b')] };
    const [risk] = named(risksOf(base, head), 'crd-deleted-with-resources');
    expect(risk).toMatchObject({
      severity: 'high',
      release: 'operator',
      resource: { kind: 'CustomResourceDefinition', name: 'widgets.example.com' },
    });
    expect(risk!.message).toContain('2 Widget resources are still rendered (apps/a, apps/b)');
    expect(named(risksOf(base, { widgets: [] }), 'crd-deleted-with-resources')).toEqual([]);
  });

  it('says nothing when the CRD only gains a version', () => {
    const base = [crd([{ name: 'v1', storage: true }]), widget('v1')];
    const head = [changed(crd([{ name: 'v1', storage: true }, { name: 'v2' }]), () => {}), widget('v1')];
    expect(risksOf(base, head).filter((risk) => risk.rule.startsWith('crd-'))).toEqual([]);
  });
});
