import type { ChartMirrorPlan } from './chart-mirror-plan.js';
import { readManifestTree } from './committed-manifests.js';
import { RenderError } from './errors.js';
import type { HelmfileCommand } from './helmfile.js';
import type { HelmfileState } from '../model/helmfile-state.js';
import { isAsRecorded, readOwnershipRecord, type OwnershipRecord } from './ownership.js';
import type { HelmfileRelease } from '../model/release.js';
import { releaseFingerprints } from './release-fingerprints.js';
import type { EnvironmentManifests, ReleaseManifests } from '../model/manifests.js';
import type { RenderSettings, RenderToolchain } from './settings.js';

/**
 * What a render of one environment starts from: the releases helmfile lists, their input
 * fingerprints, the committed manifests, and which releases keep their committed files.
 */
export interface EnvironmentPlan {
  /** `helmfile list`, disabled releases included. */
  listed: HelmfileRelease[];
  /** The enabled releases, in helmfile's order. */
  releases: HelmfileRelease[];
  /** The states of `helmfile build --embed-values` (empty without committed manifests). */
  embedded: HelmfileState[];
  fingerprints: Map<string, string | undefined>;
  /** The committed manifests of the environment, when there are any to compare with. */
  committed?: CommittedEnvironment;
  /** Releases whose fingerprint matches: their committed files are kept, not rendered. */
  kept: ReleaseManifests[];
  /** Committed files not as render wrote them (edited or deleted by hand): their releases render again. */
  editedByHand: string[];
  /** Scope per custom kind as the committed CRDs declare it (see sameCustomResourceScopes). */
  committedScopes: Map<string, string>;
  toRender: HelmfileRelease[];
}

/**
 * Plans the render of one environment. `helmfile list`, `helmfile build --embed-values` (the
 * fingerprints) and reading the committed manifests need nothing from each other: at once. All
 * settle before a failure is reported, so no helmfile is still running when the render ends.
 */
export async function planEnvironment(
  helmfile: HelmfileCommand,
  environment: string,
  context: { file: string; settings: RenderSettings; toolchain: RenderToolchain; mirrorPlan: ChartMirrorPlan | undefined },
): Promise<EnvironmentPlan> {
  const { file, settings, toolchain, mirrorPlan } = context;
  const committedManifests = settings.committedManifests;
  // Without a state every release is rendered: the render itself then reports what is wrong.
  const embedded = committedManifests ? helmfile.buildStates(environment, { embedValues: true }).catch(() => []) : Promise.resolve([]);
  const [listed, fingerprinted, read] = await Promise.allSettled([
    helmfile.listReleases(environment),
    committedManifests
      ? embedded.then((states) => releaseFingerprints(states, { helmfileFile: file, toolchain, settings, mirrorPlan }))
      : new Map<string, string | undefined>(),
    // Read once: the unchanged releases keep these files, the generated values take theirs from them.
    committedManifests ? readCommittedEnvironment(committedManifests, environment) : undefined,
  ]);
  if (listed.status === 'rejected') throw new RenderError({ environment }, (listed.reason as Error).message);
  if (fingerprinted.status === 'rejected') throw fingerprinted.reason;
  if (read.status === 'rejected') throw read.reason;
  const releases = listed.value.filter((release) => release.enabled);
  assertUniqueReleaseNames(environment, releases);
  const fingerprints = fingerprinted.value;
  const { kept, editedByHand, committedScopes } =
    settings.incremental === false || !committedManifests || !read.value
      ? { kept: [], editedByHand: [], committedScopes: new Map<string, string>() }
      : await unchangedReleases(environment, releases, fingerprints, committedManifests, read.value);
  const toRender = releases.filter((release) => !kept.some((entry) => entry.release.name === release.name));
  return {
    listed: listed.value,
    releases,
    embedded: await embedded,
    fingerprints,
    committed: read.value,
    kept,
    editedByHand,
    committedScopes,
    toRender,
  };
}

/** The plan's progress line: how many releases render, how many are kept. */
export function planSummary({ releases, kept, toRender, editedByHand }: EnvironmentPlan): string {
  const summary =
    kept.length > 0
      ? `rendering ${toRender.length} of ${releases.length} release(s); ${kept.length} unchanged since the committed manifests`
      : `rendering ${releases.length} release(s)`;
  return editedByHand.length > 0 ? `${summary}; not as rendered (edited by hand), written again: ${editedByHand.join(', ')}` : summary;
}

export interface CommittedEnvironment {
  /** Undefined when the directory cannot be read. */
  manifests: EnvironmentManifests | undefined;
  /** Files that are not one well-formed resource. */
  problems: number;
}

