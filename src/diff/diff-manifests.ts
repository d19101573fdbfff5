import type { EnvironmentManifests, ReleaseManifests } from '../model/manifests.js';
import { compareResourceKeys } from '../model/resource-key.js';
import { containerImages } from './images.js';
import { normalizeDefinitionText, normalizeResourcePair } from './normalize.js';
import { resourcesById, type LocatedResource } from './resource-index.js';
import { SensitiveValues } from './sensitive-values.js';
import {
  DEFAULT_DIFF_SETTINGS,
  type ChangeStatus,
  type DiffSettings,
  type EnvironmentDiff,
  type ImageChange,
  type ManifestDiff,
  type NoiseCategory,
  type ReleaseCounts,
  type ReleaseDiff,
  type ResourceChange,
} from './types.js';
import { unifiedDiff } from './unified-diff.js';
import { VersionPairs } from './version-noise.js';

/**
 * Compares two renders (base and head) environment by environment. Resources are matched by
 * identity (group, kind, namespace, name) across all releases of an environment, so a resource
 * that changes release is a move. Pure: no processes, files or clock.
 */
export function diffManifests(
  base: readonly EnvironmentManifests[],
  head: readonly EnvironmentManifests[],
  settings: Partial<DiffSettings> = {},
): ManifestDiff {
  const effective: DiffSettings = { ...DEFAULT_DIFF_SETTINGS, ...settings };
  const sensitive = new SensitiveValues();
  const names = [...new Set([...base.map((e) => e.environment), ...head.map((e) => e.environment)])].sort(compareStrings);
  const environments = names.map((name) =>
    diffEnvironment(
      name,
      base.find((e) => e.environment === name),
      head.find((e) => e.environment === name),
      effective,
      sensitive,
    ),
  );
  sensitive.addPublicNames(publicNames(base, head, environments));
  return { settings: effective, environments, sensitive };
}

/** A mapping key on a line of a patch (`+  secretName: x`, `-    - name: y`). */
const PATCH_KEY = /^[ +-]\s*(?:- )*(?:"((?:[^"\\]|\\.)*)"|([^\s"'#:][^:]*?)):(?: |$)/;

/**
 * Every name the report shows as a name: resource identities, release and environment names,
 * container names, and the mapping keys of the patches. Redaction never touches them.
 */
function publicNames(
  base: readonly EnvironmentManifests[],
  head: readonly EnvironmentManifests[],
  environments: readonly EnvironmentDiff[],
): Set<string> {
  const names = new Set<string>();
  for (const side of [base, head]) {
    for (const environment of side) {
      names.add(environment.environment);
      for (const { release, resources } of environment.releases) {
        names.add(release.name);
        names.add(release.namespace);
        for (const { key } of resources) {
          names.add(key.kind);
          names.add(key.name);
          if (key.group) names.add(key.group);
          if (key.namespace) names.add(key.namespace);
        }
      }
    }
  }
  for (const environment of environments) {
    for (const image of environment.images) names.add(image.container);
    for (const release of environment.releases) {
      for (const change of release.resources) {
        if (!change.patch) continue;
        for (const line of change.patch.split('\n')) {
          const match = PATCH_KEY.exec(line);
          if (match) names.add(match[1] !== undefined ? unquote(match[1]) : match[2]!);
        }
      }
    }
  }
  return names;
}

function diffEnvironment(
  environment: string,
  base: EnvironmentManifests | undefined,
  head: EnvironmentManifests | undefined,
  settings: DiffSettings,
  sensitive: SensitiveValues,
): EnvironmentDiff {
  const baseResources = resourcesById(base);
  const headResources = resourcesById(head);
  const ids = [...new Set([...baseResources.keys(), ...headResources.keys()])];
  const changes: ResourceChange[] = [];
  const images: ImageChange[] = [];
  const versions = releaseVersions(base, head, baseResources, headResources);
  for (const id of ids) {
    const before = baseResources.get(id);
    const after = headResources.get(id);
    changes.push(diffResource(environment, before, after, settings, sensitive, versionsOf(versions, before, after)));
    images.push(...imageChanges(environment, before, after));
  }
  changes.sort((a, b) => compareResourceKeys(a.key, b.key));
  images.sort(
    (a, b) =>
      compareStrings(a.release, b.release) || compareResourceKeys(a.resource, b.resource) || compareStrings(a.container, b.container),
  );

  const releaseNames = [...new Set([...(base?.releases ?? []), ...(head?.releases ?? [])].map((r) => r.release.name))].sort(compareStrings);
  const releases = releaseNames.map((name) => {
    const before = base?.releases.find((r) => r.release.name === name);
    const after = head?.releases.find((r) => r.release.name === name);
    return releaseDiff(name, before, after, changes);
  });

  const noiseOnly = changes.filter((change) => change.noiseOnly);
  const categories = new Set<NoiseCategory>(noiseOnly.flatMap((change) => change.noise));
  const status: ChangeStatus = !base
    ? 'added'
    : !head
      ? 'removed'
      : releases.some((r) => r.status !== 'unchanged') || noiseOnly.length > 0
        ? 'changed'
        : 'unchanged';
  return {
    environment,
    status,
    releases,
    images,
    noiseOnly: {
      count: noiseOnly.length,
      categories: (['chart-labels', 'checksum-annotations', 'generated-certificates'] as const).filter((c) => categories.has(c)),
    },
  };
}

/**
 * The versions each release's bump changed: its chart version from helmfile's metadata, and the
 * chart, subchart and app versions of the chart-style labels that differ between the sides.
 */
