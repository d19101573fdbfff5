import toolsManifest from '../../tools.json' with { type: 'json' };
import { SettingError } from '../settings/setting-error.js';

/** The two programs of a local control plane: the API server and the etcd it stores objects in. */
export const API_SERVER_PROGRAMS = ['kube-apiserver', 'etcd'] as const;
export type ApiServerProgram = (typeof API_SERVER_PROGRAMS)[number];

/** `tools.json` → `kube-apiserver`: which release judges each Kubernetes minor, and where it comes from. */
export interface ApiServerSpec {
  /** Kubernetes minor (`1.35`) → the release used for it (`1.35.0`). */
  versions: Record<string, string>;
  go: {
    /** The module holding kube-apiserver; its staging modules are taken at `v0.<minor>.<patch>`. */
    module: string;
    package: string;
    /** Package whose `Main(os.Args)` is etcd's own entry point. */
    etcdPackage: string;
    /** `{version}`, `{major}`, `{minor}` are filled in (the version the binary reports). */
    ldflags: string;
  };
  release: {
    /** Envtest archive URL template (`{version}`, `{os}`, `{arch}`). */
    url: string;
    /** controller-tools' `envtest-releases.yaml`: the SHA-512 of every archive it publishes. */
    checksumUrl: string;
    /** Where each program sits inside the archive. */
    binaries: Record<ApiServerProgram, string>;
    /** Pinned SHA-512 digests: release version → `<os>-<arch>` → hex; preferred over `checksumUrl`. */
    sha512: Record<string, Record<string, string>>;
  };
}

/** The pinned API server specification, as written in `tools.json`. */
export function apiServerSpec(): ApiServerSpec {
  const entry = (toolsManifest as Record<string, unknown>)['kube-apiserver'] as ApiServerSpec | undefined;
  if (!entry) throw new Error('tools.json has no "kube-apiserver" entry: add one with versions, go and release.');
  return entry;
}

/**
 * The API server release for the Kubernetes version being validated (`1.35` or `1.35.2`): the
 * release pinned for its minor. A patch given explicitly does not pick another release; the
 * API server's rules change between minors, and one pinned build per minor keeps runs reproducible.
 */
export function apiServerVersionFor(kubernetesVersion: string, spec: ApiServerSpec = apiServerSpec()): string {
  const minor = /^v?(\d+\.\d+)/.exec(kubernetesVersion.trim())?.[1];
  const pinned = minor ? spec.versions[minor] : undefined;
  if (!pinned) {
    throw new SettingError(
      'kubernetesVersion',
      kubernetesVersion,
      'has no pinned API server',
      `use one of ${Object.keys(spec.versions).join(', ')}, or turn the API server check off (api-server: false)`,
    );
  }
  return pinned;
}

/** `-ldflags` that make the built binary report `version` as the upstream release build does. */
export function apiServerLdflags(spec: ApiServerSpec, version: string): string {
  const [major = '', minor = ''] = version.split('.');
  return spec.go.ldflags.replace(/\{(version|major|minor)\}/g, (_, key: string) =>
    key === 'version' ? version : key === 'major' ? major : minor,
  );
}
