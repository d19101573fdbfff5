import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimited } from '../concurrency/map-limited.js';
import { RenderError } from './errors.js';
import { readOwnershipRecord, type OwnershipRecord } from './ownership.js';
import { parseManifestFile, type ManifestFileProblem } from './committed-manifest-file.js';
import type { EnvironmentManifests, ReleaseManifests, RenderedResource } from '../model/manifests.js';
import { compareResourceKeys } from '../model/resource-key.js';

export type { ManifestFileProblem } from './committed-manifest-file.js';

/** Files read at once; enough to keep the disk busy, few enough for any open-file limit. */
const CONCURRENT_READS = 32;

export interface ReadManifestTreeOptions {
  /**
   * Receives each bad file instead of the read failing at the first one: files that are not one
   * Kubernetes object are then left out, resources with duplicate keys kept.
   */
  onProblem?: (problem: ManifestFileProblem) => void;
  /** A file the record lists that the tree does not hold is simply not there (not a problem). */
  skipMissingFiles?: boolean;
}

/**
 * Where a manifest tree is read from: a directory, or a commit's tree (see git/manifest-stage.ts).
 * Paths are relative to the output directory and `/`-separated.
 */
export interface ManifestTreeSource {
  /** The ownership record, undefined when there is none. */
  record(): Promise<OwnershipRecord | undefined>;
  /** The subdirectories of a directory that do not start with a dot, sorted; none when it does not exist. */
  directories(path: string): Promise<string[]>;
  /** The names of the entries of a directory that end in `.yaml`. */
  yamlFiles(path: string): Promise<string[]>;
  /** The text of each file; a file that does not exist is left out. */
  read(paths: readonly string[]): Promise<Map<string, string>>;
}

/**
 * Reads manifests written by `writeManifestTree` (e.g. those committed on the base branch)
 * back into the shape a render returns. Release metadata that only helmfile knows (chart,
 * version, namespace) is left empty.
 */
export function readManifestTree(
  outputDir: string,
  environments?: readonly string[],
  options: ReadManifestTreeOptions = {},
): Promise<EnvironmentManifests[]> {
  return readManifestSource(directorySource(outputDir), environments, options);
}

/** readManifestTree from any source. */
export async function readManifestSource(
  source: ManifestTreeSource,
  environments?: readonly string[],
  options: ReadManifestTreeOptions = {},
): Promise<EnvironmentManifests[]> {
  const report =
    options.onProblem ??
    ((problem: ManifestFileProblem) => {
      throw new RenderError({ environment: problem.environment, release: problem.release, file: problem.path }, problem.message);
    });
  const record = await source.record();
  const names = environments?.length ? [...environments] : record ? Object.keys(record.environments).sort() : await source.directories('');
  const layout: { environment: string; releases: { release: string; files: string[] }[] }[] = [];
  for (const environment of names) {
    const releases: { release: string; files: string[] }[] = [];
    if (record) {
      // Only what render wrote: a hand-written file beside the manifests is not a resource of the render.
      const byRelease = new Map<string, string[]>();
      for (const path of record.environments[environment] ?? []) {
        const [, release, file] = path.split('/');
        if (release && file) byRelease.set(release, [...(byRelease.get(release) ?? []), file]);
      }
      for (const release of [...byRelease.keys()].sort()) releases.push({ release, files: byRelease.get(release)!.sort() });
    } else {
      for (const release of await source.directories(environment)) {
        const files = (await source.yamlFiles(`${environment}/${release}`)).sort();
        releases.push({ release, files });
      }
    }
    layout.push({ environment, releases });
  }
  const paths = layout.flatMap(({ environment, releases }) =>
    releases.flatMap(({ release, files }) => files.map((file) => `${environment}/${release}/${file}`)),
  );
  const contents = await source.read(paths);

  return layout.map(({ environment, releases }) => ({
    environment,
    releases: releases.map(({ release, files }): ReleaseManifests => {
      const resources: RenderedResource[] = [];
      for (const file of files) {
        const path = `${environment}/${release}/${file}`;
        const content = contents.get(path);
        if (content === undefined) {
          if (options.skipMissingFiles) continue;
          report({
            environment,
            release,
            path,
            content: '',
            problem: 'missing-file',
            message: 'the file is listed in the ownership record but does not exist: it was deleted by hand; render writes it again',
          });
          continue;
        }
        const resource = parseManifestFile(environment, release, path, content, report);
        if (resource) resources.push(resource);
      }
      resources.sort((a, b) => compareResourceKeys(a.key, b.key));
      return { release: { name: release, namespace: '', chart: '', version: '', enabled: true, labels: '' }, resources };
    }),
  }));
}

function directorySource(outputDir: string): ManifestTreeSource {
  const absolute = (path: string) => join(outputDir, ...path.split('/').filter(Boolean));
  return {
    record: () => readOwnershipRecord(outputDir),
    directories: (path) => directories(absolute(path)),
    yamlFiles: async (path) => (await readdir(absolute(path))).filter((name) => name.endsWith('.yaml')),
    read: async (paths) => {
      // Reading one file at a time leaves the process idle for a third of a 2,500-file tree.
      const contents = new Map<string, string>();
      const reads = await mapLimited(paths, CONCURRENT_READS, async (path) => {
        const text = await readFile(absolute(path), 'utf8').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined;
          throw error;
        });
        if (text !== undefined) contents.set(path, text);
      });
      const failed = reads.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
      return contents;
    },
  };
}

async function directories(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