function releaseVersions(
  base: EnvironmentManifests | undefined,
  head: EnvironmentManifests | undefined,
  baseResources: Map<string, LocatedResource>,
  headResources: Map<string, LocatedResource>,
): Map<string, VersionPairs> {
  const result = new Map<string, VersionPairs>();
  const pairsOf = (release: string) => {
    let pairs = result.get(release);
    if (!pairs) result.set(release, (pairs = new VersionPairs()));
    return pairs;
  };
  for (const after of head?.releases ?? []) {
    const before = base?.releases.find((candidate) => candidate.release.name === after.release.name);
    if (before) pairsOf(after.release.name).add(before.release.version, after.release.version);
  }
  for (const [id, after] of headResources) {
    const before = baseResources.get(id);
    if (before && before.resource.content !== after.resource.content)
      pairsOf(after.release).addFromLabels(before.resource.object, after.resource.object);
  }
  return result;
}

function versionsOf(
  versions: Map<string, VersionPairs>,
  before: LocatedResource | undefined,
  after: LocatedResource | undefined,
): VersionPairs | undefined {
  if (!before || !after) return undefined;
  if (before.release === after.release) return versions.get(after.release);
  const merged = new VersionPairs();
  for (const pairs of [versions.get(before.release), versions.get(after.release)])
    for (const pair of pairs?.list() ?? []) merged.add(pair.from, pair.to);
  return merged;
}

function diffResource(
  environment: string,
  before: LocatedResource | undefined,
  after: LocatedResource | undefined,
  settings: DiffSettings,
  sensitive: SensitiveValues,
  versions?: VersionPairs,
): ResourceChange {
  const key = (after ?? before)!.resource.key;
  const change: ResourceChange = {
    environment,
    key,
    status: 'unchanged',
    moved: before !== undefined && after !== undefined && before.release !== after.release,
    noiseOnly: false,
    noise: [],
    patch: '',
    linesAdded: 0,
    linesRemoved: 0,
  };
  if (before) {
    change.baseRelease = before.release;
    change.basePath = before.resource.path;
  }
  if (after) {
    change.headRelease = after.release;
    change.headPath = after.resource.path;
  }
  // Most resources of a render do not change: one string comparison settles them.
  if (before && after && before.resource.content === after.resource.content) return change;
  change.status = !before ? 'added' : !after ? 'removed' : 'changed';
  const normalized =
    key.kind === 'CustomResourceDefinition' && key.group === 'apiextensions.k8s.io'
      ? normalizeDefinitionText(before?.resource.content, after?.resource.content, settings.noiseFilter, sensitive, versions)
      : normalizeResourcePair(before?.resource.object, after?.resource.object, settings.noiseFilter, sensitive, versions);
  change.noise = normalized.noise;
  if (change.status === 'changed' && normalized.base === normalized.head) {
    if (normalized.noise.length > 0) change.noiseOnly = true;
    // Equal after normalization but not byte-equal: formatting or masked-equal; nothing to show.
    else change.status = 'unchanged';
    return change;
  }
  const patch = unifiedDiff(normalized.base ?? '', normalized.head ?? '', settings.contextLines);
  change.patch = patch.text;
  change.linesAdded = patch.linesAdded;
  change.linesRemoved = patch.linesRemoved;
  return change;
}

function releaseDiff(
  name: string,
  before: ReleaseManifests | undefined,
  after: ReleaseManifests | undefined,
  changes: readonly ResourceChange[],
): ReleaseDiff {
  const resources = changes.filter((change) => (change.headRelease ?? change.baseRelease) === name);
  const counts: ReleaseCounts = { added: 0, removed: 0, changed: 0, noiseOnly: 0, movedIn: 0, movedOut: 0, unchanged: 0 };
  for (const change of resources) {
    if (change.moved) counts.movedIn++;
    if (change.noiseOnly) counts.noiseOnly++;
    else counts[change.status]++;
  }
  counts.movedOut = changes.filter((change) => change.moved && change.baseRelease === name).length;
  const chartChanged =
    before && after && (before.release.chart !== after.release.chart || before.release.version !== after.release.version);
  const status: ChangeStatus = !before
    ? 'added'
    : !after
      ? 'removed'
      : chartChanged || counts.added + counts.removed + counts.changed + counts.movedIn + counts.movedOut > 0
        ? 'changed'
        : 'unchanged';
  const result: ReleaseDiff = { name, status, counts, resources };
  if (before) result.base = before.release;
  if (after) result.head = after.release;
  return result;
}

function imageChanges(environment: string, before: LocatedResource | undefined, after: LocatedResource | undefined): ImageChange[] {
  const resource = (after ?? before)!;
  if (resource.resource.key.kind === 'CustomResourceDefinition') return [];
  const old = before ? containerImages(before.resource.object) : new Map<string, string>();
  const current = after ? containerImages(after.resource.object) : new Map<string, string>();
  const containers = [...new Set([...old.keys(), ...current.keys()])].sort(compareStrings);
  const result: ImageChange[] = [];
  for (const container of containers) {
    const was = old.get(container);
    const is = current.get(container);
    if (was === is) continue;
    const change: ImageChange = { environment, release: resource.release, resource: resource.resource.key, container };
    if (was !== undefined) change.base = was;
    if (is !== undefined) change.head = is;
    result.push(change);
  }
  return result;
}

function unquote(quoted: string): string {
  try {
    return JSON.parse(`"${quoted}"`) as string;
  } catch {
    return quoted;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
