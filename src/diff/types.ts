import { DEFAULT_DIFF_CONTEXT_LINES } from '../defaults.js';
import type { HelmfileRelease } from '../model/release.js';
import type { ResourceKey } from '../model/resource-key.js';
import type { SensitiveValues } from './sensitive-values.js';

/** What happened to a resource, a release or an environment between base and head. */
export type ChangeStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/**
 * Changes that every chart bump or every render brings and that say nothing about the
 * deployment: `chart-labels` (`helm.sh/chart`, `app.kubernetes.io/version` labels, selectors
 * included, and any label or annotation whose value differs only by the bump's chart, subchart or
 * app version: see version-noise.ts), `checksum-annotations` (`checksum/*`), `generated-certificates` (`caBundle`, and
 * `tls.crt`/`tls.key`/`ca.crt`/`ca.key` of Secrets that charts generate anew on every render).
 */
export type NoiseCategory = 'chart-labels' | 'checksum-annotations' | 'generated-certificates';

export interface DiffSettings {
  /** Unchanged lines shown around each change. */
  contextLines: number;
  /** Leave noise out of diffs and count noise-only resources on one line (default true). */
  noiseFilter: boolean;
}

export const DEFAULT_DIFF_SETTINGS: DiffSettings = { contextLines: DEFAULT_DIFF_CONTEXT_LINES, noiseFilter: true };

/**
 * Why a resource change is in the diff of committed(base) -> what the pull request holds after the
 * action's commit: `pull-request` (the pull request's inputs), `toolchain` (the same inputs render
 * differently with this run's helm/helmfile than with those that rendered the committed files),
 * `drift` (the base's committed files are not what the base's inputs render), `hand-edit`
 * (committed bytes on the pull request's branch that the render replaces).
 */
export type ChangeCause = 'pull-request' | 'toolchain' | 'drift' | 'hand-edit';

export interface ResourceChange {
  environment: string;
  key: ResourceKey;
  /** Content status; a resource that only moved between releases is `unchanged` and `moved`. */
  status: ChangeStatus;
  /** The release that renders it on the base / head; undefined on the side where it is absent. */
  baseRelease?: string;
  headRelease?: string;
  /** Rendered by another release on head than on base (not a delete plus an add). */
  moved: boolean;
  /** The content changed, but only in noise: no diff is shown, the resource is counted. */
  noiseOnly: boolean;
  /** Noise categories whose values differ (hidden from `patch` when the noise filter is on). */
  noise: NoiseCategory[];
  /** Manifest file paths (`<env>/<release>/<file>`) on each side. */
  basePath?: string;
  headPath?: string;
  /**
   * Unified diff hunks (`@@ ... @@` and `-`/`+`/` ` lines) of the masked, normalized YAML; '' when
   * there is nothing to show. Line numbers refer to the normalized text, not the committed file.
   */
  patch: string;
  linesAdded: number;
  linesRemoved: number;
  /** Why the change is there (set by the comparison; a bare diff of two renders leaves it unset: `pull-request`). */
  cause?: ChangeCause;
  /** Every cause when more than one made this resource's change (`cause` is the first of them). */
  causes?: ChangeCause[];
}

/** A tool whose version differs between the one that rendered the committed files and this run's. */
export interface ToolchainChange {
  environment: string;
  tool: 'helm' | 'helmfile';
  /** The version recorded beside the base's committed files. */
  from: string;
  to: string;
}

/** A container image that differs between base and head (absent on one side for added/removed workloads). */
export interface ImageChange {
  environment: string;
  release: string;
  resource: ResourceKey;
  container: string;
  base?: string;
  head?: string;
}

export interface ReleaseCounts {
  added: number;
  removed: number;
  changed: number;
  /** Changed only in noise. */
  noiseOnly: number;
  /** Came from another release (counted here, under the release that renders it on head). */
  movedIn: number;
  /** Went to another release. */
  movedOut: number;
  unchanged: number;
}

export interface ReleaseDiff {
  name: string;
  status: ChangeStatus;
  /** helmfile's view of the release on each side (chart, version, namespace); undefined where absent. */
  base?: HelmfileRelease;
  head?: HelmfileRelease;
  counts: ReleaseCounts;
  /** Resources rendered by this release on head, or on base when gone from head; sorted by key. */
  resources: ResourceChange[];
}

export interface EnvironmentDiff {
  environment: string;
  status: ChangeStatus;
  releases: ReleaseDiff[];
  images: ImageChange[];
  /** Resources changed only in noise, and which noise categories occurred. */
  noiseOnly: { count: number; categories: NoiseCategory[] };
}

export interface ManifestDiff {
  settings: DiffSettings;
  environments: EnvironmentDiff[];
  /** Every value masked while diffing; reports scrub their text with it as a last line of defence. */
  sensitive: SensitiveValues;
  /**
   * Files edited by hand on the pull request's branch, each as the change the action's commit
   * makes to it (committed bytes -> helm's bytes; cause `hand-edit`). Set by the comparison.
   */
  handEdits?: ResourceChange[];
  /** Tools whose version changed since the base's committed files were rendered. Set by the comparison. */
  toolchain?: ToolchainChange[];
}
