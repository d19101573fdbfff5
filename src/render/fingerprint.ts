import { createHash } from 'node:crypto';
import type { ToolVersions } from '../model/tool-versions.js';

/**
 * Bumped whenever the bytes render writes for the same helm output change (a new file layout, a
 * different namespace edit): every recorded fingerprint then differs and everything re-renders.
 */
export const RENDER_FORMAT_VERSION = 2;

/** One release as `helmfile build --embed-values` resolves it, with what else decides its render. */
export interface ReleaseFingerprintInput {
  /** The release entry of the built state: chart, version, namespace, labels, merged values, set, patches... */
  release: Record<string, unknown>;
  /** What of the state's top level applies to every release: helmDefaults, kubeVersion, apiVersions. */
  state: Record<string, unknown>;
  /** The repository the chart comes from (its name, whether OCI), when it comes from one. */
  repository?: Record<string, unknown>;
  /**
   * The chart's content: the archive digest a repository index gives, the file tree digest of a
   * local chart, or the OCI reference. Undefined: unknown, so the release always renders.
   */
  chartDigest: string | undefined;
  /** Digests of files the state names but does not embed (helm-secrets `secrets:`). */
  fileDigests: Record<string, string>;
  tools: ToolVersions;
  /** Settings of this tool that change what is written. */
  settings: { kubeVersion?: string; clusterScopedKinds?: readonly string[] };
}

/** The state keys that apply to all releases and change what helm renders. */
export const STATE_KEYS_FOR_RELEASES = ['helmDefaults', 'kubeVersion', 'apiVersions', 'commonLabels'] as const;

/**
 * A digest of everything a release's render depends on, or undefined when one part is unknown
 * (the release must then be rendered). Keys are sorted, so the same inputs give the same digest.
 */
export function releaseFingerprint(input: ReleaseFingerprintInput): string | undefined {
  if (input.chartDigest === undefined || !input.tools.helm || !input.tools.helmfile) return undefined;
  const canonical = canonicalJson({ format: RENDER_FORMAT_VERSION, ...input });
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** JSON with object keys sorted at every level (arrays keep their order: it means something). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
