import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';

/** How long a repository index may take; a slow repository then means "render", never a hang. */
const INDEX_TIMEOUT_MS = 20_000;

/** The part of a repository index this module reads (helm's index.yaml). */
interface RepositoryIndex {
  entries?: Record<string, Array<{ version?: string; digest?: string }>>;
}

/** Repository indexes by location, fetched once per process however many renders use them. */
const indexes = new Map<string, Promise<RepositoryIndex | undefined>>();

/**
 * Digests of the charts one render's releases use: each repository index is read once per
 * process, each local chart's files hashed once per render (they may change between renders).
 */
export class ChartDigests {
  private readonly trees = new Map<string, Promise<string | undefined>>();

  /**
   * @param indexUrl where a repository's index is read from: the repository URL, or where a chart
   *   mirror serves it (undefined when the repository cannot be read this way).
   */
  constructor(private readonly indexUrl: (repositoryUrl: string, repositoryName: string) => string | undefined = (url) => url) {}

  /** The archive digest the repository index gives for `chart` at `version` (`sha256:<hex>`). */
  async repositoryChart(repository: { url: string; name: string }, chart: string, version: string): Promise<string | undefined> {
    const location = this.indexUrl(repository.url, repository.name);
    if (!location) return undefined;
    let index = indexes.get(location);
    if (!index) {
      index = readIndex(location);
      indexes.set(location, index);
    }
    const entry = (await index)?.entries?.[chart]?.find(
      (candidate) => candidate.version === version || candidate.version === version.replace(/^v/, ''),
    );
    return entry?.digest ? `sha256:${entry.digest}` : undefined;
  }

  /** A digest of every file of a local chart directory (paths and contents). */
  localChart(directory: string): Promise<string | undefined> {
    const key = resolve(directory);
    let digest = this.trees.get(key);
    if (!digest) {
      digest = treeDigest(key).catch(() => undefined);
      this.trees.set(key, digest);
    }
    return digest;
  }
}

async function readIndex(location: string): Promise<RepositoryIndex | undefined> {
  try {
    if (!/^https?:\/\//.test(location)) {
      return parse(await readFile(join(location, 'index.yaml'), 'utf8'), { maxAliasCount: -1 }) as RepositoryIndex;
    }
    const response = await fetch(`${location.replace(/\/+$/, '')}/index.yaml`, { signal: AbortSignal.timeout(INDEX_TIMEOUT_MS) });
    if (!response.ok) return undefined;
    return parse(await response.text(), { maxAliasCount: -1 }) as RepositoryIndex;
  } catch {
    return undefined;
  }
}

async function treeDigest(directory: string): Promise<string> {
  if (!(await stat(directory)).isDirectory()) throw new Error(`${directory} is not a directory`);
  const hash = createHash('sha256');
  const entries = (await readdir(directory, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  for (const path of entries.map((path) => relative(directory, path).split(sep).join('/')).sort()) {
    hash.update(`${path}\u0000`);
    hash.update(await readFile(join(directory, ...path.split('/'))));
    hash.update('\u0000');
  }
  return `tree:${hash.digest('hex')}`;
}

/** Whether a release's chart is a path on disk rather than `repository/chart` or an OCI reference. */
export function isLocalChart(chart: string): boolean {
  return chart.startsWith('./') || chart.startsWith('../') || isAbsolute(chart) || chart === '.' || chart === '..';
}
