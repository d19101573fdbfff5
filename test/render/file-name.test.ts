import { describe, expect, it } from 'vitest';
import { assertSafePathSegment, resourceFileName } from '../../src/render/file-name.js';

describe('resourceFileName', () => {
  it('names namespaced and cluster-scoped resources from kind, group, namespace and name', () => {
    expect(resourceFileName({ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'frontend' })).toBe(
      'deployment.apps_web_frontend.yaml',
    );
    expect(resourceFileName({ group: '', kind: 'Service', namespace: 'web', name: 'frontend' })).toBe('service_web_frontend.yaml');
    expect(resourceFileName({ group: 'storage.k8s.io', kind: 'StorageClass', name: 'block' })).toBe(
      'storageclass.storage.k8s.io_block.yaml',
    );
  });

  it('keeps different resources apart even when their parts look alike', () => {
    const names = new Set([
      resourceFileName({ group: '', kind: 'ConfigMap', namespace: 'a', name: 'b_c' }),
      resourceFileName({ group: '', kind: 'ConfigMap', namespace: 'a-b', name: 'c' }),
      resourceFileName({ group: 'example.com', kind: 'Certificate', namespace: 'a', name: 'c' }),
      resourceFileName({ group: 'other.io', kind: 'Certificate', namespace: 'a', name: 'c' }),
    ]);
    expect(names.size).toBe(4);
  });

  it('percent-encodes characters that are awkward in file names', () => {
    expect(resourceFileName({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:controller' })).toBe(
      'clusterrole.rbac.authorization.k8s.io_system%3Acontroller.yaml',
    );
  });

  it.each([
    ['..', /unsafe name/],
    ['.', /unsafe name/],
    ['../../etc/passwd', /unsafe name/],
    ['/etc/passwd', /unsafe name/],
    ['a\u0000b', /unsafe name/],
    ['', /unsafe name/],
  ])('refuses the name %j', (name, error) => {
    expect(() => resourceFileName({ group: '', kind: 'ConfigMap', namespace: 'x', name })).toThrow(error);
  });

  it('refuses unsafe namespaces and kinds', () => {
    expect(() => resourceFileName({ group: '', kind: 'ConfigMap', namespace: '..', name: 'x' })).toThrow(/unsafe namespace/);
    expect(() => resourceFileName({ group: '', kind: '../Secret', namespace: 'a', name: 'x' })).toThrow(/unsafe kind "..\/Secret"/);
    expect(() => resourceFileName({ group: '../x', kind: 'Secret', namespace: 'a', name: 'x' })).toThrow(/unsafe API group/);
  });

  it('refuses unsafe environment and release names', () => {
    expect(() => assertSafePathSegment('../prod', 'environment name')).toThrow(/unsafe environment name "..\/prod"/);
  });
});
