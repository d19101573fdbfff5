import toolsManifest from '../../tools.json' with { type: 'json' };

/** The external programs helmfile-hydrate runs, pinned in `tools.json`. */
export type ToolName = 'helm' | 'helmfile' | 'kubeconform' | 'actionlint' | 'crane' | 'kwok';

export const TOOL_NAMES: readonly ToolName[] = ['helm', 'helmfile', 'kubeconform', 'actionlint', 'crane', 'kwok'];

export interface GoSource {
  /** Module path as published on the Go module proxy. */
  module: string;
  /** Package that holds `main`. */
  package: string;
  /** `-ldflags` that stamp the version the way the upstream release build does. */
  ldflags: string;
}

export interface ReleaseArchive {
  /** Archive URL template: `{version}`, `{os}`, `{arch}` are substituted. */
  url: string;
  /** URL of the checksum file the project publishes next to its archives. */
  checksumUrl: string;
  /** Path of the binary inside the archive (same placeholders); ignored when `archive` is false. */
  binary: string;
  /** False when the release is the bare binary itself (KWOK publishes no archive); default true. */
  archive?: boolean;
  /**
   * How the project spells `{os}` and `{arch}` in its archive names where it differs from Go's
   * GOOS/GOARCH (go-containerregistry: `Linux`, `x86_64`); a word not listed is used as Go spells it.
   */
  platformNames?: { os?: Record<string, string>; arch?: Record<string, string> };
  /**
   * Pinned SHA-256 digests by `<os>-<arch>` of the archives of the spec's `version` only (see
   * `specAtVersion`); preferred over `checksumUrl`.
   */
  sha256: Record<string, string>;
}

export interface ToolSpec {
  name: ToolName;
  version: string;
  /** Arguments that make the tool print its own version. */
  versionArgs: string[];
  go: GoSource;
  release: ReleaseArchive;
}

type ManifestFile = Record<string, unknown>;

/** The pinned specification of one tool, as written in `tools.json`. */
export function toolSpec(name: ToolName): ToolSpec {
  const entry = (toolsManifest as ManifestFile)[name] as Omit<ToolSpec, 'name'> | undefined;
  if (!entry) {
    throw new Error(`tools.json has no entry for "${name}": add one with version, versionArgs, go and release.`);
  }
  return { name, ...entry, release: { ...entry.release, sha256: { ...entry.release.sha256 } } };
}

/**
 * `spec` at another release version: the same sources, build flags and templates. A digest pinned
 * in tools.json is the digest of tools.json's version; for any other version the archive is
 * checked against the checksum file the project publishes, never against that digest.
 */
export function specAtVersion(spec: ToolSpec, version: string | undefined): ToolSpec {
  if (version === undefined || version === spec.version) return spec;
  return { ...spec, version, release: { ...spec.release, sha256: {} } };
}

/** The placeholders of `spec`'s release templates on `platform`, in the project's own spelling. */
export function releaseTemplateValues(
  spec: ToolSpec,
  platform: { os: string; arch: string },
): { version: string; os: string; arch: string } {
  const names = spec.release.platformNames;
  return { version: spec.version, os: names?.os?.[platform.os] ?? platform.os, arch: names?.arch?.[platform.arch] ?? platform.arch };
}

/** Substitutes `{version}`, `{os}` and `{arch}` in a URL or path template. */
export function expandTemplate(template: string, values: { version: string; os?: string; arch?: string }): string {
  return template.replace(/\{(version|os|arch)\}/g, (_, key: 'version' | 'os' | 'arch') => {
    const value = values[key];
    if (value === undefined) throw new Error(`template "${template}" needs {${key}}, which was not given`);
    return value;
  });
}
