import { describe, expect, it } from 'vitest';
import { buildEnvironmentManifests, type ReleaseRenderOutput } from '../../src/render/documents.js';
import type { HelmfileRelease } from '../../src/model/release.js';

const release = (name: string, namespace = 'apps'): HelmfileRelease => ({
  name,
  namespace,
  chart: `fixtures/${name}`,
  version: '1.0.0',
  enabled: true,
  labels: '',
});
const output = (name: string, text: string, namespace?: string): ReleaseRenderOutput => ({
  release: release(name, namespace),
  files: [{ path: `${name}/templates/all.yaml`, text }],
});

describe('buildEnvironmentManifests', () => {
  it('gives namespaced resources the release namespace, right after the name', () => {
    const [web] = buildEnvironmentManifests('staging', [
      output(
        'web',
        '---\n# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    a: b\ndata:\n  x: "1"\n',
      ),
    ]).releases;
    expect(web!.resources[0]!.content).toBe(
      '# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\n  labels:\n    a: b\ndata:\n  x: "1"\n',
    );
    expect(web!.resources[0]!.path).toBe('staging/web/configmap_apps_settings.yaml');
    expect(web!.resources[0]!.key).toEqual({ group: '', kind: 'ConfigMap', namespace: 'apps', name: 'settings' });
  });

  it("keeps an explicit namespace, and helm's bytes of cluster-scoped resources (their key has no namespace)", () => {
    const [web] = buildEnvironmentManifests('staging', [
      output(
        'web',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: other\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n  namespace: apps\n',
      ),
    ]).releases;
    const [service, role] = web!.resources;
    expect(service!.key.namespace).toBe('other');
    expect(role!.key.namespace).toBeUndefined();
    expect(role!.content).toBe('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n  namespace: apps\n');
  });

  it('learns the scope of custom resources from a CRD shipped by another release', () => {
    const crd =
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: clusterissuers.example.com\nspec:\n  group: example.com\n  scope: Cluster\n  names:\n    kind: ClusterIssuer\n    plural: clusterissuers\n';
    const issuer = 'apiVersion: example.com/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\n';
    const environment = buildEnvironmentManifests('staging', [output('issuers', issuer), output('operator', crd)]);
    expect(environment.releases[0]!.resources[0]!.key.namespace).toBeUndefined();
    expect(environment.releases[0]!.resources[0]!.path).toBe('staging/issuers/clusterissuer.example.com_letsencrypt.yaml');
  });

  it('leaves out helm test hooks and unwraps Lists', () => {
    const text = [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test-success\n',
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n',
      '# only a comment\n',
    ].join('---\n');
    const [web] = buildEnvironmentManifests('staging', [output('web', text)]).releases;
    expect(web!.resources.map((r) => r.key.name)).toEqual(['a', 'b']);
    expect(web!.resources[0]!.content).toBe(
      '# Source: web/templates/all.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: apps\n',
    );
  });

  it('refuses a resource rendered by two releases, naming both', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: apps\n';
    expect(() => buildEnvironmentManifests('staging', [output('one', cm), output('two', cm)])).toThrow(
      /environment "staging": ConfigMap apps\/shared is rendered by both release "one" and release "two"/,
    );
  });

  it('refuses documents with duplicate keys or without a name, naming the file', () => {
    expect(() =>
      buildEnvironmentManifests('staging', [output('web', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n')]),
    ).toThrow(/release "web", chart "fixtures\/web", file web\/templates\/all.yaml: helm produced invalid YAML: Map keys must be unique/);
    expect(() =>
      buildEnvironmentManifests('staging', [output('web', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: a-\n')]),
    ).toThrow(/ConfigMap has no metadata.name \(generateName cannot be committed/);
  });

  it('refuses a name that would escape the manifests directory', () => {
    expect(() =>
      buildEnvironmentManifests('staging', [output('web', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ../../../etc\n')]),
    ).toThrow(/release "web".*resource ConfigMap "..\/..\/..\/etc".*unsafe name/);
  });
});
