import type { EnvironmentDiff, ImageChange, ReleaseDiff, ResourceChange } from '../diff/types.js';
import { formatResourceKey, resourceId } from '../model/resource-key.js';

/**
 * Each change shown once. Environments usually receive the same bump: their changes are then
 * identical, and a reviewer reads them once ("staging: same changes as production"). The same
 * holds per release (a release changed identically in two environments whose other releases
 * differ), and per resource within a release (resources whose diffs are identical line for line).
 * Pure and deterministic: the first environment in name order is the one shown.
 */
export interface ChangeGroups {
  /** Environment -> the earlier environment with identical changes. */
  environmentSameAs: Map<string, string>;
  /** `environment\0release` -> the earlier environment where that release changed identically. */
  releaseSameAs: Map<string, string>;
}

export function groupChanges(environments: readonly EnvironmentDiff[]): ChangeGroups {
  const environmentSameAs = new Map<string, string>();
  const releaseSameAs = new Map<string, string>();
  const firstEnvironment = new Map<string, string>();
  const firstRelease = new Map<string, string>();
  for (const environment of environments) {
    if (environment.status === 'unchanged') continue;
    const signature = environmentSignature(environment);
    const earlier = firstEnvironment.get(signature);
    if (earlier !== undefined) {
      environmentSameAs.set(environment.environment, earlier);
      continue;
    }
    firstEnvironment.set(signature, environment.environment);
    for (const release of environment.releases) {
      if (release.status === 'unchanged') continue;
      const releaseKey = releaseSignature(release);
      const earlierRelease = firstRelease.get(releaseKey);
      if (earlierRelease !== undefined) releaseSameAs.set(releaseId(environment.environment, release.name), earlierRelease);
      else firstRelease.set(releaseKey, environment.environment);
    }
  }
  return { environmentSameAs, releaseSameAs };
}

export function releaseId(environment: string, release: string): string {
  return `${environment}\u0000${release}`;
}

/** Whether a resource's change has something to show (a diff, or a move). */
export function isShownChange(change: ResourceChange): boolean {
  return !change.noiseOnly && (change.status !== 'unchanged' || change.moved);
}

function environmentSignature(environment: EnvironmentDiff): string {
  return JSON.stringify([
    environment.status,
    environment.noiseOnly,
    environment.releases.filter((release) => release.status !== 'unchanged').map(releaseSignature),
    environment.images.map(imageSignature),
  ]);
}

function releaseSignature(release: ReleaseDiff): string {
  return JSON.stringify([
    release.name,
    release.status,
    release.base ? [release.base.chart, release.base.version, release.base.namespace] : null,
    release.head ? [release.head.chart, release.head.version, release.head.namespace] : null,
    // Resources that did not change do not make changes different (one environment may have more).
    { ...release.counts, unchanged: 0 },
    release.resources
      .filter(isShownChange)
      .map((change) => [
        resourceId(change.key),
        change.status,
        change.moved,
        change.baseRelease ?? null,
        change.headRelease ?? null,
        change.noise,
        change.patch,
        change.causes ?? change.cause ?? 'pull-request',
      ]),
  ]);
}

function imageSignature(image: ImageChange): string {
  return JSON.stringify([image.release, resourceId(image.resource), image.container, image.base ?? null, image.head ?? null]);
}

/** Resources whose changes are identical, shown as one block under the release of the first. */
export interface SameChange {
  /** The release the block is shown under (that of the first change). */
  release: string;
  changes: ResourceChange[];
}

function releaseOf(change: ResourceChange): string {
  return change.headRelease ?? change.baseRelease ?? '';
}

/**
 * A patch without its context lines: hunk headers and `-`/`+` lines. Context differs between
 * resources (their names); the same lines changed at the same places are the same change.
 */
function changedLines(patch: string): string {
  return patch
    .split('\n')
    .filter((line) => line.startsWith('@@') || line.startsWith('-') || line.startsWith('+'))
    .join('\n');
}

/**
 * Groups shown changes (of one environment, releases in order) by identical change: same status,
 * hunks and changed lines, in one release or across releases. Single changes stay alone.
 */
export function sameChanges(changes: readonly ResourceChange[]): SameChange[] {
  const groups = new Map<string, SameChange>();
  const result: SameChange[] = [];
  for (const change of changes) {
    if (!isShownChange(change)) continue;
    // Moves and empty patches say something about each resource; only real diffs are merged.
    const key =
      change.patch && !change.moved
        ? JSON.stringify([change.status, change.noise, changedLines(change.patch), change.causes ?? change.cause ?? 'pull-request'])
        : `\u0000${resourceId(change.key)}`;
    const group = groups.get(key);
    if (group) group.changes.push(change);
    else {
      const created = { release: releaseOf(change), changes: [change] };
      groups.set(key, created);
      result.push(created);
    }
  }
  return result;
}

/** `Deployment.apps apps/web`, or `ConfigMap apps/a, ConfigMap apps/b, other-release: ConfigMap c/b` for a merged block. */
export function changedResourcesText(group: SameChange): string {
  return group.changes
    .map((change) => `${releaseOf(change) === group.release ? '' : `${releaseOf(change)}: `}${formatResourceKey(change.key)}`)
    .join(', ');
}

/**
 * One row per image change (same old and new image), across resources, containers and
 * environments with identical changes: the reviewer reads "cilium 1.19.0 -> 1.19.1" once, with
 * every place it applies to.
 */
export interface ImageChangeRow {
  base?: string;
  head?: string;
  environments: string[];
  /** `release: Kind namespace/name (container, container)` per resource, in order. */
  uses: Array<{ release: string; resource: string; containers: string[] }>;
}

export function imageChangeRows(environments: readonly EnvironmentDiff[], groups: ChangeGroups): ImageChangeRow[] {
  const rows = new Map<string, ImageChangeRow>();
  for (const environment of environments) {
    for (const image of environment.images) {
      const key = JSON.stringify([image.base ?? null, image.head ?? null]);
      let row = rows.get(key);
      if (!row) {
        row = { environments: [], uses: [] };
        if (image.base !== undefined) row.base = image.base;
        if (image.head !== undefined) row.head = image.head;
        rows.set(key, row);
      }
      const shownAs = groups.environmentSameAs.get(environment.environment);
      if (!row.environments.includes(environment.environment)) row.environments.push(environment.environment);
      // Environments with the same changes list the same places: once is enough.
      if (shownAs !== undefined) continue;
      const resource = formatResourceKey(image.resource);
      let use = row.uses.find((candidate) => candidate.release === image.release && candidate.resource === resource);
      if (!use) row.uses.push((use = { release: image.release, resource, containers: [] }));
      if (!use.containers.includes(image.container)) use.containers.push(image.container);
    }
  }
  return [...rows.values()];
}

/** Digests shortened to their first 8 hex digits: `@sha256:abcdef12…`; tags stay whole. */
export function shortImage(image: string): string {
  return image.replace(/@(sha256|sha512):([0-9a-f]{8})[0-9a-f]{8,}/g, '@$1:$2…');
}
