import { describe, expect, it } from 'vitest';
import { apiServerGoMod, etcdMainSource, stagingModuleVersion } from '../../src/tools/api-server-build.js';
import { findEnvtestDigest } from '../../src/tools/api-server-download.js';
import { apiServerLdflags, apiServerSpec, apiServerVersionFor } from '../../src/tools/api-server-spec.js';
import { SettingError } from '../../src/settings/setting-error.js';

describe('the pinned API server', () => {
  const spec = apiServerSpec();

  it('judges each supported Kubernetes minor with the release pinned for it', () => {
    expect(apiServerVersionFor('1.35')).toBe(spec.versions['1.35']);
    expect(apiServerVersionFor('v1.35.2')).toBe(spec.versions['1.35']);
    expect(apiServerVersionFor('1.34')).toBe(spec.versions['1.34']);
    expect(() => apiServerVersionFor('1.20')).toThrow(SettingError);
    expect(() => apiServerVersionFor('1.20')).toThrow(/"1.20".*has no pinned API server.*1\.34, 1\.35/);
  });

  it('pins every archive digest as SHA-512 hex, per release and platform', () => {
    for (const [version, platforms] of Object.entries(spec.release.sha512)) {
      expect(Object.values(spec.versions)).toContain(version);
      for (const digest of Object.values(platforms)) expect(digest).toMatch(/^[0-9a-f]{128}$/);
    }
  });

  it('builds from k8s.io/kubernetes with its staging modules taken at the same release', () => {
    const upstream = `module k8s.io/kubernetes\n\nreplace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n\tk8s.io/apiserver => ./staging/src/k8s.io/apiserver\n\tgithub.com/x/y => github.com/x/y v1.0.0\n)\n`;
    expect(stagingModuleVersion('1.35.0')).toBe('v0.35.0');
    expect(apiServerGoMod(spec, '1.35.0', upstream)).toBe(
      'module helmfile-hydrate.local/build/kube-apiserver\n\ngo 1.24\n\nrequire k8s.io/kubernetes v1.35.0\n\n' +
        'replace (\n\tk8s.io/api => k8s.io/api v0.35.0\n\tk8s.io/apiserver => k8s.io/apiserver v0.35.0\n)\n',
    );
    expect(() => apiServerGoMod(spec, '1.35.0', 'module k8s.io/kubernetes\n')).toThrow(/replaces no staging module/);
    expect(etcdMainSource('go.etcd.io/etcd/server/v3/etcdmain')).toContain('etcdmain.Main(os.Args)');
    expect(apiServerLdflags(spec, '1.35.0')).toBe(
      '-X k8s.io/component-base/version.gitVersion=v1.35.0 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=35',
    );
  });

  it("finds an archive's digest in controller-tools' envtest-releases.yaml", () => {
    const hash = 'a'.repeat(128);
    const releases = `releases:\n  v1.35.0:\n    envtest-v1.35.0-linux-amd64.tar.gz:\n      hash: ${hash}\n      selfLink: https://example.com/x\n`;
    expect(findEnvtestDigest(releases, '1.35.0', 'envtest-v1.35.0-linux-amd64.tar.gz')).toBe(hash);
    expect(findEnvtestDigest(releases, '1.35.0', 'envtest-v1.35.0-darwin-arm64.tar.gz')).toBeUndefined();
    expect(findEnvtestDigest(releases.replace(hash, 'abc'), '1.35.0', 'envtest-v1.35.0-linux-amd64.tar.gz')).toBeUndefined();
    expect(findEnvtestDigest('', '1.35.0', 'x')).toBeUndefined();
  });
});
