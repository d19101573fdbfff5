import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimited } from '../concurrency/map-limited.js';
import { RenderError } from './errors.js';
import { readOwnershipRecord, type OwnershipRecord } from './ownership.js';
import type { YAMLError } from 'yaml';
import { fastKubernetesValue } from './fast-yaml.js';
import { kubernetesValue, parseKubernetesDocument } from './kubernetes-yaml.js';
import type { EnvironmentManifests, ReleaseManifests, RenderedResource } from '../model/manifests.js';
import { apiGroup, compareResourceKeys, type ResourceKey } from '../model/resource-key.js';

/** Files read at once; enough to keep the disk busy, few enough for any open-file limit. */
const CONCURRENT_READS = 32;

/** A committed file that is not exactly one well-formed Kubernetes object. */
export interface ManifestFileProblem {
  environment: string;
  release: string;
  /** `<environment>/<release>/<file>` */
  path: string;
  content: string;
  /**
   * `duplicate-keys`: the resource is still returned (last value wins, as kubectl applies it).
   * `missing-file`: the ownership record lists the file, the tree does not hold it (deleted by hand).
   */
  problem: 'invalid-yaml' | 'not-an-object' | 'duplicate-keys' | 'missing-file';
  message: string;
  line?: number;
  /** The resource, when the file still holds one (duplicate keys). */
  resource?: RenderedResource;
}

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

/**
 * Parsed committed files by text: the base and head of a pull request, and the reads of one
 * render, share most files, and each distinct text is parsed once per process. Bounded by the
 * characters held, oldest first out.
 */
const parsedTexts = new Map<string, ParsedText>();
const PARSE_CACHE_CHARACTERS = 256 * 1024 * 1024;
let parsedCharacters = 0;

interface ParsedText {
  duplicate?: YAMLError;
  fatal?: YAMLError;
  object: unknown;
}

function parseCommittedText(content: string): ParsedText {
  const cached = parsedTexts.get(content);
  if (cached) return cached;
  // Frozen: every reader of this text gets the same object, so none may change it.
  const fast = fastKubernetesValue(content);
  let parsed: ParsedText;
  if (fast) {
    parsed = { object: deepFreeze(fast.value) };
  } else {
    // Duplicate keys are errors of the parse, yet the document still composes (last value wins).
    const document = parseKubernetesDocument(content);
    const duplicate = document.errors.find((error) => error.code === 'DUPLICATE_KEY');
    const fatal = document.errors.find((error) => error.code !== 'DUPLICATE_KEY');
    parsed = { duplicate, fatal, object: fatal ? undefined : deepFreeze(kubernetesValue(document)) };
  }
  parsedTexts.set(content, parsed);
  parsedCharacters += content.length;
  for (const [text] of parsedTexts) {
    if (parsedCharacters <= PARSE_CACHE_CHARACTERS) break;
    parsedTexts.delete(text);
    parsedCharacters -= text.length;
  }
  return parsed;
}

function parseManifestFile(
  environment: string,
  release: string,
  path: string,
  content: string,
  report: (problem: ManifestFileProblem) => void,
): RenderedResource | undefined {
  const { duplicate, fatal, object } = parseCommittedText(content);
  const metadata = isRecord(object) && isRecord(object.metadata) ? object.metadata : {};
  const base = { environment, release, path, content };
  if (!isRecord(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof metadata.name !== 'string') {
    report({
      ...base,
      problem: fatal ? 'invalid-yaml' : 'not-an-object',
      message:
        (fatal ? `invalid YAML: ${firstLine(fatal.message)}` : 'not a Kubernetes object with apiVersion, kind and metadata.name') +
        '; each file under the manifests directory must hold exactly one resource',
      ...(fatal?.linePos ? { line: fatal.linePos[0].line } : {}),
    });
    return undefined;
  }
  const key: ResourceKey = { group: apiGroup(object.apiVersion), kind: object.kind, name: metadata.name };
  if (typeof metadata.namespace === 'string') key.namespace = metadata.namespace;
  const source = /^#\s*Source:\s*(.+)$/m.exec(content)?.[1]?.trim() ?? path;
  const resource: RenderedResource = { key, apiVersion: object.apiVersion, environment, release, path, content, object, source };
  if (duplicate) {
    report({
      ...base,
      problem: 'duplicate-keys',
      message: `duplicate keys: ${duplicate.message.split('\n')[0]}`,
      ...(duplicate.linePos ? { line: duplicate.linePos[0].line } : {}),
      resource,
    });
  }
  return resource;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** The first line of a YAML parse error, without its position (the finding has the line). */
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
