import { SettingError } from '../../settings/setting-error.js';

/**
 * The Kubernetes version schemas are taken from. Upstream publishes the OpenAPI v3 documents in
 * the Kubernetes source tree; a minor version (`1.35`) reads them from the `release-1.35`
 * branch, a patch version (`1.35.2`) from the `v1.35.2` tag.
 */
export interface KubernetesVersion {
  /** As given, normalised without a leading `v`: `1.35` or `1.35.2`. */
  version: string;
  /** `1.35` */
  minor: string;
  /** The git ref of kubernetes/kubernetes holding that version's documents. */
  ref: string;
}

/**
 * The newest Kubernetes minor version this project is tested against (its documents are pinned in
 * test/support/kubernetes-openapi-digests.json).
 */
export const NEWEST_SUPPORTED_KUBERNETES_VERSION = '1.35';
export const DEFAULT_KUBERNETES_VERSION = NEWEST_SUPPORTED_KUBERNETES_VERSION;

const VERSION_PATTERN = /^v?(1)\.(\d{1,3})(?:\.(\d{1,3}))?$/;

export function parseKubernetesVersion(text: string): KubernetesVersion {
  const match = VERSION_PATTERN.exec(text.trim());
  if (!match) {
    throw new SettingError(
      'kubernetesVersion',
      text,
      'not a Kubernetes version',
      `use a minor version such as ${DEFAULT_KUBERNETES_VERSION} or a patch version such as ${DEFAULT_KUBERNETES_VERSION}.2`,
    );
  }
  const minor = `${match[1]}.${Number(match[2])}`;
  const patch = match[3] === undefined ? undefined : Number(match[3]);
  return patch === undefined
    ? { version: minor, minor, ref: `release-${minor}` }
    : { version: `${minor}.${patch}`, minor, ref: `v${minor}.${patch}` };
}
