import { describe, expect, it } from 'vitest';
import {
  syncPhase,
  syncSteps,
  syncTreatment,
  syncWave,
  withoutConversionWebhook,
  type SyncObject,
} from '../../src/apiserver/sync-order.js';

function item(kind: string, name: string, annotations: Record<string, string> = {}, group = ''): SyncObject {
  const apiVersion = group ? `${group}/v1` : 'v1';
  return {
    environment: 'production',
    release: 'app',
    key: { group, kind, namespace: 'apps', name },
    apiVersion,
    path: `production/app/${kind}_${name}.yaml`,
    object: { apiVersion, kind, metadata: { name, namespace: 'apps', annotations } },
  };
}

describe("Argo CD's sync order", () => {
  it('orders phases, then waves, then kinds as Argo CD does', () => {
    const steps = syncSteps([
      item('Deployment', 'web', {}, 'apps'),
      item('Job', 'migrate', { 'helm.sh/hook': 'pre-upgrade,pre-install' }, 'batch'),
      item('Service', 'web'),
      item('ConfigMap', 'late', { 'argocd.argoproj.io/sync-wave': '5' }),
      item('ConfigMap', 'early', { 'argocd.argoproj.io/sync-wave': '-1' }),
      item('Job', 'smoke', { 'argocd.argoproj.io/hook': 'PostSync' }, 'batch'),
      item('Widget', 'w', {}, 'example.com'),
      item('ServiceAccount', 'web'),
    ]);
    expect(steps.map((step) => `${step.phase} ${step.wave} ${step.kind} ${step.objects.map((o) => o.key.name).join(',')}`)).toEqual([
      'PreSync 0 Job migrate',
      'Sync -1 ConfigMap early',
      'Sync 0 ServiceAccount web',
      'Sync 0 Service web',
      'Sync 0 Deployment web',
      'Sync 0 Widget w',
      'Sync 5 ConfigMap late',
      'PostSync 0 Job smoke',
    ]);
  });

  it('reads helm hook weights as waves and leaves out hooks a sync never runs', () => {
    expect(syncWave(item('Job', 'j', { 'helm.sh/hook': 'post-install', 'helm.sh/hook-weight': '-5' }).object)).toBe(-5);
    // gitops-engine reads the weight on any object, and only whole integers (strconv.Atoi).
    expect(syncWave(item('Job', 'j', { 'helm.sh/hook-weight': '-5' }).object)).toBe(-5);
    expect(syncWave(item('Job', 'j', { 'argocd.argoproj.io/sync-wave': '2', 'helm.sh/hook-weight': '-5' }).object)).toBe(2);
    expect(syncWave(item('Job', 'j', { 'argocd.argoproj.io/sync-wave': 'two', 'helm.sh/hook-weight': '-5' }).object)).toBe(-5);
    expect(syncWave(item('Job', 'j', { 'argocd.argoproj.io/sync-wave': '3x' }).object)).toBe(0);
    expect(syncPhase(item('Job', 'j', { 'argocd.argoproj.io/hook': 'Skip' }).object)).toBeUndefined();
    expect(syncPhase(item('Job', 'j', { 'argocd.argoproj.io/hook': 'SyncFail' }).object)).toBeUndefined();
    expect(syncPhase(item('Job', 'j', { 'helm.sh/hook': 'pre-delete' }).object)).toBeUndefined();
    expect(syncSteps([item('Job', 'j', { 'helm.sh/hook': 'post-delete' })])).toEqual([]);
  });

  it('maps hooks to phases as Argo CD does: helm hooks only without an Argo CD hook, crd-install no hook at all', () => {
    const phase = (annotations: Record<string, string>) => syncPhase(item('Job', 'j', annotations).object);
    const treatment = (annotations: Record<string, string>) => syncTreatment(item('Job', 'j', annotations, 'batch'));
    expect(phase({ 'helm.sh/hook': 'pre-install,pre-upgrade' })).toBe('PreSync');
    expect(phase({ 'helm.sh/hook': ' post-upgrade ' })).toBe('PostSync');
    expect(phase({ 'helm.sh/hook': 'pre-delete,post-install' })).toBe('PostSync');
    for (const never of ['pre-delete', 'post-delete', 'pre-rollback', 'post-rollback', 'test', 'anything']) {
      expect([never, phase({ 'helm.sh/hook': never }), treatment({ 'helm.sh/hook': never })]).toEqual([never, undefined, 'skip']);
    }
    // Helm 2's CRD "hook": Argo CD applies the object like any other.
    expect([phase({ 'helm.sh/hook': 'crd-install' }), treatment({ 'helm.sh/hook': 'crd-install' })]).toEqual(['Sync', 'apply']);
    expect(phase({ 'argocd.argoproj.io/hook': 'PreSync' })).toBe('PreSync');
    expect(phase({ 'argocd.argoproj.io/hook': 'Sync' })).toBe('Sync');
    expect(phase({ 'argocd.argoproj.io/hook': 'PostSync,PreSync' })).toBe('PreSync');
    // An Argo CD hook replaces the helm hooks; one naming no known type leaves them in force.
    expect(phase({ 'argocd.argoproj.io/hook': 'PostSync', 'helm.sh/hook': 'pre-install' })).toBe('PostSync');
    expect(phase({ 'argocd.argoproj.io/hook': 'presync', 'helm.sh/hook': 'pre-install' })).toBe('PreSync');
    expect(phase({ 'argocd.argoproj.io/hook': 'presync' })).toBeUndefined();
    for (const never of ['Skip', 'SyncFail', 'PreDelete', 'PostDelete']) {
      expect([never, treatment({ 'argocd.argoproj.io/hook': never })]).toEqual([never, 'skip']);
    }
    // Skip counts alone only; Skip beside a phase is a hook of that phase.
    expect([phase({ 'argocd.argoproj.io/hook': 'Skip,PreSync' }), treatment({ 'argocd.argoproj.io/hook': 'Skip,PreSync' })]).toEqual([
      'PreSync',
      'recreate',
    ]);
    expect(treatment({ 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'pre-install' })).toBe('skip');
    expect(
      syncTreatment(item('ValidatingWebhookConfiguration', 'v', { 'argocd.argoproj.io/hook': 'Skip' }, 'admissionregistration.k8s.io')),
    ).toBe('skip');
  });

  it('recreates hooks and Replace/Force objects, dry-runs what would route requests to services that do not run', () => {
    expect(syncTreatment(item('Deployment', 'web', {}, 'apps'))).toBe('apply');
    expect(syncTreatment(item('Job', 'j', { 'helm.sh/hook': 'pre-install' }, 'batch'))).toBe('recreate');
    expect(syncTreatment(item('Job', 'j', { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Replace=true' }, 'batch'))).toBe(
      'recreate',
    );
    expect(syncTreatment(item('Job', 'j', { 'argocd.argoproj.io/sync-options': 'Force=true' }, 'batch'))).toBe('recreate');
    expect(syncTreatment(item('Job', 'j', { 'argocd.argoproj.io/sync-options': 'Replace=false' }, 'batch'))).toBe('apply');
    expect(syncTreatment(item('ValidatingWebhookConfiguration', 'v', {}, 'admissionregistration.k8s.io'))).toBe('dry-run');
    expect(syncTreatment(item('MutatingWebhookConfiguration', 'm', {}, 'admissionregistration.k8s.io'))).toBe('dry-run');
    expect(syncTreatment(item('APIService', 'v1.metrics.k8s.io', {}, 'apiregistration.k8s.io'))).toBe('dry-run');
    expect(syncTreatment(item('Job', 'j', { 'argocd.argoproj.io/hook': 'Skip' }, 'batch'))).toBe('skip');
  });

  it("turns a CRD's conversion webhook into the API server's own conversion and says so", () => {
    const crd = { spec: { group: 'example.com', conversion: { strategy: 'Webhook', webhook: { clientConfig: {} } } } };
    expect(withoutConversionWebhook(crd)).toEqual({
      object: { spec: { group: 'example.com', conversion: { strategy: 'None' } } },
      webhook: true,
    });
    const plain = { spec: { group: 'example.com' } };
    expect(withoutConversionWebhook(plain)).toEqual({ object: plain, webhook: false });
  });
});
