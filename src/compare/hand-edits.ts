import { join } from 'node:path';
import { diffManifests } from '../diff/diff-manifests.js';
import type { ResourceChange } from '../diff/types.js';
import type { EnvironmentManifests, RenderedResource } from '../model/manifests.js';
import { readManifestTree } from '../render/committed-manifests.js';
import { isAsRecorded, readOwnershipRecord, type OwnershipRecord } from '../render/ownership.js';
import type { ComparedSides, DiffResult } from './stages.js';

/**
 * Files edited by hand on the pull request's branch: committed on the head with bytes that are
 * neither those the record says render wrote nor those the base holds, and that the render
 * replaces; or deleted by hand while the base holds them, and written again by the render. Each
 * is returned as the change the action's commit makes to it (the committed bytes -> helm's
 * bytes), cause `hand-edit`; the secrets of those diffs join the diff's.
 */
export async function findHandEdits(headExport: string, manifests: string, compared: DiffResult): Promise<ResourceChange[]> {
  const committedDirectory = join(headExport, manifests);
  const record = await readOwnershipRecord(committedDirectory).catch(() => undefined);
  // Without a record nothing tells render's bytes from a person's: the render is simply written.
  if (!record || compared.head.length === 0) return [];
  const names = compared.head.map((environment) => environment.environment).filter((name) => name in record.environments);
  const deleted = new Set<string>();
  const committed = await readManifestTree(committedDirectory, names, {
    onProblem: ({ problem, path }) => {
      if (problem === 'missing-file') deleted.add(path);
    },
  }).catch(() => []);
  const before: EnvironmentManifests[] = [];
  const after: EnvironmentManifests[] = [];
  for (const environment of committed) {
    const edited = editedByHand(environment, record, compared, deleted);
    if (edited.before.releases.length === 0) continue;
    before.push(edited.before);
    after.push(edited.after);
  }
  if (before.length === 0) return [];
  const handDiff = diffManifests(before, after, compared.result.settings);
  compared.result.sensitive.addAll(handDiff.sensitive);
  // Every one differs in bytes; an edit the normalized diff does not see (a comment) is listed too.
  return handDiff.environments.flatMap((environment) =>
    environment.releases.flatMap((release) => release.resources.map((change): ResourceChange => ({ ...change, cause: 'hand-edit' }))),
  );
}

/**
 * One environment's hand-edited files as committed on the head, and the same resources as the
 * render writes them; a file deleted by hand (listed in `deleted`) that the base holds and the
 * render writes comes back.
 */
function editedByHand(
  environment: EnvironmentManifests,
  record: OwnershipRecord,
  compared: ComparedSides,
  deleted: ReadonlySet<string>,
): { before: EnvironmentManifests; after: EnvironmentManifests } {
  const name = environment.environment;
  const base = filesByPath(compared.base.find((candidate) => candidate.environment === name));
  const rendered = compared.head.find((candidate) => candidate.environment === name);
  const final = filesByPath(rendered);
  const before: EnvironmentManifests = { environment: name, releases: [] };
  const after: EnvironmentManifests = { environment: name, releases: [] };
  const releases = new Set([
    ...environment.releases.map((release) => release.release.name),
    ...[...deleted].filter((path) => path.startsWith(`${name}/`)).map((path) => path.split('/')[1]!),
  ]);
  for (const releaseName of releases) {
    const release = environment.releases.find((candidate) => candidate.release.name === releaseName) ?? {
      release: { name: releaseName, namespace: '', chart: '', version: '', enabled: true, labels: '' },
      resources: [],
    };
    const gone = [...deleted].filter((path) => path.startsWith(`${name}/${releaseName}/`) && base.has(path) && final.has(path));
    const edited = release.resources.filter((resource) => {
      if (isAsRecorded(record, resource.path, resource.content)) return false;
      // Bytes the base holds too are the base's (drift, shown as such), not this branch's edit.
      if (base.get(resource.path) === resource.content) return false;
      return final.get(resource.path) !== resource.content;
    });
    if (edited.length === 0 && gone.length === 0) continue;
    const renderedRelease = rendered?.releases.find((candidate) => candidate.release.name === release.release.name);
    const keys = new Set([...edited.map((resource) => resource.path), ...gone]);
    before.releases.push({ release: renderedRelease?.release ?? release.release, resources: edited });
    after.releases.push({
      release: renderedRelease?.release ?? release.release,
      resources: (renderedRelease?.resources ?? []).filter((resource) => keys.has(resource.path)),
    });
  }
  return { before, after };
}

function filesByPath(environment: EnvironmentManifests | undefined): Map<string, string> {
  return new Map(
    (environment?.releases ?? []).flatMap((release) =>
      release.resources.map((resource: RenderedResource) => [resource.path, resource.content]),
    ),
  );
}
