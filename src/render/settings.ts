import type { ChartMirrorSettings } from './chart-mirror.js';

export interface RenderSettings {
  /** helmfile.yaml(.gotmpl) or its directory. */
  helmfile: string;
  /** Environments to render; all declared ones when empty. */
  environments?: readonly string[];
  /** Extra cluster-scoped kinds (`Kind` or `Kind.group`) for custom resources without a CRD in the render. */
  clusterScopedKinds?: readonly string[];
  /**
   * The cluster's Kubernetes version, for charts that branch on `.Capabilities.KubeVersion`.
   * Unset: the helmfile's own `kubeVersion`, else helm's default.
   */
  kubeVersion?: string;
  /** Where charts are fetched from instead of the helmfile's repositories (see chart-mirror.ts). */
  chartMirror?: ChartMirrorSettings;
  cwd?: string;
  /**
   * Directory of the manifests committed so far (`<environment>/<release>/...`). Fields a chart
   * generates anew on every render keep the values committed there, so unchanged inputs never
   * change committed bytes (see generated-values.ts).
   */
  committedManifests?: string;
  /**
   * With `committedManifests`: releases whose input fingerprint equals the one recorded there keep
   * their committed files and are not rendered (default true). `false` renders everything, as
   * `render --check` does to prove the committed files current.
   */
  incremental?: boolean;
}

/** The binaries and environment a render runs with; see `prepareToolchain`. */
export interface RenderToolchain {
  /** `version` when known (prepareToolchain); probed once otherwise, for release fingerprints. */
  helm: { path: string; version?: string };
  helmfile: { path: string; version?: string };
  env: Record<string, string>;
}

export interface RenderProgressEvent {
  environment: string;
  release?: string;
  message: string;
}

export type RenderProgress = (event: RenderProgressEvent) => void;
