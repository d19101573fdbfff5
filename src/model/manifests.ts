import type { ResourceKey } from './resource-key.js';
import type { HelmfileRelease } from './release.js';
import type { HelmfileState } from './helmfile-state.js';
import type { ToolVersions } from './tool-versions.js';

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
  /** The helm and helmfile versions that rendered it (a render only), recorded beside the files. */
  tools?: ToolVersions;
  /** Read from a commit's committed files (the base side): what the record beside them says of them. */
  committed?: CommittedProvenance;
}

/**
 * What committed manifests were rendered from, and what the commit's inputs render from now:
 * together they tell drift (the files are not what the inputs render) and a toolchain change
 * (the same inputs, other tools) from the pull request's own changes.
 */
export interface CommittedProvenance {
  /** Release -> the input fingerprint recorded beside the files (empty without a record). */
  recordedFingerprints: Record<string, string>;
  /** The tools the files were rendered with, when the record says. */
  recordedTools?: ToolVersions;
  /** Files whose bytes are not those recorded: edited by hand, or no record to tell. */
  unrecordedFiles: string[];
  /** Whether the commit's inputs could be read (`helmfile build` on it succeeded); without them only file digests tell drift. */
  inputsKnown: boolean;
  /** Release -> fingerprint of the commit's inputs with the recorded tools (undefined: unknown). */
  inputFingerprints: Record<string, string | undefined>;
  /** Release -> fingerprint of the commit's inputs with this run's tools (compared with the head's render). */
  currentToolFingerprints: Record<string, string | undefined>;
}

/** What became of every document helm wrote for a release: each one is accounted for. */
export interface DocumentTally {
  /** Non-empty documents in helm's files. */
  emitted: number;
  /** Documents written as resources (a List counts once, whatever its items). */
  written: number;
  /** Lists unwrapped into their items. */
  lists: number;
  /** helm test hooks (`helm.sh/hook: test`), which are not desired state. */
  testHooks: number;
}

/**
 * A field a chart fills with a new value on every render (randAlphaNum, genCA, uuidv4, now):
 * found by rendering the same inputs twice. Left alone, every render would commit a new CA or
 * password, every pull request would show the release changed, and a run on the action's own
 * commit would push yet another commit.
 */
export interface GeneratedField {
  environment: string;
  release: string;
  resource: ResourceKey;
  /** Path segments inside the object. */
  path: (string | number)[];
  /** `kept`: the committed value was written back; `new`: nothing was committed there yet. */
  outcome: 'kept' | 'new';
}