async function readCommittedEnvironment(directory: string, environment: string): Promise<CommittedEnvironment> {
  let problems = 0;
  try {
    // A file deleted by hand only makes its own release render again (see asRecorded).
    const [manifests] = await readManifestTree(directory, [environment], { onProblem: () => problems++, skipMissingFiles: true });
    return { manifests, problems };
  } catch {
    return { manifests: undefined, problems };
  }
}

/**
 * Releases whose input fingerprint equals the one recorded with the committed manifests and whose
 * files are byte for byte those recorded: their committed files are what a render would write, so
 * they are kept as they are. A file edited (or added, or removed) by hand makes its release render
 * again, so helm's bytes are written back.
 */
async function unchangedReleases(
  environment: string,
  releases: readonly HelmfileRelease[],
  fingerprints: ReadonlyMap<string, string | undefined>,
  committedManifests: string,
  { manifests: committed, problems }: CommittedEnvironment,
): Promise<{ kept: ReleaseManifests[]; editedByHand: string[]; committedScopes: Map<string, string> }> {
  const none = { kept: [], editedByHand: [], committedScopes: new Map<string, string>() };
  if (fingerprints.size === 0) return none;
  const record = await readOwnershipRecord(committedManifests).catch(() => undefined);
  const recorded = record?.fingerprints?.[environment] ?? {};
  const matching = releases.filter((release) => {
    const fingerprint = fingerprints.get(release.name);
    return fingerprint !== undefined && recorded[release.name] === fingerprint;
  });
  if (matching.length === 0 || !record) return none;
  // A hand-edited, unreadable committed file is rendered again rather than trusted.
  if (!committed || problems > 0) return none;
  const kept: ReleaseManifests[] = [];
  const editedByHand: string[] = [];
  for (const release of matching) {
    const files = committed.releases.find((entry) => entry.release.name === release.name);
    if (!files || files.resources.length === 0) continue;
    const edited = filesNotAsRecorded(files, environment, record);
    if (edited.length === 0)
      kept.push({ release, resources: files.resources, fingerprint: fingerprints.get(release.name), origin: 'committed' });
    else editedByHand.push(...edited);
  }
  return { kept, editedByHand, committedScopes: customResourceScopes(committed.releases) };
}

/**
 * The files of a release that are not as the record says render wrote them: a different digest,
 * or listed and gone (edited or deleted by hand). Empty: the committed files are render's own.
 */
export function filesNotAsRecorded(release: ReleaseManifests, environment: string, record: OwnershipRecord): string[] {
  const prefix = `${environment}/${release.release.name}/`;
  const listed = (record.environments[environment] ?? []).filter((path) => path.startsWith(prefix));
  const held = new Map(release.resources.map((resource) => [resource.path, resource.content]));
  return listed.filter((path) => {
    const content = held.get(path);
    return content === undefined || !isAsRecorded(record, path, content);
  });
}

/** Scope per custom kind (`Kind.group`) as the CustomResourceDefinitions among these releases declare it. */
function customResourceScopes(releases: readonly ReleaseManifests[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const { resources } of releases) {
    for (const { object } of resources) {
      if (object.kind !== 'CustomResourceDefinition') continue;
      const spec = (object.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string } };
      if (spec.group && spec.names?.kind) result.set(`${spec.names.kind}.${spec.group}`, spec.scope ?? 'Namespaced');
    }
  }
  return result;
}

/**
 * Whether every kind the kept files use has the scope it had when they were written: a rendered
 * release may ship the CRD that decides whether a kept custom resource carries a namespace.
 */
export function sameCustomResourceScopes(
  manifests: EnvironmentManifests,
  kept: readonly ReleaseManifests[],
  committedScopes: ReadonlyMap<string, string>,
): boolean {
  const scopes = customResourceScopes(manifests.releases);
  const keptKinds = new Set(kept.flatMap(({ resources }) => resources.map((resource) => `${resource.key.kind}.${resource.key.group}`)));
  return [...keptKinds].every((kind) => scopes.get(kind) === committedScopes.get(kind));
}

function assertUniqueReleaseNames(environment: string, releases: readonly HelmfileRelease[]): void {
  const seen = new Map<string, HelmfileRelease>();
  for (const release of releases) {
    const other = seen.get(release.name);
    if (other) {
      throw new RenderError(
        { environment, release: release.name },
        `two releases are named "${release.name}" (namespaces "${other.namespace}" and "${release.namespace}"); manifests are ` +
          `stored per release name, so rename one`,
      );
    }
    seen.set(release.name, release);
  }
}
