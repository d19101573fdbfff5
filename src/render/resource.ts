import type { ResourceKey } from './resource-key.js';
import type { HelmfileRelease } from './release.js';
import type { DocumentTally } from './documents.js';
import type { GeneratedField } from './generated-values.js';
import type { HelmfileState } from './helmfile-output.js';

/** One rendered resource, exactly as it is written under the output directory. */
export interface RenderedResource {
  key: ResourceKey;
  apiVersion: string;
  environment: string;
  release: string;
  /** Path relative to the output directory, `/`-separated: `<environment>/<release>/<file>`. */
  path: string;
  /** The bytes of the file (YAML, newline at the end). */
  content: string;
  /** The parsed resource. */
  object: Record<string, unknown>;
  /** The chart template it came from (helm's `# Source:` comment). */
  source: string;
}

export interface ReleaseManifests {
  release: HelmfileRelease;
  resources: RenderedResource[];
  /** How helm's documents became resources (a render only; not known for committed manifests). */
  documents?: DocumentTally;
  /** The input fingerprint the resources were rendered from (recorded beside the manifests). */
  fingerprint?: string;
  /** `committed`: the fingerprint matched, the committed files were kept without rendering. */
  origin?: 'rendered' | 'committed';
}

export interface EnvironmentManifests {
  environment: string;
  releases: ReleaseManifests[];
  /** Fields the charts generate on every render (a render against committed manifests only). */
  generated?: GeneratedField[];
  /**
   * What helmfile said about the environment while rendering it (a render only): `helmfile list`,
   * and the states of `helmfile build --embed-values` (empty when the render needed none). Later
   * stages (the values check) read them instead of running helmfile again.
   */
  helmfileStates?: { listed: HelmfileRelease[]; embedded: HelmfileState[] };
}
